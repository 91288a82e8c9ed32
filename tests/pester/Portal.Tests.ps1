# The portal in headless Chromium (DESIGN §13): served by Start-SmaWebService, signed in with a store account; the
# jobs list filtered by status and date range, a job's details (parameters, output, history, source), a start from
# the runbook's form watched to Completed, a status line toggled on the dashboard.

BeforeAll {
    . $PSScriptRoot/TestHelpers.ps1
    Initialize-SmaTestStore
    Import-Module (Join-Path $PSScriptRoot '../SmaBrowser/SmaBrowser.psm1') -DisableNameChecking   # headless Chromium (test-only)
    if (-not (Find-SmaBrowser)) {
        throw 'Chromium and chromedriver are needed for this test and are not installed. On Debian/Ubuntu: ' +
            'apt-get install -y chromium chromium-driver (.ci/run installs them).'
    }
    $password = 'correct-horse-battery'
    New-SmaWebServiceAccount -Name ops -Role Operator -Password (ConvertTo-SecureString $password -AsPlainText -Force) | Out-Null
    New-TestRunbook -Name Portal-Greet -Source "param([Parameter(Mandatory)][string] `$Name, [int] `$Times = 1)`n1..`$Times | ForEach-Object { `"Hello `$Name #`$_`" }`nWrite-Warning 'mind <b>the</b> gap'" | Out-Null
    New-TestRunbook -Name Portal-Broken -Source "throw 'broken on purpose'" | Out-Null
    $greeted = Start-SmaRunbook Portal-Greet -Parameters @{ Name = '<i>web</i>'; Times = 2 } -Wait
    $broken = Start-SmaRunbook Portal-Broken -Wait
    $greeted.JobStatus, $broken.JobStatus | Should -Be @('Completed', 'Failed')
    $service = Start-SmaWebService -Port 0 -WithWorker -WorkerName portal-web -InformationAction SilentlyContinue
    $portal = "https://127.0.0.1:$($service.Port)/portal/"

    Start-SmaBrowser -Folder $SmaTestFolder
}

AfterAll {
    Stop-SmaBrowser
    Stop-SmaWebService -ErrorAction Ignore
    Remove-SmaTestStore
}

Describe 'The portal in a browser' {
    It 'refuses a wrong password and signs in with the right one' {
        Open $portal
        Wait-Until -Because 'the sign-in page' { (Invoke-Page 'return location.pathname;') -eq '/portal/login' }
        Set-Field 'input[name=name]' 'ops'
        Set-Field 'input[name=password]' 'wrong-password-here'
        Invoke-Click 'button[type=submit]'
        Wait-Until -Because 'the refusal' { (Get-Texts '[role=alert]') -like '*password*' }
        Set-Field 'input[name=name]' 'ops'
        Set-Field 'input[name=password]' $password
        Invoke-Click 'button[type=submit]'
        Wait-Until -Because 'the dashboard' { (Get-Texts 'main h2') -contains 'Automation dashboard' }
        (Get-Texts 'header .who span') | Should -Be 'ops (Operator)'
    }

    It 'toggles a status line on the dashboard' {
        Wait-Until -Because 'the chart' { @(Get-Texts 'svg polyline.series').Count -eq 10 }
        (Invoke-Page "return document.querySelector('button.toggle[data-status=Failed]').getAttribute('aria-pressed');") | Should -Be 'true'
        Invoke-Click 'button.toggle[data-status=Failed]'
        Wait-Until -Because 'the Failed line to go' { -not (Invoke-Page "return !!document.querySelector('polyline[data-status=Failed]');") }
        (Invoke-Page "return document.querySelector('button.toggle[data-status=Failed]').getAttribute('aria-pressed');") | Should -Be 'false'
        @(Invoke-Page "return Array.from(document.querySelectorAll('polyline.series')).map(p => p.getAttribute('data-status'));").Count | Should -Be 9
        Invoke-Click 'button.toggle[data-status=Failed]'
        Wait-Until -Because 'the Failed line to come back' { Invoke-Page "return !!document.querySelector('polyline[data-status=Failed]');" }
    }

    It 'filters jobs by status and date range' {
        Open "$portal#jobs"
        Wait-Until -Because 'the jobs list' { @(Invoke-Page "return Array.from(document.querySelectorAll('tr[data-job]')).map(r => r.getAttribute('data-job'));").Count -ge 2 }
        Invoke-Page "document.getElementById('status').value = 'Failed';" | Out-Null
        Invoke-Click 'form.toolbar button[type=submit]'
        Wait-Until -Because 'only the failed job' {
            $ids = @(Invoke-Page "return Array.from(document.querySelectorAll('tr[data-job]')).map(r => r.getAttribute('data-job'));")
            $ids.Count -eq 1 -and $ids[0] -eq $broken.JobId.ToString()
        }
        # A range that ended before the jobs were made: none; one around them: the failed one again.
        $before = [DateTime]::Now.AddDays(-2).ToString('yyyy-MM-ddTHH:mm')
        Invoke-Page "document.getElementById('from').value = arguments[0]; document.getElementById('to').value = arguments[1];" @($before, [DateTime]::Now.AddDays(-1).ToString('yyyy-MM-ddTHH:mm')) | Out-Null
        Invoke-Click 'form.toolbar button[type=submit]'
        Wait-Until -Because 'no job in that range' { (Get-Texts 'p.count') -eq '0 job(s)' }
        Invoke-Page "document.getElementById('to').value = arguments[0];" @([DateTime]::Now.AddDays(1).ToString('yyyy-MM-ddTHH:mm')) | Out-Null
        Invoke-Click 'form.toolbar button[type=submit]'
        Wait-Until -Because 'the failed job in range' { (Get-Texts 'p.count') -eq '1 job(s)' }
    }

    It 'shows a job''s parameters, output, history and source (markup as text)' {
        Open "$portal#job/$($greeted.JobId)"
        Wait-Until -Because 'the job' { (Get-Texts 'dd[data-field=Status]') -eq 'Completed' }
        (Get-Texts 'section[aria-label=Summary] tbody td') | Should -Contain '<i>web</i>'
        (Get-Texts '#output td pre') | Should -Be @('Hello <i>web</i> #1', 'Hello <i>web</i> #2', 'mind <b>the</b> gap')
        Invoke-Page "return document.querySelectorAll('#output i, #output b, section i').length;" | Should -Be 0
        Invoke-Click 'button[data-tab=history]'
        (Get-Texts '#history tbody tr td:nth-child(3)') | Should -Contain 'Completed'
        Invoke-Click 'button[data-tab=source]'
        Get-Texts '#source pre' | Select-Object -First 1 | Should -BeLike '*Hello $Name*'
    }

    It 'starts a runbook from its form and watches the job reach Completed' {
        Open "$portal#runbooks"
        Wait-Until -Because 'the runbooks' { (Get-Texts 'main td a') -contains 'Portal-Greet' }
        Open "$portal#start/$((Get-SmaRunbook -Name Portal-Greet).RunbookID)"
        Wait-Until -Because 'the form' { @(Get-Texts 'form.start label').Count -eq 2 }
        Set-Field '#p-Name' 'browser'
        Set-Field '#p-Times' '3'
        Invoke-Click 'form.start button[type=submit]'
        Wait-Until -TimeoutSeconds 120 -Because 'the new job to complete, shown live' { (Get-Texts 'dd[data-field=Status]') -eq 'Completed' }
        $jobId = Invoke-Page "return document.querySelector('main h2 code').textContent;"
        $job = Get-SmaJob -Id $jobId
        $job.StartedBy | Should -Be 'ops'
        $job.JobParameters.Times | Should -Be 3
        (Get-Texts '#output td pre') | Should -Contain 'Hello browser #3'
    }

    It 'looks as docs/portal.png shows (kept in the test results)' {
        Open "$portal#dashboard?range=hours%3D24"
        Wait-Until -Because 'the chart' { @(Get-Texts 'svg polyline.series').Count -eq 10 }
        $png = Get-Screenshot
        $png.Length | Should -BeGreaterThan 10000
        if ($env:SMA_TEST_RESULTS) { [IO.File]::WriteAllBytes((Join-Path $env:SMA_TEST_RESULTS 'portal.png'), $png) }
    }

    It 'pages through the job list, 50 jobs a page' {
        New-TestRunbook -Name Portal-Tick -Source "'tick'" | Out-Null
        $null = @(foreach ($i in 1..55) { Start-SmaRunbook Portal-Tick }) | Wait-SmaJob -Timeout 300
        $total = @(Get-SmaJob).Count
        $total | Should -BeGreaterThan 50
        $rows = "return Array.from(document.querySelectorAll('tr[data-job]')).map(r => r.getAttribute('data-job'));"
        Open "$portal#jobs"
        Wait-Until -Because 'the first page' { (Get-Texts 'p.count') -eq "$total job(s)" -and @(Invoke-Page $rows).Count -eq 50 }
        $first = @(Invoke-Page $rows)
        Invoke-Click 'div.pager button'
        Wait-Until -Because 'the second page' { @(Invoke-Page $rows).Count -eq $total - 50 }
        $second = @(Invoke-Page $rows)
        $second | Where-Object { $_ -in $first } | Should -BeNullOrEmpty
        @($first + $second | Sort-Object -Unique).Count | Should -Be $total
    }
}
