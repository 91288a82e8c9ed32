<#
.SYNOPSIS
    Runs the Pester suite against the built module; called by build.ps1 -Task Test in a child pwsh,
    so the module's DLLs are never loaded into the build's own process.
#>
param(
    [Parameter(Mandatory)] [string] $PesterPath,
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $ResultsFolder,
    [string] $Filter = '*',
    # Exactly these test files (comma-separated names), instead of -Filter: the PostgreSQL pass.
    [string] $Files = '',
    # Soak, Long and FreshClone tests take minutes of wall-clock time; build.ps1 -Soak / -Long / -FreshClone runs them.
    [string[]] $ExcludeTag = @('Soak', 'Long', 'FreshClone')
)

$ErrorActionPreference = 'Stop'
# Plain text: no ANSI escapes in test output, child processes or the XML report.
$PSStyle.OutputRendering = 'PlainText'
$env:NO_COLOR = '1'
Import-Module $PesterPath
$env:SMA_TEST_MODULE = (Resolve-Path $ModulePath).Path
# Where tests may leave artifacts worth keeping (the dashboard screenshot).
$env:SMA_TEST_RESULTS = (Resolve-Path $ResultsFolder).Path

$config = New-PesterConfiguration
$names = @($Files -split ',' | Where-Object { $_ })
$config.Run.Path = @(Get-ChildItem $PSScriptRoot -Filter "*.Tests.ps1" | Where-Object Name -Like "*$Filter*" |
    Where-Object { $names.Count -eq 0 -or $_.Name -in $names } | ForEach-Object FullName)
# This script's parameters would otherwise be seen by the tests as variables of an outer scope (a test case without
# a 'Files' key would read the list above as its $Files).
Remove-Variable -Name Files, Filter -Scope Script
$config.Run.PassThru = $true
$config.Filter.ExcludeTag = $ExcludeTag
$config.Output.Verbosity = 'Detailed'
$config.TestResult.Enabled = $true
$config.TestResult.OutputFormat = 'NUnitXml'
$config.TestResult.OutputPath = Join-Path $ResultsFolder 'pester.xml'

$result = Invoke-Pester -Configuration $config
# No result (Pester itself broke) counts as a failure, never as a green run.
$passed = if ($result) { [int]$result.PassedCount } else { 0 }
$failed = if ($result) { [int]($result.FailedCount + $result.FailedBlocksCount + $result.FailedContainersCount) } else { 1 }
[pscustomobject]@{ Passed = $passed; Failed = $failed } | ConvertTo-Json |
    Set-Content (Join-Path $ResultsFolder 'pester-summary.json')
exit ([Math]::Min($failed, 1))
