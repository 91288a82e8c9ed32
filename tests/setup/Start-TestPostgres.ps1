<#
.SYNOPSIS
    Starts a throwaway PostgreSQL server for the tests, or stops one (-Stop).
.DESCRIPTION
    build.ps1 -Task Test calls it when the PostgreSQL tests are asked for (DESIGN §3, §12). It finds Debian's server
    binaries (initdb, pg_ctl: in the package's own bin folder, not on PATH); when they are missing and -Install is
    given, it installs Debian's 'postgresql' package with apt-get (as root directly, else through sudo), as
    Install-TestBrowser.ps1 does for Chromium. It then makes a cluster in a new temporary folder and starts it on a
    free port of 127.0.0.1 (and a Unix socket in that folder), with durability settings off since the data is thrown
    away. The server refuses to run as root: as root the cluster belongs to the 'postgres' user the package creates.
    No Docker.

    Returns an object with ConnectionString (the 'postgres' maintenance database; tests create one database per
    store), Port, DataFolder, and the values -Stop needs. -Stop stops the server and removes the folder.
.EXAMPLE
    $pg = ./tests/setup/Start-TestPostgres.ps1 -Install; ...; ./tests/setup/Start-TestPostgres.ps1 -Stop -Server $pg
#>
[CmdletBinding(DefaultParameterSetName = 'Start')]
param(
    # Install Debian's postgresql package when the server binaries are missing.
    [Parameter(ParameterSetName = 'Start')]
    [switch] $Install,

    # Only say whether the server binaries are here (true/false); start nothing.
    [Parameter(ParameterSetName = 'Probe')]
    [switch] $Probe,

    [Parameter(ParameterSetName = 'Stop', Mandatory)]
    [switch] $Stop,

    # What a start returned.
    [Parameter(ParameterSetName = 'Stop', Mandatory)]
    [psobject] $Server
)

$ErrorActionPreference = 'Stop'
$isRoot = $IsLinux -and "$(id -u)".Trim() -eq '0'

# initdb and pg_ctl: beside pg_config's bindir, else the newest /usr/lib/postgresql/<version>/bin.
function Find-BinFolder {
    $candidates = @()
    if (Get-Command pg_config -CommandType Application -ErrorAction Ignore) { $candidates += "$(pg_config --bindir 2>$null)".Trim() }
    $candidates += @(Get-ChildItem /usr/lib/postgresql -Directory -ErrorAction Ignore |
        Sort-Object { [int]($_.Name -replace '\D', '0') } -Descending | ForEach-Object { Join-Path $_.FullName 'bin' })
    $candidates | Where-Object { $_ -and (Test-Path (Join-Path $_ 'initdb')) -and (Test-Path (Join-Path $_ 'pg_ctl')) } | Select-Object -First 1
}

# Runs a server binary as the cluster's owner: this user, or 'postgres' when this is root (the server refuses root).
function Invoke-AsOwner([string] $Exe, [string[]] $Arguments) {
    $log = if ($isRoot) { & runuser -u postgres -- $Exe @Arguments 2>&1 } else { & $Exe @Arguments 2>&1 }
    if ($LASTEXITCODE -ne 0) { throw "'$(Split-Path $Exe -Leaf) $($Arguments -join ' ')' failed: $((@($log) | Select-Object -Last 5) -join ' ')" }
}

if ($Stop) {
    try { Invoke-AsOwner (Join-Path $Server.BinFolder 'pg_ctl') @('-D', $Server.DataFolder, '-m', 'immediate', '-w', 'stop') }
    catch { Write-Warning "Stopping the test PostgreSQL server: $_" }
    Remove-Item $Server.Folder -Recurse -Force -ErrorAction Ignore
    return
}

$bin = Find-BinFolder
if ($Probe) { return [bool]$bin }
if (-not $bin -and $Install) {
    $why = 'apt-get is not available here'
    if ($IsLinux -and (Get-Command apt-get -CommandType Application -ErrorAction Ignore)) {
        $sudo = -not $isRoot -and [bool](Get-Command sudo -CommandType Application -ErrorAction Ignore)
        if ($isRoot -or $sudo) {
            Write-Host "Installing postgresql (apt-get$(if ($sudo) { ' through sudo' })) for the PostgreSQL store tests..." -ForegroundColor Cyan
            $apt = @('env', 'DEBIAN_FRONTEND=noninteractive', 'apt-get')
            if ($sudo) { $apt = @('sudo') + $apt }
            $log = & $apt[0] @($apt | Select-Object -Skip 1) update -qq 2>&1
            if ($LASTEXITCODE -eq 0) { $log = & $apt[0] @($apt | Select-Object -Skip 1) install -y -qq postgresql 2>&1 }
            $bin = Find-BinFolder
            if (-not $bin) { $why = "apt-get failed: $((@($log) | Select-Object -Last 3) -join ' ')" }
        }
        else { $why = 'this is not root and sudo is not available' }
    }
    if (-not $bin) {
        throw "The PostgreSQL store tests need a PostgreSQL server (initdb and pg_ctl), which is missing and could not be " +
            "installed ($why). Install it - on Debian or Ubuntu: sudo apt-get install postgresql - and run the tests again " +
            "(or run them on SQLite only with -Store Sqlite)."
    }
}
if (-not $bin) { throw 'The PostgreSQL server binaries (initdb, pg_ctl) are not installed: run with -Install.' }

# A free port: the system hands one out, the listener lets it go, the server takes it a moment later.
$listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
$listener.Start(); $port = $listener.LocalEndpoint.Port; $listener.Stop()

$folder = Join-Path ([IO.Path]::GetTempPath()) "sma-pg-$([guid]::NewGuid().ToString('n').Substring(0, 12))"
$data = Join-Path $folder 'data'
New-Item -ItemType Directory $folder | Out-Null
if ($isRoot) { & chown postgres $folder; if ($LASTEXITCODE -ne 0) { throw "chown postgres $folder failed." } }
try {
    # trust on the loopback and the socket only: a throwaway server for this machine's tests, never a real one.
    Invoke-AsOwner (Join-Path $bin 'initdb') @('-D', $data, '-U', 'sma', '--auth=trust', '-E', 'UTF8', '--locale=C', '--no-sync')
    $options = "-p $port -k $folder -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off " +
        "-c full_page_writes=off -c max_connections=300 -c shared_buffers=64MB"
    Invoke-AsOwner (Join-Path $bin 'pg_ctl') @('-D', $data, '-o', $options, '-l', (Join-Path $folder 'server.log'), '-w', '-t', '60', 'start')
}
catch {
    $log = Join-Path $folder 'server.log'
    $detail = if (Test-Path $log) { (Get-Content $log -Tail 5) -join ' ' } else { '' }
    Remove-Item $folder -Recurse -Force -ErrorAction Ignore
    throw "The test PostgreSQL server did not start: $_ $detail"
}
[pscustomobject]@{
    ConnectionString = "Host=127.0.0.1;Port=$port;Username=sma;Database=postgres"
    Port             = $port
    Folder           = $folder
    DataFolder       = $data
    BinFolder        = $bin
}
