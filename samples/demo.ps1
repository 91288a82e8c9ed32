<#
.SYNOPSIS
    A short tour of Sma: import the sample runbooks, start a few jobs, and look at what the store kept.
.DESCRIPTION
    Run it through the build (it then uses a demo store under out/demo, never your own store):
        dotnet pwsh -NoProfile -File build.ps1 -Task Demo
    or by hand, after building, with $env:SMA_STORE pointing wherever you like.
#>
param(
    [string] $ModulePath = (Join-Path $PSScriptRoot '../out/Sma/Sma.psd1')
)

$ErrorActionPreference = 'Stop'
Import-Module $ModulePath

function Show-Section([string] $Title) {
    Write-Host ''
    Write-Host "== $Title ==" -ForegroundColor Cyan
}

Show-Section "Store: $(if ($env:SMA_STORE) { $env:SMA_STORE } else { 'the per-user default' })"

Show-Section 'Import-SmaRunbook -Publish: the sample runbooks'
Get-ChildItem (Join-Path $PSScriptRoot 'runbooks/*.ps1') | Import-SmaRunbook -Publish | Format-Table | Out-Host

Show-Section 'Start-SmaRunbook: one job with parameters, one that writes warnings and errors, one that fails'
$hello = Start-SmaRunbook -Name Hello -Parameters @{ Name = 'World'; Times = 2 }
$streams = Start-SmaRunbook -Name Write-Streams -Parameters @{ Items = 4 }
$fail = Start-SmaRunbook -Name Fail
"Started $hello, $streams and $fail; waiting for them to finish..."
$jobs = Wait-SmaJob -Id $hello, $streams, $fail -Timeout 60

Show-Section 'Get-SmaJob: the job list (newest first)'
Get-SmaJob | Format-Table | Out-Host

Show-Section 'The Hello job''s parameters (JobParameters)'
(Get-SmaJob -Id $hello).JobParameters | Format-Table | Out-Host

Show-Section 'Get-SmaJobOutput: everything the Write-Streams job wrote, in order, with times'
Get-SmaJobOutput -Id $streams -Stream Any | Format-Table | Out-Host
'Output records carry the objects too:'
(Get-SmaJobOutput -Id $streams -Stream Output).Value | Select-Object -Skip 1 | Format-Table | Out-Host

Show-Section 'The failed job: StatusDetails and JobException'
Get-SmaJob -Id $fail | Format-List Status, StatusDetails, JobException | Out-Host

Show-Section 'Get-SmaJobHistory: the Hello job''s status changes and records, in time order'
Get-SmaJobHistory -Id $hello | Format-Table | Out-Host

$summary = $jobs | Group-Object Status | ForEach-Object { "$($_.Count) $($_.Name)" }
Write-Host "Done: $($summary -join ', ')." -ForegroundColor Green
