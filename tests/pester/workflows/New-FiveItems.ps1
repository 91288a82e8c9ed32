<#
.SYNOPSIS
    "Create an item, checkpoint, next item" as an SMA workflow: a plain foreach with a checkpoint after each item.
    Suspended after item 2 (by Suspend-SmaJob, or by itself with -SuspendAt 2) and resumed, it goes on with item 3:
    each item is made exactly once, and the loop's collection is not evaluated again (each evaluation leaves a file).
    Without -SuspendAt it waits at item 2 until the -Gate file exists. Item 4 writes an error, which names its line and
    column in this file (after the resume, too).
#>
workflow New-FiveItems
{
    param([Parameter(Mandatory = $true)] [string] $Markers, [string] $Gate, [int] $SuspendAt)

    function Get-Items
    {
        New-Item -ItemType File -Path (Join-Path $Markers "listed-$([guid]::NewGuid())") | Out-Null
        1..5
    }

    foreach ($item in Get-Items)
    {
        New-Item -ItemType File -Path (Join-Path $Markers "item$item-$([guid]::NewGuid())") | Out-Null
        "processed item $item"
        if ($item -eq 4) { Get-Item -Path (Join-Path $Markers 'missing-after-the-resume') }
        if ($item -eq 2 -and -not $SuspendAt)
        {
            $deadline = [datetime]::UtcNow.AddSeconds(90)
            while (-not (Test-Path $Gate) -and [datetime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 20 }
        }
        if ($item -eq $SuspendAt) { Suspend-Workflow } else { Checkpoint-Workflow }
    }
    "all done: $item"
}
