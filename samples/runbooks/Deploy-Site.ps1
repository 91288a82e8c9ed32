<#
.SYNOPSIS
    An SMA workflow runbook, as it was written for SMA: Import-SmaRunbook translates it to PowerShell 7.
    The servers are handled in parallel, at most four at a time; each adds its result to a workflow variable.
#>
workflow Deploy-Site
{
    param([Parameter(Mandatory = $true)] [string[]] $Servers)

    $deployed = @()
    foreach -parallel -ThrottleLimit 4 ($server in $Servers)
    {
        $result = InlineScript { "deployed to $Using:server" }
        $Workflow:deployed += $result
    }
    Checkpoint-Workflow
    "$($deployed.Count) servers: $(($deployed | Sort-Object) -join '; ')"
}
