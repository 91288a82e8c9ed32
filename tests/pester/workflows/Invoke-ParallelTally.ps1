<#
.SYNOPSIS
    Parallel with $Workflow: - the branches add to workflow variables, one creates a new one.
#>
workflow Invoke-ParallelTally
{
    param([int] $Start = 10)

    $total = $Start
    $names = @()
    Parallel
    {
        $Workflow:total += 1
        $Workflow:total += 2
        Sequence
        {
            $local = 'branch three'
            $Workflow:names += $local
            $Workflow:fromBranch = "set by $local"
        }
    }
    "total $total"
    "names $($names -join ',')"
    "fromBranch $fromBranch"
    "local is $(if ($null -eq $local) { 'not visible' } else { $local })"
}
