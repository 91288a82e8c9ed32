<#
.SYNOPSIS
    Restarts the web sites of a farm, two servers at a time, and reports which were restarted.
.DESCRIPTION
    Corpus: foreach -parallel -ThrottleLimit, a function nested in the workflow called from each item, an
    InlineScript reading the item's variables with $Using: and returning an object, $Workflow: results.
#>
workflow Restart-WebFarm
{
    param(
        [Parameter(Mandatory = $true)] [string[]] $Servers,
        [int] $Throttle = 2
    )

    function Get-SiteName
    {
        param([string] $Server)
        "site-$($Server.ToLowerInvariant())"
    }

    $restarted = @()
    $failed = 0
    foreach -parallel -ThrottleLimit $Throttle ($server in $Servers)
    {
        $site = Get-SiteName -Server $server
        $status = InlineScript {
            # Here the real runbook called Restart-WebAppPool on the server.
            [pscustomobject]@{ Server = $Using:server; Site = $Using:site; Running = $true }
        }
        if ($status.Running)
        {
            $Workflow:restarted += "$($status.Server):$($status.Site)"
        }
        else
        {
            $Workflow:failed++
        }
        Write-Verbose "restarted $server"
    }
    "restarted $($restarted.Count), failed $failed"
    ($restarted | Sort-Object) -join '; '
}
