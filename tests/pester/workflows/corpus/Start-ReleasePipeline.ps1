<#
.SYNOPSIS
    Runs a release pipeline's stages through nested workflows; a failing stage throws, the pipeline catches it,
    rolls back and completes with a report.
.DESCRIPTION
    Corpus: nested workflows calling each other and a nested function, [OutputType()] on a nested workflow,
    positional and named parameters, a terminating error thrown inside a nested workflow caught by try/catch in
    the workflow, $ErrorActionPreference, Write-Output -InputObject.
#>
workflow Start-ReleasePipeline
{
    [CmdletBinding()]
    param(
        [string[]] $Stages = @('build', 'test', 'deploy'),
        [string] $FailingStage = 'deploy'
    )

    function Format-Stage([string] $Stage, [string] $Result) { '{0,-6} {1}' -f $Stage, $Result }

    workflow Invoke-Stage
    {
        [OutputType([string])]
        param([Parameter(Mandatory = $true)] [string] $Stage, [string] $Failing)
        if ($Stage -eq $Failing) { throw "stage $Stage failed: smoke test returned 500" }
        Format-Stage $Stage 'passed'
    }

    workflow Undo-Stage
    {
        param([string] $Stage)
        Format-Stage -Stage $Stage -Result 'rolled back'
    }

    $ErrorActionPreference = 'Stop'
    $done = @()
    try
    {
        foreach ($stage in $Stages)
        {
            Invoke-Stage -Stage $stage -Failing $FailingStage
            $done += $stage
        }
    }
    catch
    {
        Write-Warning $_.Exception.Message
        foreach ($stage in $done) { Undo-Stage $stage }
    }
    Write-Output -InputObject "pipeline finished: $($done.Count) of $($Stages.Count) stages"
}
