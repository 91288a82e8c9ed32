<#
.SYNOPSIS
    Rolls a build out to a canary server and then to the fleet, two at a time, while the release notes are
    published in parallel; a checkpoint marks the rollout done before the report.
.DESCRIPTION
    Corpus, the constructs together: a nested workflow calling an InlineScript with $Using:, Parallel whose first
    branch is a Sequence holding a foreach and a foreach -parallel -ThrottleLimit, $Workflow: from both levels,
    Checkpoint-Workflow after the block.
#>
workflow Invoke-StagedRollout
{
    param(
        [string[]] $Canary = @('app1'),
        [string[]] $Fleet = @('app2', 'app3', 'app4'),
        [string] $Version = '2.4.1'
    )

    workflow Install-Build
    {
        param([string] $Server, [string] $Version)
        InlineScript { "$Using:Server runs $Using:Version" }
    }

    $installed = @()
    $notes = 'no notes'
    Parallel
    {
        Sequence
        {
            foreach ($server in $Canary)
            {
                $Workflow:installed += Install-Build -Server $server -Version $Version
            }
            foreach -parallel -ThrottleLimit 2 ($server in $Fleet)
            {
                $Workflow:installed += Install-Build -Server $server -Version $Version
            }
        }
        $Workflow:notes = "release notes for $Version published"
    }
    Checkpoint-Workflow
    $notes
    "$($installed.Count) servers on $Version"
    $installed | Sort-Object
}
