# Schedules (DESIGN §10): SMA's one-time and daily schedules plus hourly, weekly and cron; links of runbooks to them
# with checked, encrypted parameter values; firing by every worker, each occurrence exactly once; missed occurrences.
# This session never runs jobs itself (no embedded worker), so "no worker running" is in the tests' hands.
# The 'Long' test (a cron schedule over three minutes) is left out of the default run:
#     dotnet pwsh -NoProfile -File build.ps1 -Task Test -Filter Schedules -Long

BeforeAll {
    . $PSScriptRoot/TestHelpers.ps1
    Initialize-SmaTestStore
    $script:processes = [Collections.Generic.List[object]]::new()
    function Start-Worker([string] $Name) {
        $p = Start-TestWorker -Name $Name -ThrottleLimit 4
        $script:processes.Add($p)
        $p
    }
    function Stop-Worker([string] $Name, $Process) {
        Stop-SmaWorker -Name $Name -Wait -Timeout 60 | Out-Null
        $Process.WaitForExit(30000) | Out-Null
    }
    function Hash([string] $Text) { [Convert]::ToHexString([Security.Cryptography.SHA256]::HashData([Text.Encoding]::UTF8.GetBytes($Text))) }
    function Get-ScheduledJobs([string] $Schedule) { @(Get-SmaJob | Where-Object ScheduleName -EQ $Schedule) }
    # The runbook reports a fingerprint of the password it received, so its output never holds the secret.
    New-TestRunbook -Name Report -Source @'
param([string] $Region, [int] $Days = 1, [pscredential] $Credential)
"$Region $Days"
if ($Credential) { "user=$($Credential.UserName) password=$([Convert]::ToHexString([Security.Cryptography.SHA256]::HashData([Text.Encoding]::UTF8.GetBytes($Credential.GetNetworkCredential().Password))))" }
'@ | Out-Null
    New-TestRunbook -Name Cleanup -Source "'cleaned'" | Out-Null
    $password = 'Sched-Tr0ub4dor&3'
}

AfterAll {
    foreach ($p in $script:processes) { if (-not $p.HasExited) { Stop-Process -Id $p.Id -Force -ErrorAction Ignore } }
    Remove-Item Env:SMA_SCHEDULE_GRACE -ErrorAction Ignore
    Remove-SmaTestStore
}

Describe 'Schedules' {
    It 'creates SMA''s one-time and daily schedules with SMA''s properties' {
        $start = (Get-Date).AddDays(1)
        $once = Set-SmaSchedule -Name 'Deploy window' -ScheduleType OneTimeSchedule -StartTime $start -Description 'once'
        $once.ScheduleType | Should -Be 'OneTimeSchedule'
        $once.ScheduleID | Should -BeOfType [guid]
        $once.StartTime | Should -Be $start.ToUniversalTime()
        $once.NextRun | Should -Be $once.StartTime
        $once.IsEnabled | Should -BeTrue
        $once.IsExpired | Should -BeFalse
        $once.Description | Should -Be 'once'
        $once.CreationTime | Should -BeOfType [datetime]
        $once.LastModifiedTime | Should -BeOfType [datetime]

        $daily = Set-SmaSchedule -Name Nightly -ScheduleType DailySchedule -StartTime '2031-01-01 02:00' -DayInterval 2 -TimeZone UTC
        $daily.ScheduleType | Should -Be 'DailySchedule'
        $daily.DayInterval | Should -Be 2
        $daily.Interval | Should -Be 2
        $daily.NextRun.ToString('u') | Should -Be '2031-01-01 02:00:00Z'
        $daily.ExpiryTime | Should -BeNullOrEmpty
        $daily.Recurrence | Should -Be 'every 2 days'
    }

    It 'creates hourly, weekly and cron schedules' {
        $hourly = Set-SmaSchedule -Name Hourly -StartTime '2031-01-06 08:30' -HourInterval 6 -TimeZone UTC
        ($hourly.ScheduleType, $hourly.Interval, $hourly.Recurrence) | Should -Be @('HourlySchedule', 6, 'every 6 hours')
        $weekly = Set-SmaSchedule -Name Weekly -StartTime '2031-01-06 08:30' -WeekInterval 2 -DaysOfWeek Friday, Monday -TimeZone UTC
        $weekly.DaysOfWeek | Should -Be @('Monday', 'Friday')
        $weekly.NextRun.ToString('u') | Should -Be '2031-01-06 08:30:00Z'
        $weekly.Recurrence | Should -Be 'every 2 weeks on Monday,Friday'
        $cron = Set-SmaSchedule -Name Weekdays -Cron '0 9 * * MON-FRI' -TimeZone 'W. Europe Standard Time' -ExpiryTime '2099-01-01'
        ($cron.ScheduleType, $cron.Cron, $cron.TimeZone) | Should -Be @('CronSchedule', '0 9 * * MON-FRI', 'W. Europe Standard Time')
        $berlin = [TimeZoneInfo]::FindSystemTimeZoneById('Europe/Berlin')
        $local = [TimeZoneInfo]::ConvertTimeFromUtc($cron.NextRun, $berlin)
        $local.TimeOfDay | Should -Be ([timespan]'09:00:00')
        $local.DayOfWeek | Should -BeIn 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday'
    }

    It 'keeps a daily 09:00 schedule at 09:00 Berlin time across DST (NextRun)' {
        # One starts in winter (08:00 UTC), one in summer (07:00 UTC); whatever the season now, one of them has crossed
        # a DST change, and both must next run at the same instant: 09:00 in Berlin.
        $winter = Set-SmaSchedule -Name BerlinWinter -ScheduleType DailySchedule -StartTime '2024-01-15 09:00' -TimeZone Europe/Berlin
        $summer = Set-SmaSchedule -Name BerlinSummer -ScheduleType DailySchedule -StartTime '2024-07-15 09:00' -TimeZone Europe/Berlin
        $winter.StartTime.ToString('u') | Should -Be '2024-01-15 08:00:00Z'
        $summer.StartTime.ToString('u') | Should -Be '2024-07-15 07:00:00Z'
        $winter.NextRun | Should -Be $summer.NextRun
        $berlin = [TimeZoneInfo]::FindSystemTimeZoneById('Europe/Berlin')
        [TimeZoneInfo]::ConvertTimeFromUtc($winter.NextRun, $berlin).TimeOfDay | Should -Be ([timespan]'09:00:00')
        $winter.NextRun | Should -BeGreaterThan ([DateTime]::UtcNow)
        $winter.NextRun | Should -BeLessOrEqual ([DateTime]::UtcNow.AddDays(1))
    }

    It 'reads a time from Get-Date as the caller''s local time, and records the caller''s zone' {
        $env:TZ = 'America/New_York'
        try {
            $lines = Invoke-ChildPwsh @'
$s = Set-SmaSchedule -Name LocalNewYork -ScheduleType OneTimeSchedule -StartTime (Get-Date -Date '2031-01-15 09:00')
"start=$($s.StartTime.ToString('u')) zone=$($s.TimeZone)"
'@
        }
        finally { Remove-Item Env:TZ }
        $lines | Should -Contain 'start=2031-01-15 14:00:00Z zone=America/New_York'
        (Get-SmaSchedule LocalNewYork).StartTime.ToString('u') | Should -Be '2031-01-15 14:00:00Z'
    }

    It 'lists schedules by name with wildcards; a missing name is a non-terminating ScheduleNotFound' {
        (Get-SmaSchedule -Name 'Berlin*').Name | Should -Be @('BerlinSummer', 'BerlinWinter')
        $found = Get-SmaSchedule -Name Missing, Nightly -ErrorVariable problems -ErrorAction SilentlyContinue
        $found.Name | Should -Be 'Nightly'
        $problems.Count | Should -Be 1
        $problems[0].FullyQualifiedErrorId | Should -BeLike 'ScheduleNotFound,*'
        $problems[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        (Get-SmaSchedule | Format-Table | Out-String -Width 200) | Should -Match 'Nightly\s+DailySchedule\s+every 2 days'
    }

    It 'changes only the description of an existing schedule, and takes the same definition again' {
        $before = Get-SmaSchedule Nightly
        $again = Set-SmaSchedule -Name nightly -ScheduleType DailySchedule -StartTime '2031-01-01 02:00' -DayInterval 2 -TimeZone UTC -Description 'every other night'
        $again.Description | Should -Be 'every other night'
        $again.ScheduleID | Should -Be $before.ScheduleID
        $again.NextRun | Should -Be $before.NextRun
        (Set-SmaSchedule -Name Nightly -Description 'changed').Description | Should -Be 'changed'
        Set-SmaSchedule -Name Nightly -Description 'not now' -WhatIf | Out-Null
        (Get-SmaSchedule Nightly).Description | Should -Be 'changed'
    }

    It 'disables a schedule (no next run) and enables it again' {
        $off = Set-SmaSchedule -Name Nightly -IsEnabled $false
        $off.IsEnabled | Should -BeFalse
        $off.NextRun | Should -BeNullOrEmpty
        $off.IsExpired | Should -BeFalse
        $on = Set-SmaSchedule -Name Nightly -IsEnabled $true
        $on.IsEnabled | Should -BeTrue
        $on.NextRun.ToString('u') | Should -Be '2031-01-01 02:00:00Z'
    }

    It 'loads Cronos from the module''s dependencies into the engine''s private context' {
        Test-Path (Join-Path (Split-Path $env:SMA_TEST_MODULE) 'dependencies/Cronos.dll') | Should -BeTrue
        Test-Path (Join-Path (Split-Path $env:SMA_TEST_MODULE) 'Cronos.dll') | Should -BeFalse
        $lines = Invoke-ChildPwsh @'
(Get-SmaSchedule Weekdays).Cron
[AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -eq 'Cronos' } |
    ForEach-Object { "cronos=$([Runtime.Loader.AssemblyLoadContext]::GetLoadContext($_).Name)" }
'@
        $lines | Should -Contain 'cronos=Sma.Engine'
    }
}

Describe 'Links of runbooks to schedules' {
    It 'Start-SmaRunbook -ScheduleName links the runbook with checked values and returns the link, not a job' {
        $link = Start-SmaRunbook -Name Report -ScheduleName Nightly -Parameters @{ Region = 'north'; Days = 3 } -WarningVariable warned -WarningAction SilentlyContinue
        $link.PSObject.TypeNames | Should -Contain 'Sma.Engine.Model.ScheduledRunbook'
        ($link.RunbookName, $link.ScheduleName) | Should -Be @('Report', 'Nightly')
        $link.Parameters.Region | Should -Be 'north'
        $link.Parameters.Days | Should -Be 3
        $link.NextRun | Should -Be (Get-SmaSchedule Nightly).NextRun
        @(Get-SmaJob).Count | Should -Be 0
        "$warned" | Should -BeLike '*No worker is running*Start-SmaWorker*'
    }

    It 'Register-SmaScheduledRunbook links too (Azure''s name)' {
        $link = Register-SmaScheduledRunbook -RunbookName Cleanup -ScheduleName Nightly -WarningAction SilentlyContinue
        $link.ScheduleName | Should -Be 'Nightly'
        Register-SmaScheduledRunbook -RunbookName Cleanup -ScheduleName Weekly -WarningAction SilentlyContinue | Out-Null
    }

    It 'lists links by runbook and schedule; a missing name is non-terminating' {
        (Get-SmaScheduledRunbook -ScheduleName Nightly).RunbookName | Should -Be @('Cleanup', 'Report')
        (Get-SmaScheduledRunbook -RunbookName Clean*).ScheduleName | Should -Be @('Nightly', 'Weekly')
        @(Get-SmaScheduledRunbook -RunbookName Report -ScheduleName Nightly).Count | Should -Be 1
        (Get-SmaRunbook Cleanup | Get-SmaScheduledRunbook).Count | Should -Be 2
        Get-SmaScheduledRunbook -RunbookName Report -ScheduleName Weekly -ErrorVariable problems -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $problems[0].FullyQualifiedErrorId | Should -BeLike 'ScheduledRunbookNotFound,*'
        Get-SmaScheduledRunbook -ScheduleName Nope -ErrorVariable problems -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $problems[0].FullyQualifiedErrorId | Should -BeLike 'ScheduleNotFound,*'
        (Get-SmaScheduledRunbook | Format-Table | Out-String -Width 200) | Should -Match 'Report\s+Nightly.*Region=north, Days=3'
    }

    It 'removes a link (Remove- or Unregister-SmaScheduledRunbook); a missing one is non-terminating' {
        Unregister-SmaScheduledRunbook -RunbookName Cleanup -ScheduleName Weekly -WhatIf
        @(Get-SmaScheduledRunbook -RunbookName Cleanup).Count | Should -Be 2
        Unregister-SmaScheduledRunbook -RunbookName Cleanup -ScheduleName Weekly -Confirm:$false
        (Get-SmaScheduledRunbook -RunbookName Cleanup).ScheduleName | Should -Be 'Nightly'
        Remove-SmaScheduledRunbook -RunbookName Cleanup -ScheduleName Weekly -Confirm:$false -ErrorVariable problems -ErrorAction SilentlyContinue
        $problems[0].FullyQualifiedErrorId | Should -BeLike 'ScheduledRunbookNotFound,*'
        Get-SmaScheduledRunbook -RunbookName Cleanup | Remove-SmaScheduledRunbook -Confirm:$false
        @(Get-SmaScheduledRunbook -RunbookName Cleanup -ErrorAction SilentlyContinue).Count | Should -Be 0
    }

    It 'goes with its runbook, and a schedule goes with its links' {
        New-TestRunbook -Name Temporary -Source "'t'" | Out-Null
        Start-SmaRunbook Temporary -ScheduleName Nightly -WarningAction SilentlyContinue | Out-Null
        Start-SmaRunbook Temporary -ScheduleName Hourly -WarningAction SilentlyContinue | Out-Null
        Remove-SmaRunbook Temporary -Confirm:$false
        @(Get-SmaScheduledRunbook -RunbookName 'Temp*').Count | Should -Be 0

        Start-SmaRunbook Cleanup -ScheduleName Hourly -WarningAction SilentlyContinue | Out-Null
        Remove-SmaSchedule -Name Hourly -WhatIf
        @(Get-SmaScheduledRunbook -ScheduleName Hourly).Count | Should -Be 1
        Get-SmaSchedule Hourly | Remove-SmaSchedule -Confirm:$false
        Get-SmaSchedule Hourly -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        @(Get-SmaScheduledRunbook -RunbookName Cleanup).Count | Should -Be 0
        Remove-SmaSchedule -Name Hourly -Confirm:$false -ErrorVariable problems -ErrorAction SilentlyContinue
        $problems[0].FullyQualifiedErrorId | Should -BeLike 'ScheduleNotFound,*'
    }

    It 'keeps secret values in no readable form in the store, and shows them masked' {
        Set-SmaSchedule -Name Secretive -ScheduleType DailySchedule -StartTime '2031-01-01 04:00' -TimeZone UTC | Out-Null
        $link = Start-SmaRunbook Report -ScheduleName Secretive -WarningAction SilentlyContinue -Parameters @{
            Region = 'vault'
            Credential = [pscredential]::new('deploy', (ConvertTo-SecureString $password -AsPlainText -Force))
        }
        $link.Parameters.Credential | Should -Be 'PSCredential (UserName: deploy, Password: ********)'
        (Get-SmaScheduledRunbook -ScheduleName Secretive).Parameters.Credential | Should -BeLike '*Password: ********)'
        $content = Get-SmaTestStoreContent
        $utf8 = [Text.Encoding]::UTF8.GetBytes($password)
        $utf16 = [Text.Encoding]::Unicode.GetBytes($password)
        foreach ($form in $password, [Text.Encoding]::Latin1.GetString($utf16), [Convert]::ToHexString($utf8), [Convert]::ToHexString($utf8).ToLowerInvariant(),
            [Convert]::ToHexString($utf16), [Convert]::ToHexString($utf16).ToLowerInvariant(), [Convert]::ToBase64String($utf8), [Convert]::ToBase64String($utf16)) {
            $content.Contains($form) | Should -BeFalse -Because "'$form' would reveal the secret"
        }
    }
}

Describe 'Firing, with two worker processes' {
    BeforeAll {
        $script:w1 = Start-Worker W1
        $script:w2 = Start-Worker W2
    }

    AfterAll {
        Stop-Worker W1 $w1
        Stop-Worker W2 $w2
    }

    It 'a one-time schedule a few seconds ahead starts exactly one job with the linked values, then expires' {
        Set-SmaSchedule -Name Soon -ScheduleType OneTimeSchedule -StartTime (Get-Date).AddSeconds(4) | Out-Null
        $credential = [pscredential]::new('deploy', (ConvertTo-SecureString $password -AsPlainText -Force))
        Start-SmaRunbook Report -ScheduleName Soon -Parameters @{ Region = 'east'; Days = 2; Credential = $credential } | Out-Null
        $due = (Get-SmaSchedule Soon).StartTime
        Wait-Until { (Get-SmaScheduledRunbook -RunbookName Report -ScheduleName Soon).LastRun } -TimeoutSeconds 90 -Because 'a worker to fire the occurrence'
        $job = Wait-TestJobStatus -Id (Get-ScheduledJobs Soon)[0].JobId -Status Completed, Failed
        $job.JobStatus | Should -Be 'Completed'
        # Both workers saw the occurrence due; the link has moved on (no next run), so no other job can come of it.
        (Get-SmaScheduledRunbook -RunbookName Report -ScheduleName Soon).NextRun | Should -BeNullOrEmpty
        @(Get-ScheduledJobs Soon).Count | Should -Be 1
        @(Get-SmaScheduleHistory -ScheduleName Soon).Count | Should -Be 1

        $job.ScheduleName | Should -Be 'Soon'
        $job.Worker | Should -BeIn 'W1', 'W2'
        $job.JobParameters.Region | Should -Be 'east'
        $job.JobParameters.Credential | Should -BeLike '*Password: ********)'
        (Get-SmaJobOutput -Id $job -Stream Output).StreamText | Should -Be @('east 2', "user=deploy password=$(Hash $password)")
        (Get-SmaJobHistory -Id $job -StatusOnly)[0].Text | Should -BeLike "*Started by schedule 'Soon' (occurrence $($due.ToString('u')))*"
        $fired = Get-SmaScheduleHistory -ScheduleName Soon
        ($fired.Outcome, $fired.JobId, $fired.OccurrenceTime) | Should -Be @('Started', $job.JobId, $due)
        (Get-SmaSchedule Soon).IsExpired | Should -BeTrue
        (Get-SmaSchedule Soon).NextRun | Should -BeNullOrEmpty
        (Get-SmaScheduledRunbook -ScheduleName Soon).LastJobId | Should -Be $job.JobId
    }
}

Describe 'Missed occurrences (no worker running when they were due)' {
    BeforeAll {
        Wait-Until { -not (Get-SmaRunbookWorkerDeployment | Where-Object Status -In 'Running', 'Stopping') } -Because 'every worker to stop'
        function New-PastDueLink([string] $Name) {
            Set-SmaSchedule -Name $Name -ScheduleType OneTimeSchedule -StartTime (Get-Date).AddSeconds(2) | Out-Null
            Start-SmaRunbook Report -ScheduleName $Name -Parameters @{ Region = $Name } -WarningAction SilentlyContinue | Out-Null
            (Get-SmaSchedule $Name).StartTime
        }
    }

    AfterEach {
        if ($script:late -and -not $script:late.HasExited) { Stop-Worker $script:lateName $script:late }
        Remove-Item Env:SMA_SCHEDULE_GRACE -ErrorAction Ignore
    }

    It 'beyond the grace period: recorded as missed, and no job' {
        $env:SMA_SCHEDULE_GRACE = '2'   # seconds; the worker started below reads it
        $due = New-PastDueLink 'MissedOne'
        Wait-Until { [DateTime]::UtcNow -gt $due.AddSeconds(4) } -Because 'the occurrence and its grace period to pass with no worker running'
        $script:lateName = 'W3'; $script:late = Start-Worker W3
        Wait-Until { (Get-SmaScheduledRunbook -RunbookName Report -ScheduleName MissedOne).LastMissed } -TimeoutSeconds 60 -Because 'the worker to find the missed occurrence'
        $link = Get-SmaScheduledRunbook -RunbookName Report -ScheduleName MissedOne
        ($link.LastMissed, $link.MissedCount, $link.LastRun, $link.NextRun) | Should -Be @($due, 1, $null, $null)
        $missed = Get-SmaScheduleHistory -ScheduleName MissedOne
        ($missed.Outcome, $missed.OccurrenceTime, $missed.Count, $missed.JobId, $missed.Worker) | Should -Be @('Missed', $due, 1, $null, 'W3')
        $missed.Details | Should -BeLike '*no worker was running*grace period (2 s)*not run late*'
        @(Get-ScheduledJobs MissedOne).Count | Should -Be 0
    }

    It 'within the grace period: runs once, late' {
        $env:SMA_SCHEDULE_GRACE = '600'
        $due = New-PastDueLink 'LateOne'
        Wait-Until { [DateTime]::UtcNow -gt $due.AddSeconds(1) } -Because 'the occurrence to pass with no worker running'
        $script:lateName = 'W4'; $script:late = Start-Worker W4
        Wait-Until { (Get-SmaScheduledRunbook -RunbookName Report -ScheduleName LateOne).LastRun } -TimeoutSeconds 60 -Because 'the worker to run the late occurrence'
        $job = Wait-TestJobStatus -Id (Get-ScheduledJobs LateOne)[0].JobId -Status Completed, Failed
        ($job.JobStatus, $job.Worker, $job.ScheduleName) | Should -Be @('Completed', 'W4', 'LateOne')
        (Get-SmaJobOutput -Id $job -Stream Output).StreamText | Should -Be 'LateOne 1'
        @(Get-ScheduledJobs LateOne).Count | Should -Be 1
        $started = Get-SmaScheduleHistory -ScheduleName LateOne
        ($started.Outcome, $started.OccurrenceTime, $started.JobId) | Should -Be @('Started', $due, $job.JobId)
        $started.Lateness | Should -BeGreaterThan ([timespan]::Zero)
        (Get-SmaScheduledRunbook -RunbookName Report -ScheduleName LateOne).MissedCount | Should -Be 0
    }
}

Describe 'A cron schedule every minute, over three minutes, with two workers' -Tag Long {
    BeforeAll {
        $script:w5 = Start-Worker W5
        $script:w6 = Start-Worker W6
    }

    AfterAll {
        Stop-Worker W5 $w5
        Stop-Worker W6 $w6
    }

    It 'starts exactly one job per minute' {
        Set-SmaSchedule -Name EveryMinute -Cron '* * * * *' -TimeZone UTC | Out-Null
        Start-SmaRunbook Report -ScheduleName EveryMinute -Parameters @{ Region = 'cron' } | Out-Null
        Wait-Until { @(Get-SmaScheduleHistory -ScheduleName EveryMinute).Count -ge 3 } -TimeoutSeconds 300 -Because 'three occurrences to fire'
        Set-SmaSchedule -Name EveryMinute -IsEnabled $false | Out-Null   # a consistent count from here on
        $history = @(Get-SmaScheduleHistory -ScheduleName EveryMinute | Sort-Object OccurrenceTime)
        $jobs = @(Get-ScheduledJobs EveryMinute)
        $history.Count | Should -BeGreaterOrEqual 3
        $history.Outcome | Sort-Object -Unique | Should -Be 'Started'
        $jobs.Count | Should -Be $history.Count -Because 'one job per occurrence, across both workers'
        @($jobs.JobId | Sort-Object -Unique).Count | Should -Be $jobs.Count
        ($history.JobId | Sort-Object) | Should -Be ($jobs.JobId | Sort-Object)
        for ($i = 1; $i -lt $history.Count; $i++) {
            ($history[$i].OccurrenceTime - $history[$i - 1].OccurrenceTime) | Should -Be ([timespan]::FromMinutes(1))
        }
        $history | ForEach-Object { $_.OccurrenceTime.Second | Should -Be 0 }
        $jobs | ForEach-Object { Wait-TestJobStatus -Id $_.JobId -Status Completed | Out-Null }
        $late = @($history.Lateness.TotalMilliseconds | Sort-Object)
        Write-Host ("    lateness (occurrence -> job created) over {0} occurrences: max {1:0} ms; workers: {2}" -f
            $late.Count, $late[-1], (($jobs | Group-Object Worker | ForEach-Object { "$($_.Name)=$($_.Count)" }) -join ' '))
    }
}
