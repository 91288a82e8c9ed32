# The dashboard (DESIGN §4.9): Get-SmaJobSummary from controlled status histories, Show-SmaDashboard in the
# terminal, Export-SmaDashboard's page, and that page in a real headless Chromium driven over WebDriver.

BeforeAll {
    . $PSScriptRoot/TestHelpers.ps1
    Initialize-SmaTestStore
    Import-Module (Join-Path $PSScriptRoot '../SmaTestSeed/SmaTestSeed.psm1')   # Add-SmaSeedJob (test-only)

    $script:Statuses = 'Queued', 'Starting', 'Running', 'Completed', 'Failed', 'Stopping', 'Stopped', 'Suspending', 'Suspended', 'Resuming'

    # The ten counts of a summary row, in status order.
    function Get-Counts($Row) { foreach ($s in $script:Statuses) { $Row.$s } }

    # Slices follow the clock: keep what follows inside one UTC hour (and so one UTC day) by waiting out the last
    # 90 seconds of an hour. This only avoids a boundary; nothing asserts how long anything took.
    function Wait-ForWholeHour {
        $now = [DateTime]::UtcNow
        $next = [DateTime]::new($now.Year, $now.Month, $now.Day, $now.Hour, 0, 0, [DateTimeKind]::Utc).AddHours(1)
        if (($next - $now).TotalSeconds -lt 90) { Start-Sleep -Milliseconds ([int]($next - $now).TotalMilliseconds + 500) }
    }
}

AfterAll {
    Remove-SmaTestStore
}

Describe 'Get-SmaJobSummary and Show-SmaDashboard' {
    BeforeAll {
        Wait-ForWholeHour
        $now = [DateTime]::UtcNow
        $H0 = [DateTime]::new($now.Year, $now.Month, $now.Day, $now.Hour, 0, 0, [DateTimeKind]::Utc)
        $h1 = $H0.AddHours(-1)
        $h2 = $H0.AddHours(-2)
        $D0 = $H0.Date
        $D1 = $D0.AddDays(-1)
        New-TestRunbook -Name Alpha -Source "'alpha'" | Out-Null
        New-TestRunbook -Name Beta -Source "'beta'" | Out-Null
        New-TestRunbook -Name Gamma -Source "'gamma'" | Out-Null

        # Alpha: A1 was queued and starting before the range (the last tick of the hour before counts there), and
        # entered Running exactly at the first slice's start.
        Add-SmaSeedJob -RunbookName Alpha -Status Queued, Starting, Running, Completed -Time $h2.AddMinutes(-30), $h2.AddTicks(-1), $h2, $h2.AddMinutes(5)
        Add-SmaSeedJob -RunbookName Alpha -Status Queued, Starting, Running, Failed -Time $h2.AddMinutes(10), $h2.AddMinutes(11), $h2.AddMinutes(12), $h1.AddMinutes(1)
        # A3 suspends and resumes: it enters Running twice in the hour h1.
        Add-SmaSeedJob -RunbookName Alpha -Status Queued, Starting, Running, Suspending, Suspended, Resuming, Running, Completed `
            -Time $h1.AddMinutes(10), $h1.AddMinutes(11), $h1.AddMinutes(12), $h1.AddMinutes(20), $h1.AddMinutes(21), $h1.AddMinutes(40), $h1.AddMinutes(41), $H0
        # Beta: stopped while queued in h1; one still starting in the current hour; one long before the range.
        Add-SmaSeedJob -RunbookName Beta -Status Queued, Stopping, Stopped -Time $h1.AddMinutes(5), $h1.AddMinutes(6), $h1.AddMinutes(6)
        Add-SmaSeedJob -RunbookName Beta -Status Queued, Starting -Time $H0, $H0
        Add-SmaSeedJob -RunbookName Beta -Status Queued, Starting, Running, Completed -Time $h2.AddDays(-3), $h2.AddDays(-3), $h2.AddDays(-3), $h2.AddDays(-3)
        # Gamma, by day: G1 entered Starting exactly at midnight a day ago; G2 failed exactly at midnight today.
        Add-SmaSeedJob -RunbookName Gamma -Status Queued, Starting, Running, Completed -Time $D1.AddHours(-1), $D1, $D1.AddSeconds(1), $D1.AddHours(2)
        Add-SmaSeedJob -RunbookName Gamma -Status Queued, Starting, Running, Failed -Time $D1.AddHours(3), $D1.AddHours(3).AddMinutes(1), $D1.AddHours(3).AddMinutes(2), $D0
    }

    It 'counts, per UTC hour, how many jobs entered each status, for all runbooks' {
        $rows = Get-SmaJobSummary -Hours 3 -RunbookName '[AB]*'   # Alpha and Beta; Gamma's jobs are in other hours
        $rows.Count | Should -Be 3
        $rows.SliceStart | Should -Be @($h2, $h1, $H0)
        $rows.SliceEnd | Should -Be @($h1, $H0, $H0.AddHours(1))
        $rows[0].SliceStart.Kind | Should -Be 'Utc'
        #                            Q  St Ru Co Fa Sg Sd Si Sp Re
        Get-Counts $rows[0] | Should -Be @(1, 1, 2, 1, 0, 0, 0, 0, 0, 0)
        Get-Counts $rows[1] | Should -Be @(2, 1, 2, 0, 1, 1, 1, 1, 1, 1)
        Get-Counts $rows[2] | Should -Be @(1, 1, 0, 1, 0, 0, 0, 0, 0, 0)
        $rows[1].Total | Should -Be 11
    }

    It 'gives the same counts without a runbook filter when only these runbooks have jobs in the range' {
        $all = Get-SmaJobSummary -Hours 3
        $all.Count | Should -Be 3
        $all[0].RunbookName | Should -BeNullOrEmpty
        $gammaInRange = @(Get-SmaJobSummary -Hours 3 -RunbookName Gamma | Where-Object Total -GT 0).Count
        if ($gammaInRange -eq 0) {
            for ($i = 0; $i -lt 3; $i++) { Get-Counts $all[$i] | Should -Be (Get-Counts (Get-SmaJobSummary -Hours 3 -RunbookName '[AB]*')[$i]) }
        }
        else {
            # Right after midnight Gamma's day-boundary jobs fall into these hours: then they add up exactly.
            $ab = Get-SmaJobSummary -Hours 3 -RunbookName '[AB]*'
            $g = Get-SmaJobSummary -Hours 3 -RunbookName Gamma
            for ($i = 0; $i -lt 3; $i++) { $all[$i].Total | Should -Be ($ab[$i].Total + $g[$i].Total) }
        }
    }

    It 'counts one runbook, named in any case' {
        $alpha = Get-SmaJobSummary -Hours 3 -RunbookName alpha
        $alpha.RunbookName | Should -Be @('alpha', 'alpha', 'alpha')
        Get-Counts $alpha[0] | Should -Be @(1, 1, 2, 1, 0, 0, 0, 0, 0, 0)
        Get-Counts $alpha[1] | Should -Be @(1, 1, 2, 0, 1, 0, 0, 1, 1, 1)
        Get-Counts $alpha[2] | Should -Be @(0, 0, 0, 1, 0, 0, 0, 0, 0, 0)
        $beta = Get-SmaJobSummary -Hours 3 -RunbookName BETA
        Get-Counts $beta[0] | Should -Be @(0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        Get-Counts $beta[1] | Should -Be @(1, 0, 0, 0, 0, 1, 1, 0, 0, 0)
        Get-Counts $beta[2] | Should -Be @(1, 1, 0, 0, 0, 0, 0, 0, 0, 0)
    }

    It 'counts per UTC day with -Days, today last' {
        $rows = Get-SmaJobSummary -Days 2 -RunbookName Gamma
        $rows.SliceStart | Should -Be @($D1, $D0)
        $rows.SliceEnd | Should -Be @($D0, $D0.AddDays(1))
        Get-Counts $rows[0] | Should -Be @(1, 2, 2, 1, 0, 0, 0, 0, 0, 0)
        Get-Counts $rows[1] | Should -Be @(0, 0, 0, 0, 1, 0, 0, 0, 0, 0)
        (Get-SmaJobSummary -Days 7).Count | Should -Be 7
    }

    It 'defaults to the last 24 hours, with empty slices as zeros' {
        $rows = Get-SmaJobSummary -RunbookName Beta
        $rows.Count | Should -Be 24
        $rows[-1].SliceStart | Should -Be $H0
        @($rows | Where-Object Total -EQ 0).Count | Should -Be 22
    }

    It 'shows a table in 80 columns' {
        $text = Get-SmaJobSummary -Hours 3 -RunbookName Alpha | Format-Table | Out-String -Width 80
        $text | Should -Match 'SliceStart \(UTC\)\s+Queued\s+Running\s+Completed\s+Failed\s+Stopped\s+Suspended\s+Total'
        $text | Should -Match ([regex]::Escape($h1.ToString('yyyy-MM-dd HH:mm')) + '\s+1\s+2\s+0\s+1\s+0\s+1\s+8')
    }

    It 'gives zeros for a wildcard that matches no runbook' {
        $rows = Get-SmaJobSummary -Hours 3 -RunbookName 'Nothing*'
        $rows.Count | Should -Be 3
        $rows.Total | Should -Be @(0, 0, 0)
    }

    It 'refuses <Case> with <ErrorId>' -ForEach @(
        @{ Case = '-Hours 0'; ErrorId = 'ParameterArgumentValidationError'; Call = { Get-SmaJobSummary -Hours 0 } }
        @{ Case = '-Hours 721'; ErrorId = 'ParameterArgumentValidationError'; Call = { Get-SmaJobSummary -Hours 721 } }
        @{ Case = '-Days 0'; ErrorId = 'ParameterArgumentValidationError'; Call = { Get-SmaJobSummary -Days 0 } }
        @{ Case = '-Days 366'; ErrorId = 'ParameterArgumentValidationError'; Call = { Show-SmaDashboard -Days 366 } }
        @{ Case = '-Hours with -Days'; ErrorId = 'AmbiguousParameterSet'; Call = { Get-SmaJobSummary -Hours 2 -Days 2 } }
        @{ Case = 'an unknown runbook'; ErrorId = 'RunbookNotFound'; Terminating = $false; Call = { Get-SmaJobSummary -RunbookName Nope } }
        @{ Case = 'an unknown runbook (terminal)'; ErrorId = 'RunbookNotFound'; Terminating = $false; Call = { Show-SmaDashboard -RunbookName "x'; DROP TABLE jobs; --" } }
    ) {
        # Invalid parameter values are terminating; a Get-* that does not find a named runbook is not (DESIGN §6).
        $report = Get-ErrorReport $Call
        $report | Should -Not -BeNullOrEmpty
        $report.Terminating | Should -Be ($Terminating -ne $false)
        $err = $report.Error
        $err.FullyQualifiedErrorId | Should -BeLike "$ErrorId,*"
        (Get-SmaRunbook Alpha).RunbookName | Should -Be 'Alpha'
    }

    It 'draws the summary as plain text lines of at most 79 characters' {
        $lines = Show-SmaDashboard -Hours 3 -RunbookName '[AB]*'
        $lines | Should -Not -BeNullOrEmpty
        foreach ($line in $lines) {
            $line | Should -BeOfType [string]
            $line.Length | Should -BeLessOrEqual 79
            $line | Should -Not -Match "`e"
        }
        $lines[0] | Should -Be 'Sma jobs, last 3 hours by hour (UTC), runbook [AB]*'
        $lines | Should -Contain 'Hour (UTC)       Queued Running Completed Failed Stopped  Ended'
        # Queued, Running, Completed, Failed, Stopped, then a bar of the ended jobs: █ Completed, ▒ Failed, ░ Stopped.
        $lines | Should -Contain ('{0}      1       2         1      0       0  █' -f $h2.ToString('yyyy-MM-dd HH:mm'))
        $lines | Should -Contain ('{0}      2       2         0      1       1  ▒░' -f $h1.ToString('yyyy-MM-dd HH:mm'))
        $lines | Should -Contain ('{0}      1       0         1      0       0  █' -f $H0.ToString('yyyy-MM-dd HH:mm'))
        ($lines | Where-Object { $_ -like 'Totals:*' }) | Should -Match '^Totals: Queued 4, Starting 3, Running 4, Completed 2, Failed 1,'
    }

    It 'draws days and one runbook' {
        $lines = Show-SmaDashboard -Days 2 -RunbookName gamma
        $lines[0] | Should -Be 'Sma jobs, last 2 days by day (UTC), runbook gamma'
        $lines | Should -Contain ('{0}      1       2         1      0       0  █' -f $D1.ToString('yyyy-MM-dd'))
        $lines | Should -Contain ('{0}      0       0         0      1       0  ▒' -f $D0.ToString('yyyy-MM-dd'))
        foreach ($line in $lines) { $line.Length | Should -BeLessOrEqual 79 }
    }
}

Describe 'Export-SmaDashboard' {
    It 'writes one self-contained HTML file with the data escaped' {
        $file = Join-Path $SmaTestFolder 'page.html'
        $result = Export-SmaDashboard -Path $file -Hours 6 -PassThru
        $result | Should -BeOfType [IO.FileInfo]
        $result.FullName | Should -Be $file
        $html = Get-Content -Raw $file
        $html | Should -Match '<script type="application/json" id="sma-data">'
        $html | Should -Match "default-src 'none'"
        # Nothing that could fetch anything: no src/href attributes, no url(), no @import.
        $html | Should -Not -Match '(src|href)\s*=|url\(|@import'
        ([regex]::Matches($html, '</script')).Count | Should -Be 2
    }

    It 'writes nothing with -WhatIf, and replaces an existing file' {
        $file = Join-Path $SmaTestFolder 'whatif.html'
        Export-SmaDashboard -Path $file -WhatIf
        Test-Path $file | Should -BeFalse
        Set-Content $file 'old'
        Export-SmaDashboard -Path $file -Days 2 -RunbookName Gamma
        Get-Content -Raw $file | Should -Match '<!DOCTYPE html>'
    }

    It 'refuses <Case> with <ErrorId> and writes nothing' -ForEach @(
        @{ Case = 'a path in a missing folder'; ErrorId = 'DashboardFolderMissing'; Target = { Join-Path $SmaTestFolder 'no/such/folder/page.html' } }
        @{ Case = 'a folder'; ErrorId = 'DashboardPathIsFolder'; Target = { $SmaTestFolder } }
    ) {
        $path = & $Target
        $err = Get-TerminatingError { Export-SmaDashboard -Path $path }
        $err.FullyQualifiedErrorId | Should -BeLike "$ErrorId,*"
        $err.Exception.Message | Should -BeLike "*$path*"
        Test-Path (Join-Path $SmaTestFolder 'no') | Should -BeFalse
    }

    It 'refuses an unknown runbook with RunbookNotFound' {
        $file = Join-Path $SmaTestFolder 'nope.html'
        (Get-NonTerminatingError { Export-SmaDashboard -Path $file -RunbookName Nope }).FullyQualifiedErrorId | Should -BeLike 'RunbookNotFound,*'
        Test-Path $file | Should -BeFalse
    }
}

Describe 'The exported dashboard in headless Chromium' {
    BeforeAll {
        $chromium = Get-Command chromium, chromium-browser -CommandType Application -ErrorAction Ignore | Select-Object -First 1
        $chromedriver = Get-Command chromedriver -CommandType Application -ErrorAction Ignore | Select-Object -First 1
        if (-not $chromium -or -not $chromedriver) {
            throw 'Chromium and chromedriver are needed for this test and are not installed. On Debian/Ubuntu: ' +
                'apt-get install -y chromium chromium-driver (.ci/run installs them).'
        }

        # The jobs: real ones (output with markup, a failure, parameters) and seeded ones at known times.
        $now = [DateTime]::UtcNow
        $evilSource = "'</script><script>window.pwned = 1</script>'`n'<img src=x onerror=""window.pwned = 2"">'`nWrite-Warning 'careful & <b>bold</b>'"
        New-TestRunbook -Name Web-Evil -Source $evilSource | Out-Null
        New-TestRunbook -Name Web-Broken -Source "'about to fail'`nthrow 'broken <b>on purpose</b>'" | Out-Null
        Import-SmaRunbook -Path (Join-Path $PSScriptRoot '../../samples/runbooks/Hello.ps1') -Name Web-Hello -Publish | Out-Null
        New-TestRunbook -Name Web-Seeded -Source "'seeded'" | Out-Null
        $evil = Start-SmaRunbook Web-Evil -Wait
        $broken = Start-SmaRunbook Web-Broken -Wait
        $hello = Start-SmaRunbook Web-Hello -Parameters @{ Name = '<i>you</i>'; Times = 2 } -Wait
        $at = { param($h) $now.AddHours(-$h) }
        $old = Add-SmaSeedJob -RunbookName Web-Seeded -Status Queued, Starting, Running, Completed -PassThru `
            -Time (& $at 5.2), (& $at 5.2), (& $at 5.1), (& $at 5)
        $middle = Add-SmaSeedJob -RunbookName Web-Seeded -Status Queued, Starting, Running, Failed -PassThru `
            -Time (& $at 3.2), (& $at 3.2), (& $at 3.1), (& $at 3) -StatusDetails 'seeded failure'
        $late = Add-SmaSeedJob -RunbookName Web-Seeded -Status Queued, Stopping, Stopped -PassThru -Time (& $at 2), (& $at 2), (& $at 2)
        $evil.JobStatus, $broken.JobStatus, $hello.JobStatus | Should -Be @('Completed', 'Failed', 'Completed')

        $page = Join-Path $SmaTestFolder 'dashboard.html'
        Export-SmaDashboard -Path $page -Hours 8 -RunbookName 'Web-*'

        # chromedriver on a free local port, Chromium headless with a fresh profile and no background traffic.
        $listener = [Net.Sockets.TcpListener]::new([Net.IPAddress]::Loopback, 0)
        $listener.Start()
        $port = $listener.LocalEndpoint.Port
        $listener.Stop()
        $script:driverUrl = "http://127.0.0.1:$port"
        $driverLog = Join-Path $SmaTestFolder 'chromedriver.log'
        $script:driver = Start-Process -FilePath $chromedriver.Source -ArgumentList "--port=$port" -PassThru `
            -RedirectStandardOutput $driverLog -RedirectStandardError "$driverLog.err"

        function Invoke-WebDriver([string] $Path, $Body, [string] $Method = 'Post') {
            $request = @{ Method = $Method; Uri = "$script:driverUrl$Path"; NoProxy = $true; TimeoutSec = 60 }
            if ($Method -eq 'Post') {
                $request.Body = [Text.Encoding]::UTF8.GetBytes(($Body | ConvertTo-Json -Depth 10 -Compress))
                $request.ContentType = 'application/json; charset=utf-8'
            }
            try {
                (Invoke-RestMethod @request).value
            }
            catch {
                throw "WebDriver $Method $Path failed: $($_.ErrorDetails.Message ?? $_.Exception.Message)"
            }
        }
        function Invoke-Page([string] $Script, [object[]] $Arguments = @()) {
            Invoke-WebDriver "/session/$script:session/execute/sync" @{ script = $Script; args = $Arguments }
        }
        function Find-Elements([string] $Css) {
            @(Invoke-WebDriver "/session/$script:session/elements" @{ using = 'css selector'; value = $Css }) |
                ForEach-Object { $_.'element-6066-11e4-a52e-4f735466cecf' }
        }
        function Invoke-Click([string] $Css) {
            $element = @(Find-Elements $Css)
            $element.Count | Should -Be 1 -Because "one element matches $Css"
            Invoke-WebDriver "/session/$script:session/element/$($element[0])/click" @{} | Out-Null
        }
        # The rows the filters leave visible, as "status runbook" lines.
        function Get-VisibleJobs {
            Invoke-Page "return Array.from(document.querySelectorAll('tr.job')).filter(function (r) { return !r.hidden && r.offsetParent !== null; }).map(function (r) { return r.getAttribute('data-job-id'); });"
        }

        Wait-Until -TimeoutSeconds 30 -Because 'chromedriver to listen' {
            try { (Invoke-RestMethod -Uri "$script:driverUrl/status" -NoProxy -TimeoutSec 2).value.ready } catch { $false }
        }
        $script:profileDir = Join-Path $SmaTestFolder 'chromium-profile'
        $capabilities = @{ capabilities = @{ alwaysMatch = @{ browserName = 'chrome'; 'goog:chromeOptions' = @{
                        binary = $chromium.Source
                        args = @('--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
                            '--no-first-run', '--disable-sync', '--disable-quic', '--disable-dev-shm-usage', "--user-data-dir=$script:profileDir",
                            '--window-size=1280,1100')
                    } } } }
        $script:session = (Invoke-WebDriver '/session' $capabilities).sessionId
        Invoke-WebDriver "/session/$script:session/url" @{ url = [Uri]::new($page).AbsoluteUri } | Out-Null
    }

    AfterAll {
        if ($script:session) { try { Invoke-WebDriver "/session/$script:session" $null -Method Delete | Out-Null } catch { Write-Warning "Closing the browser: $_" } }
        if ($script:driver -and -not $script:driver.HasExited) { Stop-Process -Id $script:driver.Id -Force -ErrorAction Ignore }
        # Should the session not have closed, the browser this test started is the one with its fresh profile.
        Get-Process chromium -ErrorAction Ignore | Where-Object { $_.CommandLine -like "*--user-data-dir=$script:profileDir*" } |
            ForEach-Object { Stop-Process -Id $_.Id -Force -ErrorAction Ignore }
    }

    It 'opens from disk and loads nothing over the network' {
        Invoke-Page 'return document.readyState;' | Should -Be 'complete'
        Invoke-Page 'return location.protocol;' | Should -Be 'file:'
        Invoke-Page "return performance.getEntriesByType('resource').length;" | Should -Be 0
        Invoke-Page 'return document.title;' | Should -Be 'Sma dashboard: runbook Web-*, last 8 hours by hour'
    }

    It 'draws the chart with one line per status and a legend entry for each' {
        @(Find-Elements '#chart svg').Count | Should -Be 1
        $series = Invoke-Page "return Array.from(document.querySelectorAll('#chart g.series')).map(function (g) { return g.getAttribute('data-status'); });"
        ($series | Sort-Object) | Should -Be ($Statuses | Sort-Object)
        $legend = Invoke-Page "return Array.from(document.querySelectorAll('button.legend')).map(function (b) { return b.getAttribute('data-status'); });"
        $legend | Should -Be $Statuses
        # Every line has a point per slice: 8 hours.
        Invoke-Page "return document.querySelector('g.series[data-status=Completed] path').getAttribute('d').split('L').length;" | Should -Be 8
        # The legend shows each status's total over the range: 3 real + 3 seeded jobs entered Queued.
        Invoke-Page "return document.querySelector('button.legend[data-status=Queued] .total').textContent;" | Should -Be '6'
    }

    It 'hides and shows a status''s line when its legend entry is clicked' {
        $display = "return getComputedStyle(document.querySelector('#chart g.series[data-status=Completed]')).display;"
        Invoke-Page $display | Should -Not -Be 'none'
        Invoke-Click 'button.legend[data-status="Completed"]'
        Invoke-Page $display | Should -Be 'none'
        Invoke-Page "return document.querySelector('button.legend[data-status=Completed]').getAttribute('aria-pressed');" | Should -Be 'false'
        Invoke-Page "return getComputedStyle(document.querySelector('#chart g.series[data-status=Failed]')).display;" | Should -Not -Be 'none'
        Invoke-Click 'button.legend[data-status="Completed"]'
        Invoke-Page $display | Should -Not -Be 'none'
    }

    It 'lists the jobs of the range and filters them by status' {
        $all = @($evil, $broken, $hello, $old, $middle, $late).JobId.Guid
        (Get-VisibleJobs | Sort-Object) | Should -Be ($all | Sort-Object)
        Invoke-Page "return document.getElementById('job-count').textContent;" | Should -Be '6 of 6 jobs'
        Invoke-Click '#filter-status option[value="Failed"]'
        (Get-VisibleJobs | Sort-Object) | Should -Be (@($broken.JobId.Guid, $middle.JobId.Guid) | Sort-Object)
        Invoke-Page "return Array.from(document.querySelectorAll('tr.job:not([hidden])')).every(function (r) { return r.getAttribute('data-status') === 'Failed'; });" |
            Should -BeTrue
        Invoke-Click '#filter-clear'
        @(Get-VisibleJobs).Count | Should -Be 6
    }

    It 'filters the jobs by a date range of their last change' {
        $setRange = "var f = document.getElementById('filter-from'), t = document.getElementById('filter-to');" +
            "f.value = arguments[0]; t.value = arguments[1]; f.dispatchEvent(new Event('change')); t.dispatchEvent(new Event('change'));"
        $minute = { param($h) $now.AddHours(-$h).ToString('yyyy-MM-ddTHH:mm') }
        Invoke-Page $setRange @((& $minute 4), '') | Out-Null
        (Get-VisibleJobs | Sort-Object) | Should -Be (@($evil, $broken, $hello, $middle, $late).JobId.Guid | Sort-Object)
        Invoke-Page $setRange @((& $minute 4), (& $minute 2.5)) | Out-Null
        Get-VisibleJobs | Should -Be $middle.JobId.Guid
        Invoke-Click '#filter-status option[value="Completed"]'
        @(Get-VisibleJobs).Count | Should -Be 0
        Invoke-Page "return document.getElementById('no-jobs').hidden;" | Should -BeFalse
        Invoke-Click '#filter-clear'
        @(Get-VisibleJobs).Count | Should -Be 6
    }

    It 'shows a job''s parameters, status history, records and source as text, running none of it' {
        Invoke-Click "tr.job[data-job-id=""$($hello.JobId)""]"
        $detail = Invoke-Page "return document.getElementById('job-detail').innerText;"
        $detail | Should -Match '<i>you</i>'
        $detail | Should -Match 'Hello, <i>you</i>! \(2 of 2\)'
        Invoke-Page "return Array.from(document.querySelectorAll('#job-detail tr.status-change')).map(function (r) { return r.getAttribute('data-status'); });" |
            Should -Be @('Queued', 'Starting', 'Running', 'Completed')
        Invoke-Page "return document.querySelector('#job-detail pre.source').textContent;" |
            Should -Be (Get-SmaJob -Id $hello | Get-SmaRunbookDefinition).Content

        Invoke-Click "tr.job[data-job-id=""$($evil.JobId)""]"
        $records = Invoke-Page "return Array.from(document.querySelectorAll('#job-detail tr.record td.text')).map(function (c) { return c.textContent; });"
        $records | Should -Be @('</script><script>window.pwned = 1</script>', '<img src=x onerror="window.pwned = 2">', 'careful & <b>bold</b>')
        Invoke-Page "return document.querySelectorAll('#job-detail img, #job-detail script, #job-detail b, #job-detail i').length;" | Should -Be 0
        Invoke-Page "return typeof window.pwned;" | Should -Be 'undefined'

        Invoke-Click "tr.job[data-job-id=""$($broken.JobId)""]"
        Invoke-Page "return document.querySelector('#job-detail pre.exception').textContent;" | Should -Match 'broken <b>on purpose</b>'
    }

    It 'takes a screenshot' {
        Invoke-Click "tr.job[data-job-id=""$($hello.JobId)""]"
        $png = [Convert]::FromBase64String((Invoke-WebDriver "/session/$script:session/screenshot" $null -Method Get))
        $folder = if ($env:SMA_TEST_RESULTS) { $env:SMA_TEST_RESULTS } else { $SmaTestFolder }
        $shot = Join-Path $folder 'dashboard.png'
        [IO.File]::WriteAllBytes($shot, $png)
        $png[0..7] | Should -Be @(0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A)
        # The width in the PNG header is the window's.
        [BitConverter]::ToInt32([byte[]]($png[19], $png[18], $png[17], $png[16]), 0) | Should -Be 1280
        $png.Length | Should -BeGreaterThan 20000
    }
}
