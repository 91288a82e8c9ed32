<#
.SYNOPSIS
    Reproduces a first restore and build on an empty NuGet cache, offline and in seconds; returns $true if it builds.
.DESCRIPTION
    A build that works only once its NuGet cache is warm (a HintPath built from $(NuGetPackageRoot), which the first
    restore defines too late: DESIGN §3) fails on a user's first run and passes on every later one, so a warm machine
    never sees it. This copies the sources (no bin/obj) to a temporary folder and builds every project there once,
    with NUGET_PACKAGES pointing at a new empty folder (no trailing slash, as CI systems set it) and the warm global
    packages folder as the only package source: a folder in the global-packages layout is a valid local feed, so the
    restore really downloads (copies) every package, as on a fresh machine, without the network.
    build.ps1 -Task Test runs it after xunit and counts it as one test.
#>
[CmdletBinding()]
param(
    # The repository root.
    [Parameter(Mandatory)] [string] $Root,
    # A warm global packages folder (dotnet nuget locals global-packages --list) to use as the only package source.
    [Parameter(Mandatory)] [string] $PackageSource,
    [string] $Configuration = 'Release'
)

$ErrorActionPreference = 'Stop'
$work = Join-Path ([IO.Path]::GetTempPath()) ('sma-firstbuild-' + [guid]::NewGuid().ToString('n'))
$copy = Join-Path $work 'src'
$log = Join-Path $work 'build.log'
$savedPackages = $env:NUGET_PACKAGES
try {
    New-Item -ItemType Directory -Path $copy, (Join-Path $work 'packages') | Out-Null
    # The sources as they are in the work tree, without build output or the git folder.
    $skip = @('.git', 'out', 'bin', 'obj', 'TestResults')
    function Copy-Sources([string] $From, [string] $To) {
        foreach ($item in Get-ChildItem -LiteralPath $From -Force) {
            if ($item.PSIsContainer) {
                if ($item.Name -in $skip) { continue }
                $target = New-Item -ItemType Directory -Path (Join-Path $To $item.Name)
                Copy-Sources $item.FullName $target.FullName
            }
            else { Copy-Item -LiteralPath $item.FullName -Destination $To }
        }
    }
    Copy-Sources $Root $copy
    # Only the warm folder as a source, no fallback folders: nothing comes from the network or the real cache.
    Set-Content -Path (Join-Path $copy 'NuGet.Config') -Value @"
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <clear />
    <add key="warm-global-packages" value="$([Security.SecurityElement]::Escape($PackageSource))" />
  </packageSources>
  <fallbackPackageFolders>
    <clear />
  </fallbackPackageFolders>
</configuration>
"@
    $env:NUGET_PACKAGES = Join-Path $work 'packages'
    $projects = @(Get-ChildItem $copy -Filter *.sln | Select-Object -First 1) +
        @(Get-ChildItem (Join-Path $copy 'tests') -Recurse -Filter *.csproj | Where-Object { $_.FullName -match '[\\/]restore[\\/]' })
    $ok = $true
    foreach ($project in $projects) {
        # Restore and build in one call, as 'dotnet test' and 'dotnet build' do on a user's first run.
        $arguments = if ($project.Extension -eq '.sln') { @('build', $project.FullName, '-c', $Configuration) } else { @('restore', $project.FullName) }
        $verb = $arguments[0]
        $started = [DateTime]::UtcNow
        & dotnet @arguments --nologo -v quiet *>> $log
        Write-Verbose "dotnet $verb $($project.Name): $([int]([DateTime]::UtcNow - $started).TotalSeconds) s"
        if ($LASTEXITCODE -ne 0) {
            $ok = $false
            Write-Host "First build on an empty NuGet cache failed: dotnet $verb $($project.Name) (exit $LASTEXITCODE)" -ForegroundColor Red
        }
    }
    if (-not $ok) {
        Get-Content $log | Where-Object { $_ -match 'error|warn' } | Select-Object -Unique -First 20 | ForEach-Object { Write-Host "  $_" }
    }
    return $ok
}
finally {
    $env:NUGET_PACKAGES = $savedPackages
    Remove-Item $work -Recurse -Force -ErrorAction Ignore
}
