<#
.SYNOPSIS
    foreach -parallel over 8 items, at most 3 at once, suspended mid-way by a checkpoint in item 6: items 1-3 have
    completed by then (each thread completes an item before it takes the next), items 4 and 5 have started and wait for
    the -Gate file.
    Resumed with the gate open, the block runs again without items 1-3; $Workflow:count goes on from the checkpoint.
#>
workflow Invoke-ParallelItems
{
    param([Parameter(Mandatory = $true)] [string] $Markers, [Parameter(Mandatory = $true)] [string] $Gate)

    $count = 0
    foreach -parallel -ThrottleLimit 3 ($item in 1..8)
    {
        New-Item -ItemType File -Path (Join-Path $Markers "start$item-$([guid]::NewGuid())") | Out-Null
        $deadline = [datetime]::UtcNow.AddSeconds(90)
        if ($item -eq 6 -and -not (Test-Path $Gate))
        {
            # Items 4 and 5 were taken before this one, but may still be opening their runspaces: wait until they run.
            while (-not ((Test-Path (Join-Path $Markers 'start4-*')) -and (Test-Path (Join-Path $Markers 'start5-*')))) {
                if ([datetime]::UtcNow -gt $deadline) { throw "items 4 and 5 never started" }
                Start-Sleep -Milliseconds 20
            }
            Suspend-Workflow
        }
        if ($item -in 4, 5)
        {
            while (-not (Test-Path $Gate)) {
                if ([datetime]::UtcNow -gt $deadline) { throw "item $item waited in vain for the gate" }
                Start-Sleep -Milliseconds 20
            }
        }
        $Workflow:count += 1
        New-Item -ItemType File -Path (Join-Path $Markers "done$item-$([guid]::NewGuid())") | Out-Null
        "item $item"
    }
    "count $count"
}
