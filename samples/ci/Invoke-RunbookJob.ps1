<#
.SYNOPSIS
    What a CI pipeline step calls: import a runbook, run it as a job, print its output and history,
    and exit non-zero when the job did not complete.
.EXAMPLE
    dotnet pwsh -NoProfile -File samples/ci/Invoke-RunbookJob.ps1 -Path samples/runbooks/Hello.ps1 -Parameters @{ Name = 'CI' }
.EXAMPLE
    # In a pipeline that keeps its store as a build artifact:
    $env:SMA_STORE = "$PWD/artifacts/sma.db"
    pwsh -File samples/ci/Invoke-RunbookJob.ps1 -Path ./deploy/Deploy-App.ps1 -TimeoutSeconds 600
#>
[CmdletBinding()]
param(
    # The runbook's script file; it is imported (or its draft replaced) and published.
    [Parameter(Mandatory)] [string] $Path,

    # Parameter values for the runbook.
    [hashtable] $Parameters = @{},

    # Give up waiting after this many seconds (the step then fails).
    [int] $TimeoutSeconds = 1800,

    # Where the module is; by default the one built in this repository.
    [string] $ModulePath = (Join-Path $PSScriptRoot '../../out/Sma/Sma.psd1')
)

$ErrorActionPreference = 'Stop'
Import-Module $ModulePath

$name = [IO.Path]::GetFileNameWithoutExtension($Path)
if (Get-SmaRunbook | Where-Object RunbookName -EQ $name) {
    Edit-SmaRunbook -Name $name -Path $Path -Overwrite | Publish-SmaRunbook | Out-Null
}
else {
    Import-SmaRunbook -Path $Path -Publish | Out-Null
}

# -Wait runs the job to its end in this process; nothing is left behind when the step exits.
$job = Start-SmaRunbook -Name $name -Parameters $Parameters -Wait -Timeout $TimeoutSeconds
Write-Host "Job $job of $name ended $($job.JobStatus) (errors: $($job.ErrorCount), warnings: $($job.WarningCount))."

Get-SmaJobOutput -Id $job -Stream Any | ForEach-Object {
    "[{0:HH:mm:ss.fff}] {1,-11} {2}" -f $_.StreamTime.ToLocalTime(), $_.StreamTypeName, $_.StreamText
}

if ($job.JobStatus -ne 'Completed') {
    Write-Host "Status details: $($job.StatusDetails)"
    if ($job.JobException) { Write-Host $job.JobException }
    exit 1
}
exit 0
