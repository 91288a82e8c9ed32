<#
.SYNOPSIS
    Makes sure Chromium and chromedriver are on PATH for the dashboard's browser test (tests/pester/Dashboard.Tests.ps1).
.DESCRIPTION
    build.ps1 -Task Test calls it, so the README's test command sets up what its tests need. When either is missing
    and apt-get is there, it installs Debian's 'chromium' and 'chromium-driver' packages: as root directly, else
    through sudo when sudo exists. Otherwise, or when the installation fails, it throws, saying exactly what to install.
#>
[CmdletBinding()]
param()

$ErrorActionPreference = 'Stop'
$present = {
    (Get-Command chromium, chromium-browser -CommandType Application -ErrorAction Ignore) -and
    (Get-Command chromedriver -CommandType Application -ErrorAction Ignore)
}
if (& $present) { return }

$why = 'apt-get is not available here'
if ($IsLinux -and (Get-Command apt-get -CommandType Application -ErrorAction Ignore)) {
    $root = "$(id -u)".Trim() -eq '0'
    $sudo = -not $root -and [bool](Get-Command sudo -CommandType Application -ErrorAction Ignore)
    if ($root -or $sudo) {
        Write-Host "Installing chromium and chromium-driver (apt-get$(if ($sudo) { ' through sudo' })) for the dashboard's browser test..." -ForegroundColor Cyan
        $apt = @('env', 'DEBIAN_FRONTEND=noninteractive', 'apt-get')
        if ($sudo) { $apt = @('sudo') + $apt }
        $log = & $apt[0] @($apt | Select-Object -Skip 1) update -qq 2>&1
        if ($LASTEXITCODE -eq 0) { $log = & $apt[0] @($apt | Select-Object -Skip 1) install -y -qq chromium chromium-driver 2>&1 }
        if ($LASTEXITCODE -eq 0 -and (& $present)) { return }
        $why = "apt-get failed: $((@($log) | Select-Object -Last 3) -join ' ')"
    }
    else { $why = 'this is not root and sudo is not available' }
}
throw "The dashboard's browser test needs Chromium and chromedriver, which are missing and could not be installed " +
    "($why). Install them - on Debian or Ubuntu: sudo apt-get install chromium chromium-driver; elsewhere a Chromium " +
    "and the matching chromedriver on PATH - and run the tests again (or leave the dashboard out with -Filter)."
