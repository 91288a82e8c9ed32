<#
.SYNOPSIS
    Fails a database over to the secondary when the primary does not answer: the catch block promotes the
    secondary and suspends the job until an operator confirms; resumed, it goes on in the catch block, then the
    finally block notifies - once.
.DESCRIPTION
    Corpus: try/catch/finally in a workflow, throw caught by catch, Suspend-Workflow inside catch, a nested function
    writing a file per step, Write-Warning with the caught exception's message.
#>
workflow Invoke-DatabaseFailover
{
    param(
        [Parameter(Mandatory = $true)] [string] $LogPath,
        [string] $Primary = 'sql01',
        [string] $Secondary = 'sql02'
    )

    function Write-Step
    {
        param([string] $Name)
        New-Item -ItemType File -Path (Join-Path $LogPath "$Name-$([guid]::NewGuid().ToString('n'))") | Out-Null
        "step $Name"
    }

    try
    {
        Write-Step 'precheck'
        $reachable = InlineScript { $false }   # the real runbook pinged $Using:Primary here
        if (-not $reachable) { throw "Primary $Primary is not reachable" }
        Write-Step 'notreached'
    }
    catch
    {
        Write-Warning "Failover needed: $($_.Exception.Message)"
        Write-Step 'promote'
        Suspend-Workflow
        Write-Step 'confirmed'
    }
    finally
    {
        Write-Step 'notify'
    }
    "$Secondary is now primary"
}
