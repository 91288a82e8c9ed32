<#
.SYNOPSIS
    Adds members to a load balancer pool while, in parallel, configuring its health probe and draining the old
    members; the branches report back through $Workflow: variables.
.DESCRIPTION
    Corpus: Parallel with Sequence branches, $Workflow:x++ and $Workflow:list += inside a foreach inside a branch,
    a branch that only writes a Verbose record.
#>
workflow Update-LoadBalancerPool
{
    [OutputType([string])]
    param(
        [string] $Pool = 'web-pool',
        [string[]] $Members = @('10.0.0.11', '10.0.0.12')
    )

    $added = 0
    $log = @()
    $health = 'not configured'
    Parallel
    {
        Sequence
        {
            foreach ($member in $Members)
            {
                $Workflow:added++
                $Workflow:log += "added $member to $Pool"
            }
        }
        Sequence
        {
            $probe = "/healthz on $Pool"
            $Workflow:health = "probe $probe configured"
        }
        Write-Verbose "draining the old members of $Pool"
    }
    "pool $Pool has $added new members"
    $log | Sort-Object
    $health
}
