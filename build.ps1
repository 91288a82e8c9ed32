#requires -Version 7.4
<#
.SYNOPSIS
    Builds, tests and demonstrates the Sma module.
.DESCRIPTION
    Build   assembles the importable module in out/Sma (default).
    Test    builds, runs the xunit tests, checks that a first build on an empty NuGet cache works, then Pester
            in a child pwsh against out/Sma; the last line is "tests: N passed, N failed"; exits non-zero on any
            failure. Installs what the tests need when it is missing (Chromium and chromedriver, with apt-get).
            Tests tagged Soak, Long or FreshClone are left out: -Soak runs the soak test, -Long adds the Long ones,
            -FreshClone runs the fresh-clone test.
            Stores (-Store): by default the tests run on SQLite, and also on PostgreSQL when its server binaries are
            installed; -Store Sqlite or -Store PostgreSql runs one, -Store Both runs both (installing Debian's
            postgresql package when missing). For PostgreSQL a throwaway server is started on a free local port with a
            temporary data folder and removed afterwards (tests/setup/Start-TestPostgres.ps1); xunit runs whole on
            it, and the Pester files listed in $pesterOnPostgres, beside the SQLite pass in a process of their own.
    Demo    runs samples/demo.ps1 against a demo store under out/demo (never your own store).
    Bench   runs the benchmarks of DESIGN §7 beside their anchors, writes out/bench/results.json and results.md, and
            after a whole full run replaces the Performance table of README.md; -Quick for a short run, -Benchmark
            B1,B5 for some of them.
    Package makes out/Sma.<version>.nupkg from out/Sma (Compress-PSResource): a package that Install-PSResource
            installs from a folder repository (-NoBuild packages out/Sma as it is).
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
    # Bench: run only these benchmarks (B1, B2, ..., B10), e.g. -Benchmark B1,B5.
    [string[]] $Benchmark,

    # Test: run the soak test only (50,000 jobs over three worker processes; not part of CI).
    [switch] $Soak,

    # Test: also run the tests tagged Long (minutes of wall-clock time, e.g. a cron schedule over three minutes).
    [switch] $Long,

    # Test: run the fresh-clone test only (clones HEAD, runs the README's commands with an empty HOME and NuGet
    # cache; tens of minutes; not part of CI).
    [switch] $FreshClone,

    # Test: which store backends the tests run on (see the description).
    [ValidateSet('Default', 'Sqlite', 'PostgreSql', 'Both')]
    [string] $Store = 'Default',

    # Package: package out/Sma as it is, without building first.
    [switch] $NoBuild
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

# The Pester files that run on PostgreSQL: every one that exercises the store (left out: the module's surface and
# packaging - Conventions, Package, Setup, Samples, Help - and Isolation, which loads SQLite and Dapper twice).
$pesterOnPostgres = @('Assets', 'BadInput', 'Checkpoints', 'ChildRunbooks', 'CmdletsInJobs', 'Dashboard', 'Faults', 'Foundation',
    'Lifecycle', 'Machines', 'Modules', 'Parameters', 'Portal', 'ProcessIsolation', 'RemoteEndpoint', 'RemoteEndpoint2', 'RemoteEndpoint3', 'RemoteEndpoint4',
    'Retention', 'Runbooks', 'Schedules', 'Streams', 'WebService', 'Workers', 'WorkflowCorpus', 'Workflows') |
    ForEach-Object { "$_.Tests.ps1" }

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
    # The web service (Start-SmaWebService runs it with dotnet): framework-dependent, net10.0, in its own folder with
    # its own dependencies, so the module's private load context is untouched.
    Invoke-Native dotnet @('publish', (Join-Path $root 'src/Sma.Server/Sma.Server.csproj'), '-c', $Configuration, '--nologo', '-v', 'quiet',
        '-o', (Join-Path $moduleOut 'server'))
    Invoke-HelpBuild
    Write-Host "Module ready: $moduleOut" -ForegroundColor Green
}

# Get-Help content (en-US/Sma.Cmdlets.dll-Help.xml and about_Sma.help.txt) from the XML doc comments and
# src/Sma.Cmdlets/Help. In a child pwsh: the generator imports the built module, whose DLLs must not load into this process.
# Generated only when an input changed (the assemblies, the manifest, the XML doc, src/Sma.Cmdlets/Help); otherwise the
# last output is copied from out/obj/help, and its problems are reported again.
function Invoke-HelpBuild {
    $xmlDoc = Join-Path $root "src/Sma.Cmdlets/bin/$Configuration/net8.0/Sma.Cmdlets.xml"
    $inputs = @($xmlDoc, (Join-Path $moduleOut 'Sma.Cmdlets.dll'), (Join-Path $moduleOut 'dependencies/Sma.Engine.dll'), (Join-Path $moduleOut 'Sma.psd1')) +
        @(Get-ChildItem (Join-Path $root 'src/Sma.Cmdlets/Help') -Recurse -File | Sort-Object FullName | ForEach-Object FullName)
    $hash = ($inputs | ForEach-Object { "$([IO.Path]::GetRelativePath($root, $_)) $((Get-FileHash -LiteralPath $_ -Algorithm SHA256).Hash)" }) -join "`n"
    $cache = Join-Path $out 'obj/help'
    $stamp = Join-Path $cache 'inputs.txt'
    $problems = Join-Path $cache 'problems.txt'
    $generated = Join-Path $cache 'en-US'
    if ((Test-Path $stamp) -and (Test-Path $generated) -and (Get-Content -Raw $stamp) -ceq $hash) {
        Copy-Item $generated -Destination $moduleOut -Recurse -Force
        foreach ($problem in Get-Content $problems -ErrorAction Ignore) { Write-Warning "Help: $problem" }
        Write-Host "Help: inputs unchanged, copied from $generated"
        return
    }
    if (Test-Path $cache) { Remove-Item $cache -Recurse -Force }
    New-Item -ItemType Directory -Path $cache | Out-Null
    $pwsh = Get-PwshCommand
    $arguments = @($pwsh | Select-Object -Skip 1) + @('-NoProfile', '-NonInteractive', '-File', (Join-Path $root 'src/Sma.Cmdlets/Help/Build-SmaHelp.ps1'),
        '-ModuleFolder', $moduleOut, '-XmlDocPath', $xmlDoc, '-ProblemsPath', $problems)
    & $pwsh[0] @arguments
    if ($LASTEXITCODE -ne 0) { throw "Generating the help failed (exit code $LASTEXITCODE)." }
    Copy-Item (Join-Path $moduleOut 'en-US') -Destination $cache -Recurse
    Set-Content -Path $stamp -Value $hash -NoNewline
}

# Counts from a .trx file written by 'dotnet test'.
function Get-TrxCounts([string] $Path) {
    [xml] $trx = Get-Content -Raw $Path
    $counters = $trx.TestRun.ResultSummary.Counters
    return [pscustomobject]@{ Passed = [int]$counters.passed; Failed = [int]$counters.failed + [int]$counters.error + [int]$counters.timeout }
}

# A first restore and build on an empty NuGet cache (DESIGN §3), offline and in seconds: every project built once in
# a copy of the sources, with an empty packages folder and the warm one as the only package source.
function Test-FirstBuild {
    Write-Host 'Checking a first build on an empty NuGet cache...' -ForegroundColor Cyan
    $script = Join-Path $root 'tests/firstbuild/Test-FirstBuild.ps1'
    $ok = try { [bool](& $script -Root $root -PackageSource (Get-NuGetRoot) -Configuration $Configuration) }
    catch { Write-Host "First build check broke: $_" -ForegroundColor Red; $false }
    Write-Host "first build: $(if ($ok) { '1 passed, 0 failed' } else { '0 passed, 1 failed' })"
    return [pscustomobject]@{ Passed = [int]$ok; Failed = [int](-not $ok) }
}

function Invoke-Test {
    $pesterFiles = @(Get-ChildItem (Join-Path $root 'tests/pester') -Filter '*.Tests.ps1' | Where-Object Name -Like "*$Filter*")
    # The dashboard's browser test drives Chromium through chromedriver: installed here when missing (apt-get).
    if (-not ($Soak -or $FreshClone) -and ($pesterFiles.Name -contains 'Dashboard.Tests.ps1' -or $pesterFiles.Name -contains 'Portal.Tests.ps1')) { & (Join-Path $root 'tests/setup/Install-TestBrowser.ps1') }
    Invoke-Build
    $results = Join-Path $out 'test-results'
    if (Test-Path $results) { Remove-Item $results -Recurse -Force }
    New-Item -ItemType Directory $results | Out-Null

    $onSqlite = $Store -in 'Default', 'Sqlite', 'Both'
    $setup = Join-Path $root 'tests/setup/Start-TestPostgres.ps1'
    $onPostgres = $Store -in 'PostgreSql', 'Both' -or ($Store -eq 'Default' -and (& $setup -Probe))
    $postgres = $null
    $pgRun = $null
    if ($onPostgres) {
        Write-Host 'Starting a throwaway PostgreSQL server for the PostgreSQL pass...' -ForegroundColor Cyan
        $postgres = & $setup -Install
    }
    try {
        # Pester and the packages of the isolation test, restored before the first-build check uses the cache as its source.
        Invoke-Native dotnet @('restore', (Join-Path $root 'tests/pester/restore/Pester.Restore.csproj'), '--nologo', '-v', 'quiet')
        $pester = Join-Path (Get-NuGetRoot) 'pester/6.2.0/tools/Pester.psd1'
        $pwsh = Get-PwshCommand
        # The child pwsh's arguments for one store's pass; each pass writes its results in a folder of its own.
        function Get-PesterArguments([string] $Backend, [string] $Folder) {
            $pwshArgs = @($pwsh | Select-Object -Skip 1) + @('-NoProfile', '-NonInteractive', '-File', (Join-Path $root 'tests/pester/Run-Pester.ps1'),
                '-PesterPath', $pester, '-ModulePath', (Join-Path $moduleOut 'Sma.psd1'), '-ResultsFolder', $Folder)
            # A bare '*' handed to a native command is glob-expanded on Unix, so pass a filter only when it narrows.
            if ($Backend -eq 'postgresql') {
                if ($Soak -or $FreshClone) { return $null }
                $files = @($pesterFiles.Name | Where-Object { $_ -in $pesterOnPostgres })
                if ($files.Count -eq 0) { return $null }
                $pwshArgs += @('-Files', ($files -join ','))
            }
            elseif ($Filter -ne '*') { $pwshArgs += @('-Filter', $Filter) }
            if ($Soak) { $pwshArgs += @('-Filter', 'Soak', '-ExcludeTag', 'None') }
            elseif ($Long) { $pwshArgs += @('-ExcludeTag', 'Soak') }
            elseif ($FreshClone) { $pwshArgs += @('-Filter', 'FreshClone', '-ExcludeTag', 'None') }
            return , $pwshArgs
        }
        function Read-PesterSummary([string] $Backend, [string] $Folder) {
            $counts = [pscustomobject]@{ Passed = 0; Failed = 1 } # what a missing or unreadable summary counts as
            $summary = Join-Path $Folder 'pester-summary.json'
            if (Test-Path $summary) {
                $read = Get-Content -Raw $summary | ConvertFrom-Json
                if ($read.Passed -is [long] -and $read.Failed -is [long]) { $counts = $read }
            }
            Write-Host "pester ($Backend): $($counts.Passed) passed, $($counts.Failed) failed"
            return $counts
        }

        # The PostgreSQL pass of Pester starts first and runs in a process of its own beside everything else (xunit on
        # both stores, the first-build check, the SQLite pass), its output kept in a log shown when it ends, so both
        # stores' suites fit CI's time; the tests wait for conditions, never for fixed times, so sharing the machine
        # only makes them slower.
        $pgFolder = Join-Path $results 'postgresql'
        $pgArgs = if ($onPostgres) { Get-PesterArguments 'postgresql' $pgFolder }
        if ($pgArgs) {
            New-Item -ItemType Directory $pgFolder | Out-Null
            Write-Host "Running Pester tests on postgresql in a child pwsh against out/Sma (output in $pgFolder/pester.log)..." -ForegroundColor Cyan
            $quoted = $pgArgs | ForEach-Object { if ($_ -match '\s') { '"' + $_ + '"' } else { $_ } }
            $pgRun = Start-Process -FilePath $pwsh[0] -ArgumentList $quoted -PassThru -NoNewWindow `
                -RedirectStandardOutput (Join-Path $pgFolder 'pester.log') -RedirectStandardError (Join-Path $pgFolder 'pester.err') `
                -Environment @{ SMA_TEST_PG = $postgres.ConnectionString; SMA_TEST_PSQL = (Join-Path $postgres.BinFolder 'psql') }
        }
        $xunit = [pscustomobject]@{ Passed = 0; Failed = 0 }
        # The engine's tests, and the web service's (it hosted in-process over a store of its own), on each store.
        foreach ($backend in @(if ($onSqlite) { 'sqlite' }) + @(if ($onPostgres) { 'postgresql' })) {
            $env:SMA_TEST_PG = if ($backend -eq 'postgresql') { $postgres.ConnectionString } else { $null }
            foreach ($project in 'Sma.Engine.Tests', 'Sma.Server.Tests') {
                Write-Host "Running $project on $backend..." -ForegroundColor Cyan
                & dotnet test (Join-Path $root "tests/$project/$project.csproj") -c $Configuration --nologo `
                    --logger "trx;LogFileName=$project-$backend.trx" --logger 'console;verbosity=normal' --results-directory $results
                $trx = Join-Path $results "$project-$backend.trx"
                $counts = if (Test-Path $trx) { Get-TrxCounts $trx } else { [pscustomobject]@{ Passed = 0; Failed = 1 } }
                Write-Host "xunit $project ($backend): $($counts.Passed) passed, $($counts.Failed) failed"
                $xunit = [pscustomobject]@{ Passed = $xunit.Passed + $counts.Passed; Failed = $xunit.Failed + $counts.Failed }
            }
        }
        $env:SMA_TEST_PG = $null
        $firstBuild = if ($Soak -or $FreshClone) { [pscustomobject]@{ Passed = 0; Failed = 0 } } else { Test-FirstBuild }
        $pesterCounts = [pscustomobject]@{ Passed = 0; Failed = 0 }
        if ($onSqlite) {
            Write-Host "Running Pester tests on sqlite in a child pwsh against out/Sma..." -ForegroundColor Cyan
            $sqliteArgs = Get-PesterArguments 'sqlite' $results
            & $pwsh[0] @sqliteArgs
            $pesterCounts = Read-PesterSummary 'sqlite' $results
        }
        if ($pgRun) {
            $pgRun.WaitForExit()
            Write-Host "Pester tests on postgresql (from $pgFolder/pester.log):" -ForegroundColor Cyan
            Get-Content (Join-Path $pgFolder 'pester.log'), (Join-Path $pgFolder 'pester.err') -ErrorAction Ignore | Write-Host
            $counts = Read-PesterSummary 'postgresql' $pgFolder
            $pesterCounts = [pscustomobject]@{ Passed = $pesterCounts.Passed + $counts.Passed; Failed = $pesterCounts.Failed + $counts.Failed }
        }
        $env:SMA_TEST_PG = $null
        $env:SMA_TEST_PSQL = $null
    }
    finally {
        # A run cut short (Ctrl+C, CI's time bound) leaves no Pester pass behind.
        if ($pgRun -and -not $pgRun.HasExited) { Stop-Process -Id $pgRun.Id -Force -ErrorAction Ignore }
        if ($postgres) { & $setup -Stop -Server $postgres }
    }
    Write-Host "pester: $($pesterCounts.Passed) passed, $($pesterCounts.Failed) failed"

    $passed = $xunit.Passed + $firstBuild.Passed + $pesterCounts.Passed
    $failed = $xunit.Failed + $firstBuild.Failed + $pesterCounts.Failed
    "tests: $passed passed, $failed failed"
    if ($failed -gt 0) { exit 1 }
}

function Invoke-Bench {
    Invoke-Build
    $pwsh = Get-PwshCommand
    $pwshArgs = @($pwsh | Select-Object -Skip 1) + @('-NoProfile', '-NonInteractive', '-File', (Join-Path $root 'tests/bench/Invoke-SmaBench.ps1'),
        '-ModulePath', (Join-Path $moduleOut 'Sma.psd1'), '-OutFolder', (Join-Path $out 'bench'), '-ReadmePath', (Join-Path $root 'README.md'))
    if ($Quick) { $pwshArgs += '-Quick' }
    if ($Benchmark) { $pwshArgs += @('-Only', ($Benchmark -join ',')) }
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
    if (-not $NoBuild) { Invoke-Build }
    if (-not (Test-Path (Join-Path $moduleOut 'Sma.psd1'))) { throw "There is no module in $moduleOut to package: build it first." }
    $version = (Import-PowerShellDataFile (Join-Path $moduleOut 'Sma.psd1')).ModuleVersion
    $package = Join-Path $out "Sma.$version.nupkg"
    Remove-Item $package -ErrorAction Ignore
    # PSResourceGet's own packer (pwsh 7.4+), so the package is what Publish-PSResource would upload.
    Compress-PSResource -Path $moduleOut -DestinationPath $out
    if (-not (Test-Path $package)) { throw "Compress-PSResource did not write $package." }
    Write-Host "Package: $package (Install-PSResource -Name Sma from a repository holding it)" -ForegroundColor Green
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
