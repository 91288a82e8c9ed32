<#
.SYNOPSIS
    What a CI pipeline step calls: import a runbook, run it as a job, print its output and history,
    and exit non-zero when the job did not complete.
.DESCRIPTION
    Runbook parameter values can be given as Name=Value words after the other arguments (each one word to the
    shell; values are strings and converted to the runbook's declared types), as one JSON object text in
    -Parameters (typed values), or as a hashtable in -Parameters when called from PowerShell.
.EXAMPLE
    dotnet pwsh -NoProfile -File samples/ci/Invoke-RunbookJob.ps1 -Path samples/runbooks/Hello.ps1 Name=CI Times=2

    From bash or any shell: Name=Value words after the other arguments.
.EXAMPLE
    dotnet pwsh -NoProfile -File samples/ci/Invoke-RunbookJob.ps1 -Path samples/runbooks/Hello.ps1 -Parameters '{"Name": "JSON", "Times": 1}'

    From bash or any shell: one JSON object.
.EXAMPLE
    ./samples/ci/Invoke-RunbookJob.ps1 -Path samples/runbooks/Hello.ps1 -Parameters @{ Name = 'CI' }

    From PowerShell: a hashtable.
.EXAMPLE
    SMA_STORE="$PWD/artifacts/sma.db" dotnet pwsh -NoProfile -File samples/ci/Invoke-RunbookJob.ps1 -Path deploy/Deploy-App.ps1 -TimeoutSeconds 600

    In a pipeline that keeps its store as a build artifact (bash).
#>
[CmdletBinding(PositionalBinding = $false)]
param(
    # The runbook's script file; it is imported (or its draft replaced) and published.
    [Parameter(Mandatory)] [string] $Path,

    # Parameter values for the runbook: Name=Value words, a JSON object text, or a hashtable.
    [Parameter(ValueFromRemainingArguments)] [object[]] $Parameters = @(),

    # Give up waiting after this many seconds (the step then fails).
    [int] $TimeoutSeconds = 1800,

    # Where the module is; by default the one built in this repository.
    [string] $ModulePath = (Join-Path $PSScriptRoot '../../out/Sma/Sma.psd1')
)

# Name=Value words, JSON object texts and hashtables, merged into one set of runbook parameter values.
function ConvertTo-RunbookParameters([object[]] $Values) {
    $result = [ordered]@{}
    foreach ($value in $Values) {
        if ($value -is [System.Collections.IDictionary]) {
            foreach ($key in $value.Keys) { $result[$key] = $value[$key] }
            continue
        }
        $text = "$value".Trim()
        if ($text.StartsWith('{')) {
            $json = $text | ConvertFrom-Json -AsHashtable
            foreach ($key in $json.Keys) { $result[$key] = $json[$key] }
            continue
        }
        $name, $rest = $text -split '=', 2
        if ($null -eq $rest -or -not $name.Trim()) {
            throw "'$text' is not a runbook parameter value: give Name=Value, a JSON object such as '{""Name"": ""CI""}', or (from PowerShell) a hashtable."
        }
        $result[$name.Trim()] = $rest
    }
    return $result
}

$ErrorActionPreference = 'Stop'
Import-Module $ModulePath

# New, or a new version of the runbook of that name (-Force keeps its id and its earlier jobs).
$name = (Import-SmaRunbook -Path $Path -Force -Publish).RunbookName

# -Wait runs the job to its end in this process; nothing is left behind when the step exits.
$job = Start-SmaRunbook -Name $name -Parameters (ConvertTo-RunbookParameters $Parameters) -Wait -Timeout $TimeoutSeconds
Write-Host "Job $job of $name ended $($job.Status) (errors: $($job.ErrorCount), warnings: $($job.WarningCount))."

Get-SmaJobOutput -Id $job -Stream Any | ForEach-Object {
    "[{0:HH:mm:ss.fff}] {1,-11} {2}" -f $_.StreamTime.ToLocalTime(), $_.StreamTypeName, $_.StreamText
}

if ($job.Status -ne 'Completed') {
    Write-Host "Status details: $($job.StatusDetails)"
    if ($job.JobException) { Write-Host $job.JobException }
    exit 1
}
exit 0
