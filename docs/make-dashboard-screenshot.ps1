<#
.SYNOPSIS
    Makes docs/dashboard.png: the sample runbooks' jobs in an exported dashboard, photographed by headless Chromium.
.DESCRIPTION
    Uses a throw-away store in a temporary folder, never your own. The jobs of the current hour are real: the sample
    runbooks run as jobs. A dashboard of one hour is a dull picture, so the 23 hours before are filled with a day of
    the same runbooks' jobs written straight into the store with given times (the seeding path the tests and
    benchmarks use), from a fixed random seed. Then:
        Export-SmaDashboard -Path <folder>/dashboard.html -Hours 24
    and Chromium takes the screenshot with the last Write-Streams job opened.
.EXAMPLE
    dotnet pwsh -NoProfile -File build.ps1 -Task Build
    dotnet pwsh -NoProfile -File docs/make-dashboard-screenshot.ps1
#>
param(
    [string] $ModulePath = (Join-Path $PSScriptRoot '../out/Sma/Sma.psd1'),
    [string] $OutFile = (Join-Path $PSScriptRoot 'dashboard.png'),
    [int] $Width = 1280,
    [int] $Height = 1640
)

$ErrorActionPreference = 'Stop'
$chromium = Get-Command chromium, chromium-browser -CommandType Application -ErrorAction Ignore | Select-Object -First 1
if (-not $chromium) { throw 'Chromium is needed for the screenshot (Debian/Ubuntu: apt-get install chromium).' }

$work = Join-Path ([IO.Path]::GetTempPath()) ('sma-screenshot-' + [guid]::NewGuid().ToString('n'))
New-Item -ItemType Directory -Path $work | Out-Null
$env:SMA_STORE = Join-Path $work 'sma.db'
$env:SMA_KEY_FILE = Join-Path $work 'secret.key'
Import-Module $ModulePath
Import-Module (Join-Path $PSScriptRoot '../tests/SmaTestSeed/SmaTestSeed.psm1')   # Add-SmaSeedJob: the generated day (test-only)

try {
    Get-ChildItem (Join-Path $PSScriptRoot '../samples/runbooks/*.ps1') | Import-SmaRunbook -Publish | Out-Null
    Set-SmaRunbookConfiguration -Name Write-Streams -LogVerbose $true

    # A day of earlier jobs: busier in working hours, mostly Completed, some Failed, a few stopped or suspended.
    $random = [Random]::new(6)
    $now = [DateTime]::UtcNow
    $first = [DateTime]::new($now.Year, $now.Month, $now.Day, $now.Hour, 0, 0, [DateTimeKind]::Utc).AddHours(-23)
    $people = 'Alice', 'Bob', 'Carol', 'Dave', 'Erin', 'Frank'
    $seeded = for ($h = 0; $h -lt 23; $h++) {
        $hour = $first.AddHours($h)
        $load = 2 + $random.Next(0, 3) + $(if ($hour.Hour -ge 7 -and $hour.Hour -le 18) { 4 + $random.Next(0, 5) } else { 0 })
        for ($j = 0; $j -lt $load; $j++) {
            $queued = $hour.AddSeconds($random.Next(0, 3500))
            $start = $queued.AddMilliseconds($random.Next(5, 900))
            $run = $start.AddMilliseconds($random.Next(10, 200))
            $end = $run.AddSeconds($random.Next(1, 50))
            $pick = $random.Next(0, 100)
            if ($pick -lt 55) {
                $name = $people[$random.Next(0, $people.Count)]
                $times = $random.Next(1, 4)
                $job = @{ RunbookName = 'Hello'; Parameters = @{ Name = $name; Times = $times }; Output = 1..$times | ForEach-Object { "Hello, $name! ($_ of $times)" } }
                if ($random.Next(0, 25) -eq 0) { $job += @{ Status = 'Queued', 'Starting', 'Running', 'Stopping', 'Stopped'; Time = $queued, $start, $run, $end, $end.AddSeconds(1) } }
                else { $job += @{ Status = 'Queued', 'Starting', 'Running', 'Completed'; Time = $queued, $start, $run, $end } }
            }
            elseif ($pick -lt 85) {
                $items = $random.Next(2, 6)
                $job = @{ RunbookName = 'Write-Streams'; Parameters = @{ Items = $items }; Output = @("Processing $items items") }
                if ($random.Next(0, 8) -eq 0) {
                    $resume = $end.AddMinutes($random.Next(5, 40))
                    $job += @{ Status = 'Queued', 'Starting', 'Running', 'Suspending', 'Suspended', 'Resuming', 'Running', 'Completed'
                        Time = $queued, $start, $run, $end, $end.AddSeconds(2), $resume, $resume.AddSeconds(1), $resume.AddSeconds(20) }
                }
                else { $job += @{ Status = 'Queued', 'Starting', 'Running', 'Completed'; Time = $queued, $start, $run, $end } }
            }
            else {
                $job = @{ RunbookName = 'Fail'; Output = @('Reading /no/such/file.txt'); Status = 'Queued', 'Starting', 'Running', 'Failed'; Time = $queued, $start, $run, $end
                    StatusDetails = "Line 7: Cannot find path '/no/such/file.txt' because it does not exist." }
            }
            [pscustomobject]$job
        }
    }
    $seeded | Where-Object { $_.Time[-1] -lt $now } | Add-SmaSeedJob

    # This hour: the samples run for real.
    $real = @(
        Start-SmaRunbook -Name Hello -Parameters @{ Name = 'World'; Times = 2 }
        Start-SmaRunbook -Name Fail
        Start-SmaRunbook -Name Hello -Parameters @{ Name = 'Sma' }
        Start-SmaRunbook -Name Write-Streams -Parameters @{ Items = 4 }
    )
    $jobs = Wait-SmaJob -Id $real -Timeout 120
    $streams = $jobs | Where-Object RunbookName -EQ 'Write-Streams'

    $page = Join-Path $work 'dashboard.html'
    Export-SmaDashboard -Path $page -Hours 24
    Show-SmaDashboard -Hours 8 | Out-Host

    $url = [Uri]::new($page).AbsoluteUri + "#job=$($streams.JobId)"
    $arguments = '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
        '--no-first-run', '--disable-sync', '--disable-quic', '--disable-dev-shm-usage', '--hide-scrollbars',
        "--user-data-dir=$(Join-Path $work 'profile')", "--window-size=$Width,$Height", "--screenshot=$OutFile", $url
    & $chromium.Source @arguments 2>&1 | Where-Object { "$_" -match 'written to file' } | Out-Host
    if (-not (Test-Path $OutFile)) { throw "Chromium did not write $OutFile." }
}
finally {
    Remove-Module Sma -ErrorAction Ignore
    Remove-Item $work -Recurse -Force -ErrorAction Ignore
}
