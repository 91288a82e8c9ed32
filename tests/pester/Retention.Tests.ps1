# Retention (DESIGN §4.10): Get-/Set-SmaAdminConfiguration, the workers' background purge of ended jobs past
# PurgeJobsOlderThanCountDays, and Remove-SmaJob -OlderThan on demand.

BeforeAll {
    . $PSScriptRoot/TestHelpers.ps1
    Initialize-SmaTestStore
    Import-Module (Join-Path $PSScriptRoot '../SmaTestSeed/SmaTestSeed.psm1')   # Add-SmaSeedJob (test-only)
    $script:processes = [Collections.Generic.List[object]]::new()
    New-TestRunbook -Name Kept -Source "param([string] `$Tag) `"tag=`$Tag`"" | Out-Null

    # An ended job whose last change was $DaysAgo days ago, with a parameter and output records.
    function New-EndedJob([double] $DaysAgo, [string] $Final = 'Completed') {
        $end = [DateTime]::UtcNow.AddDays(-$DaysAgo)
        Add-SmaSeedJob -RunbookName Kept -Status Queued, Starting, Running, $Final -Time $end.AddMinutes(-3), $end.AddMinutes(-2), $end.AddMinutes(-1), $end `
            -Parameters @{ Tag = "$DaysAgo days" } -Output 'one', 'two' -PassThru
    }
    function Get-JobIds { @(Get-SmaJob).JobId }
}

AfterAll {
    foreach ($p in $script:processes) { if (-not $p.HasExited) { Stop-Process -Id $p.Id -Force -ErrorAction Ignore } }
    Remove-SmaTestStore
}

Describe 'Get-SmaAdminConfiguration and Set-SmaAdminConfiguration' {
    It 'keeps ended jobs 30 days unless told otherwise' {
        $config = Get-SmaAdminConfiguration
        $config.PurgeJobsOlderThanCountDays | Should -Be 30
        $config.MaxJobRecords | Should -Be 0
        $config.StorePath | Should -Be (Get-SmaTestStoreDescription)
        ($config | Format-Table | Out-String) | Should -Match 'PurgeJobsOlderThanCountDays\s+MaxJobRecords\s+StorePath'
    }

    It 'changes nothing with -WhatIf' {
        Set-SmaAdminConfiguration -PurgeJobsOlderThanCountDays 3 -WhatIf
        (Get-SmaAdminConfiguration).PurgeJobsOlderThanCountDays | Should -Be 30
    }

    It 'changes the period for every session of the store' {
        $config = Set-SmaAdminConfiguration -PurgeJobsOlderThanCountDays 10 -PassThru
        $config.PurgeJobsOlderThanCountDays | Should -Be 10
        Set-SmaAdminConfiguration 10 | Should -BeNullOrEmpty
        Invoke-ChildPwsh '(Get-SmaAdminConfiguration).PurgeJobsOlderThanCountDays' | Should -Be '10'
    }

    It 'sets MaxJobRecords alone, leaving the period as it is, and -WhatIf changes nothing' {
        Set-SmaAdminConfiguration -MaxJobRecords 5000 -WhatIf
        (Get-SmaAdminConfiguration).MaxJobRecords | Should -Be 0
        $config = Set-SmaAdminConfiguration -MaxJobRecords 5000 -PassThru
        $config.MaxJobRecords | Should -Be 5000
        $config.PurgeJobsOlderThanCountDays | Should -Be 10
        Invoke-ChildPwsh '(Get-SmaAdminConfiguration).MaxJobRecords' | Should -Be '5000'
        Set-SmaAdminConfiguration -MaxJobRecords 0
        (Get-SmaAdminConfiguration).MaxJobRecords | Should -Be 0
    }

    It 'refuses <Days> days with a validation error and keeps the setting' -ForEach @(
        @{ Days = 0 }, @{ Days = -1 }, @{ Days = 3651 }
    ) {
        $err = Get-TerminatingError { Set-SmaAdminConfiguration -PurgeJobsOlderThanCountDays $Days -Confirm:$false }
        $err.FullyQualifiedErrorId | Should -BeLike 'ParameterArgumentValidationError,*'
        (Get-SmaAdminConfiguration).PurgeJobsOlderThanCountDays | Should -Be 10
    }
}

Describe 'The workers purge old ended jobs in the background' {
    It 'deletes ended jobs older than the period with their records, and keeps the rest' {
        Set-SmaAdminConfiguration -PurgeJobsOlderThanCountDays 10
        $old = New-EndedJob 20
        $oldFailed = New-EndedJob 11 Failed
        $recent = New-EndedJob 9
        $end = [DateTime]::UtcNow.AddDays(-40)
        $suspended = Add-SmaSeedJob -RunbookName Kept -Status Queued, Starting, Running, Suspended -Time $end, $end, $end, $end -PassThru
        @(Get-SmaJobOutput -Id $old).Count | Should -Be 2

        # A dedicated worker purges on its first heartbeat (then at most once an hour).
        $script:processes.Add((Start-TestWorker -Name Purger -ThrottleLimit 2))
        Wait-Until -TimeoutSeconds 60 -Because 'the worker to purge the old jobs' { $old.JobId -notin (Get-JobIds) -and $oldFailed.JobId -notin (Get-JobIds) }

        (Get-NonTerminatingError { Get-SmaJobOutput -Id $old }).FullyQualifiedErrorId | Should -BeLike 'JobNotFound,*'
        (Get-NonTerminatingError { Get-SmaJobHistory -Id $oldFailed }).FullyQualifiedErrorId | Should -BeLike 'JobNotFound,*'
        (Get-SmaJob -Id $recent).JobStatus | Should -Be 'Completed'
        (Get-SmaJobOutput -Id $recent).StreamText | Should -Be @('one', 'two')
        (Get-SmaJob -Id $suspended).JobStatus | Should -Be 'Suspended'   # not ended: never purged

        # The worker goes on running jobs as usual.
        (Start-SmaRunbook Kept -Parameters @{ Tag = 'after' } -Wait -Timeout 60).Worker | Should -Be 'Purger'
        Stop-SmaWorker -Name Purger -Wait -Timeout 60 | Out-Null
    }
}

Describe 'Remove-SmaJob -OlderThan' {
    It 'removes ended jobs whose last change is older, on demand' {
        $three = New-EndedJob 3 Failed
        $one = New-EndedJob 1
        Remove-SmaJob -OlderThan (Get-Date).AddDays(-2) -WhatIf
        $three.JobId | Should -BeIn (Get-JobIds)
        Remove-SmaJob -OlderThan (Get-Date).AddDays(-2) -Confirm:$false
        $three.JobId | Should -Not -BeIn (Get-JobIds)
        $one.JobId | Should -BeIn (Get-JobIds)
    }
}

Describe 'MaxJobRecords' {
    It 'has the workers delete the oldest ended jobs beyond the limit, however recent, and keep unfinished ones' {
        $end = [DateTime]::UtcNow.AddDays(-2)
        $suspended = Add-SmaSeedJob -RunbookName Kept -Status Queued, Starting, Running, Suspended -Time $end, $end, $end, $end -PassThru
        foreach ($hours in 5, 4, 3, 2, 1) { New-EndedJob ($hours / 24) | Out-Null }   # all within the period
        $all = @(Get-SmaJob)
        $endedOldestFirst = @($all | Where-Object JobStatus -In 'Completed', 'Failed', 'Stopped' | Sort-Object LastModifiedTime)
        Set-SmaAdminConfiguration -MaxJobRecords ($all.Count - 2) -Confirm:$false

        $script:processes.Add((Start-TestWorker -Name Trimmer -ThrottleLimit 2))
        Wait-Until -TimeoutSeconds 60 -Because 'the worker to trim the store to MaxJobRecords' { @(Get-SmaJob).Count -le $all.Count - 2 }

        $left = Get-JobIds
        $left.Count | Should -Be ($all.Count - 2)
        $endedOldestFirst[0].JobId | Should -Not -BeIn $left
        $endedOldestFirst[1].JobId | Should -Not -BeIn $left
        foreach ($job in $endedOldestFirst[2..($endedOldestFirst.Count - 1)]) { $job.JobId | Should -BeIn $left }
        $suspended.JobId | Should -BeIn $left   # older than most, but not ended
        Stop-SmaWorker -Name Trimmer -Wait -Timeout 60 | Out-Null
        Set-SmaAdminConfiguration -MaxJobRecords 0 -Confirm:$false
    }
}
