<#
.SYNOPSIS
    The constructs together, as an SMA runbook would use them: a nested workflow run for each server in parallel,
    an InlineScript per server, $Workflow: results, a checkpoint between the stages.
#>
workflow Deploy-Combined
{
    param([string[]] $Servers = @('web1', 'web2', 'db1'), [int] $Throttle = 2)

    workflow Get-Role
    {
        param([string] $Server)
        if ($Server -like 'web*') { 'frontend' } else { 'backend' }
    }

    $deployed = @()
    $stamp = InlineScript { Get-Date -Format 'yyyyMMdd' }
    foreach -parallel -ThrottleLimit $Throttle ($server in $Servers)
    {
        $role = Get-Role -Server $server
        Sequence
        {
            $package = InlineScript { "$Using:server-$Using:role-$Using:stamp".ToUpperInvariant() }
            $Workflow:deployed += $package
        }
    }
    Checkpoint-Workflow
    Parallel
    {
        "deployed $($deployed.Count) packages"
        "sorted: $(($deployed | Sort-Object) -join ', ')"
    }
}
