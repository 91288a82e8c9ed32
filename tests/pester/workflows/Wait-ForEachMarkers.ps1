<#
.SYNOPSIS
    foreach -parallel with -ThrottleLimit: each item leaves a marker file and waits until ThrottleLimit markers of
    its batch exist, which only happens if that many items run at once. Shows concurrency without measuring time.
#>
workflow Wait-ForEachMarkers
{
    param([Parameter(Mandatory = $true)] [string] $Folder, [int] $Count = 8, [int] $Throttle = 4)

    foreach -parallel -ThrottleLimit $Throttle ($item in 1..$Count)
    {
        # While it runs, each item has a running-* file: there are never more of them than the throttle limit.
        $running = Join-Path $Folder "running-$item"
        New-Item -ItemType File -Path $running | Out-Null
        $batch = [Math]::Floor(($item - 1) / $Throttle)
        New-Item -ItemType File -Path (Join-Path $Folder "batch$batch-item$item") | Out-Null
        $deadline = [datetime]::UtcNow.AddSeconds(90)
        while (@(Get-ChildItem -Path $Folder -Filter "batch$batch-*").Count -lt $Throttle) {
            if ([datetime]::UtcNow -gt $deadline) { throw "item $item waited in vain for its batch" }
            Start-Sleep -Milliseconds 20
        }
        $atOnce = @(Get-ChildItem -Path $Folder -Filter 'running-*').Count
        Remove-Item -Path $running
        "item $item saw its batch; $atOnce running at once"
    }
    'all items done'
}
