#requires -Version 7.4
<#
.SYNOPSIS
    Builds, tests and demonstrates the Sma module.
.DESCRIPTION
    Build   assembles the importable module in out/Sma (default).
    Test    builds, runs the xunit tests, then Pester in a child pwsh against out/Sma;
            the last line is "tests: N passed, N failed"; exits non-zero on any failure.
    Demo    runs samples/demo.ps1 against a demo store under out/demo (never your own store).
    Bench   runs the benchmarks of DESIGN §7 beside their anchors; -Quick for a short run.
    Package zips out/Sma into out/Sma-<version>.zip.
    Clean   removes out/ and every bin/ and obj/ folder.
.EXAMPLE
    dotnet tool restore; dotnet pwsh -NoProfile -File build.ps1 -Task Test
#>
[CmdletBinding()]
param(
    [ValidateSet('Build', 'Test', 'Bench', 'Demo', 'Package', 'Clean')]
    [string] $Task = 'Build',

    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release',

    # Pester: run only test files whose name matches (e.g. 'Jobs').
    [string] $Filter = '*',

    # Bench: smaller sizes, a couple of minutes in all.
    [switch] $Quick,

    # Test: run the soak test only (50,000 jobs over three worker processes; not part of CI).
    [switch] $Soak
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0
$root = $PSScriptRoot
$out = Join-Path $root 'out'
$moduleOut = Join-Path $out 'Sma'
$env:POWERSHELL_TELEMETRY_OPTOUT = '1'
$env:POWERSHELL_UPDATECHECK = 'Off'
$env:DOTNET_CLI_TELEMETRY_OPTOUT = '1'
$env:DOTNET_NOLOGO = '1'

# The native SQLite builds shipped with the module (DESIGN §3).
$nativeRuntimes = 'linux-x64', 'linux-arm64', 'linux-musl-x64', 'linux-musl-arm64', 'osx-x64', 'osx-arm64', 'win-x64', 'win-arm64'

function Invoke-Native([string] $Command, [string[]] $Arguments) {
    & $Command @Arguments
    if ($LASTEXITCODE -ne 0) { throw "'$Command $($Arguments -join ' ')' failed with exit code $LASTEXITCODE." }
}

# The command line that starts a child pwsh like this one (dotnet tool or a real pwsh).
function Get-PwshCommand {
    $dll = Join-Path $PSHOME 'pwsh.dll'
    $exe = [Environment]::ProcessPath
    if ((Split-Path $exe -Leaf) -match '^dotnet(\.exe)?$') { return @($exe, $dll) }
    return @($exe)
}

function Get-NuGetRoot {
    if ($env:NUGET_PACKAGES) { return $env:NUGET_PACKAGES }
    $line = dotnet nuget locals global-packages --list | Select-Object -Last 1
    return ($line -replace '^global-packages:\s*', '').Trim()
}

function Invoke-Build {
    Write-Host "Building ($Configuration)..." -ForegroundColor Cyan
    $staging = Join-Path $out "obj/engine"
    Invoke-Native dotnet @('build', (Join-Path $root 'src/Sma.Cmdlets/Sma.Cmdlets.csproj'), '-c', $Configuration, '--nologo', '-v', 'quiet')
    Invoke-Native dotnet @('publish', (Join-Path $root 'src/Sma.Engine/Sma.Engine.csproj'), '-c', $Configuration, '--nologo', '-v', 'quiet', '-o', $staging)

    if (Test-Path $moduleOut) { Remove-Item $moduleOut -Recurse -Force }
    $deps = New-Item -ItemType Directory -Path (Join-Path $moduleOut 'dependencies') -Force
    Copy-Item (Join-Path $root 'module/Sma/*') $moduleOut
    Copy-Item (Join-Path $root "src/Sma.Cmdlets/bin/$Configuration/net8.0/Sma.Cmdlets.dll") $moduleOut
    Get-ChildItem $staging -Filter *.dll | Copy-Item -Destination $deps
    foreach ($rid in $nativeRuntimes) {
        $native = Join-Path $staging "runtimes/$rid/native"
        if (-not (Test-Path $native)) { throw "The SQLite native library for $rid is missing from the build output." }
        $target = New-Item -ItemType Directory -Path (Join-Path $deps "runtimes/$rid/native") -Force
        Copy-Item (Join-Path $native '*') $target
    }
    Invoke-HelpBuild
    Write-Host "Module ready: $moduleOut" -ForegroundColor Green
}

# Get-Help content (en-US/Sma.Cmdlets.dll-Help.xml and about_Sma.help.txt) from the XML doc comments and
# src/Sma.Cmdlets/Help. In a child pwsh: the generator imports the built module, whose DLLs must not load into this process.
function Invoke-HelpBuild {
    $pwsh = Get-PwshCommand
    $arguments = @($pwsh | Select-Object -Skip 1) + @('-NoProfile', '-NonInteractive', '-File', (Join-Path $root 'src/Sma.Cmdlets/Help/Build-SmaHelp.ps1'),
        '-ModuleFolder', $moduleOut, '-XmlDocPath', (Join-Path $root "src/Sma.Cmdlets/bin/$Configuration/net8.0/Sma.Cmdlets.xml"))
    & $pwsh[0] @arguments
    if ($LASTEXITCODE -ne 0) { throw "Generating the help failed (exit code $LASTEXITCODE)." }
}

# Counts from a .trx file written by 'dotnet test'.
function Get-TrxCounts([string] $Path) {
    [xml] $trx = Get-Content -Raw $Path
    $counters = $trx.TestRun.ResultSummary.Counters
    return [pscustomobject]@{ Passed = [int]$counters.passed; Failed = [int]$counters.failed + [int]$counters.error + [int]$counters.timeout }
}

function Invoke-Test {
    Invoke-Build
    $results = Join-Path $out 'test-results'
    if (Test-Path $results) { Remove-Item $results -Recurse -Force }
    New-Item -ItemType Directory $results | Out-Null

    Write-Host 'Running xunit tests...' -ForegroundColor Cyan
    & dotnet test (Join-Path $root 'tests/Sma.Engine.Tests/Sma.Engine.Tests.csproj') -c $Configuration --nologo `
        --logger 'trx;LogFileName=xunit.trx' --logger 'console;verbosity=normal' --results-directory $results
    $trx = Join-Path $results 'xunit.trx'
    $xunit = if (Test-Path $trx) { Get-TrxCounts $trx } else { [pscustomobject]@{ Passed = 0; Failed = 1 } }
    Write-Host "xunit: $($xunit.Passed) passed, $($xunit.Failed) failed"

    Write-Host 'Running Pester tests in a child pwsh against out/Sma...' -ForegroundColor Cyan
    Invoke-Native dotnet @('restore', (Join-Path $root 'tests/pester/restore/Pester.Restore.csproj'), '--nologo', '-v', 'quiet')
    $pester = Join-Path (Get-NuGetRoot) 'pester/6.2.0/tools/Pester.psd1'
    $summary = Join-Path $results 'pester-summary.json'
    $pwsh = Get-PwshCommand
    $pwshArgs = @($pwsh | Select-Object -Skip 1) + @('-NoProfile', '-NonInteractive', '-File', (Join-Path $root 'tests/pester/Run-Pester.ps1'),
        '-PesterPath', $pester, '-ModulePath', (Join-Path $moduleOut 'Sma.psd1'), '-ResultsFolder', $results)
    # A bare '*' handed to a native command is glob-expanded on Unix, so pass the filter only when it narrows.
    if ($Filter -ne '*') { $pwshArgs += @('-Filter', $Filter) }
    if ($Soak) { $pwshArgs += @('-Filter', 'Soak', '-ExcludeTag', 'None') }
    & $pwsh[0] @pwshArgs
    $pesterCounts = [pscustomobject]@{ Passed = 0; Failed = 1 } # what a missing or unreadable summary counts as
    if (Test-Path $summary) {
        $read = Get-Content -Raw $summary | ConvertFrom-Json
        if ($read.Passed -is [long] -and $read.Failed -is [long]) { $pesterCounts = $read }
    }
    Write-Host "pester: $($pesterCounts.Passed) passed, $($pesterCounts.Failed) failed"

    $passed = $xunit.Passed + $pesterCounts.Passed
    $failed = $xunit.Failed + $pesterCounts.Failed
    "tests: $passed passed, $failed failed"
    if ($failed -gt 0) { exit 1 }
}

function Invoke-Bench {
    Invoke-Build
    $pwsh = Get-PwshCommand
    $pwshArgs = @($pwsh | Select-Object -Skip 1) + @('-NoProfile', '-NonInteractive', '-File', (Join-Path $root 'tests/bench/Invoke-SmaBench.ps1'),
        '-ModulePath', (Join-Path $moduleOut 'Sma.psd1'), '-OutFolder', (Join-Path $out 'bench'))
    if ($Quick) { $pwshArgs += '-Quick' }
    & $pwsh[0] @pwshArgs
    if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }
}

function Invoke-Demo {
    Invoke-Build
    $demo = Join-Path $out 'demo'
    if (Test-Path $demo) { Remove-Item $demo -Recurse -Force }
    New-Item -ItemType Directory $demo | Out-Null
    $env:SMA_STORE = Join-Path $demo 'sma.db'
    $env:SMA_KEY_FILE = Join-Path $demo 'secret.key'
    $pwsh = Get-PwshCommand
    $pwshArgs = @($pwsh | Select-Object -Skip 1) + @('-NoProfile', '-File', (Join-Path $root 'samples/demo.ps1'), '-ModulePath', (Join-Path $moduleOut 'Sma.psd1'))
    & $pwsh[0] @pwshArgs
    if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }
}

function Invoke-Package {
    Invoke-Build
    $version = (Import-PowerShellDataFile (Join-Path $moduleOut 'Sma.psd1')).ModuleVersion
    $zip = Join-Path $out "Sma-$version.zip"
    Compress-Archive -Path $moduleOut -DestinationPath $zip -Force
    Write-Host "Package: $zip" -ForegroundColor Green
}

function Invoke-Clean {
    if (Test-Path $out) { Remove-Item $out -Recurse -Force }
    Get-ChildItem $root -Directory -Recurse -Include bin, obj | Where-Object FullName -NotMatch '[\\/]\.git[\\/]' |
        Remove-Item -Recurse -Force
    Write-Host 'Clean.' -ForegroundColor Green
}

switch ($Task) {
    'Build' { Invoke-Build }
    'Test' { Invoke-Test }
    'Bench' { Invoke-Bench }
    'Demo' { Invoke-Demo }
    'Package' { Invoke-Package }
    'Clean' { Invoke-Clean }
}
