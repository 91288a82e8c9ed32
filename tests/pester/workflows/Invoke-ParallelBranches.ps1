<#
.SYNOPSIS
    Parallel: the first branch ends with a checkpoint, where the Suspend-SmaJob the test asked for suspends the job;
    the second branch is still running then. Resumed, only the second branch runs again.
#>
workflow Invoke-ParallelBranches
{
    param([Parameter(Mandatory = $true)] [string] $Markers, [Parameter(Mandatory = $true)] [string] $Gate)

    function Wait-Gate([string] $Path)
    {
        $deadline = [datetime]::UtcNow.AddSeconds(90)
        while (-not (Test-Path $Path)) {
            if ([datetime]::UtcNow -gt $deadline) { throw "waited in vain for $Path" }
            Start-Sleep -Milliseconds 20
        }
    }

    Parallel
    {
        Sequence
        {
            New-Item -ItemType File -Path (Join-Path $Markers "first-$([guid]::NewGuid())") | Out-Null
            Wait-Gate "$Gate-first"
            'branch 1'
            Checkpoint-Workflow
        }
        Sequence
        {
            New-Item -ItemType File -Path (Join-Path $Markers "second-$([guid]::NewGuid())") | Out-Null
            Wait-Gate "$Gate-second"
            'branch 2'
        }
    }
    'both branches done'
}
