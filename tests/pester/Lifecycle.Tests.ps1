# Job lifecycle (DESIGN §4.3, §4.7): errors, exit codes, prompts, location, Stop, Wait,
# queries, Remove-SmaJob and the per-worker throttle.

BeforeAll {
    . $PSScriptRoot/TestHelpers.ps1
    # Two slots for this file's embedded worker, so a job can be made to wait Queued.
    $env:SMA_THROTTLE_LIMIT = '2'
    Initialize-SmaTestStore
    $gate = Join-Path $SmaTestFolder 'gate'
    New-TestRunbook -Name Gated -Source "param([string]`$Gate = '$gate') 'waiting'; while (-not (Test-Path `$Gate)) { Start-Sleep -Milliseconds 20 }; 'through'" | Out-Null
    New-TestRunbook -Name Forever -Source "'spinning'; while (`$true) { Start-Sleep -Milliseconds 20 }" | Out-Null
    New-TestRunbook -Name Quick -Source "param([int]`$N = 1) `"quick `$N`"" | Out-Null
}

AfterAll {
    Remove-Item Env:SMA_THROTTLE_LIMIT -ErrorAction Ignore
    Stop-TestJobs
    Remove-SmaTestStore
}

Describe 'Errors in a Script runbook' {
    It 'fails on a terminating error with JobException and a one-line StatusDetails' {
        New-TestRunbook -Name Thrower -Source "'before'`n`$x = 1`nthrow 'the disk is full'`n'after'" | Out-Null
        $job = Start-SmaRunbook Thrower -Wait
        $job.JobStatus | Should -Be 'Failed'
        $job.StatusDetails | Should -Be 'the disk is full (line 3, char 1)'
        $job.JobException | Should -Match 'the disk is full'
        $job.JobException | Should -Match 'At line:3 char:1'
        $job.JobException | Should -Match 'Script stack trace'
        (Get-SmaJobOutput $job -Stream Output).StreamText | Should -Be 'before'
    }

    It 'fails on any error under $ErrorActionPreference = ''Stop''' {
        New-TestRunbook -Name Strict -Source "`$ErrorActionPreference = 'Stop'`nGet-Item '/no/such/item'`n'after'" | Out-Null
        $job = Start-SmaRunbook Strict -Wait
        $job.JobStatus | Should -Be 'Failed'
        $job.StatusDetails | Should -Match 'no/such/item.*line 2'
    }

    It 'records and counts non-terminating errors and warnings, and goes on' {
        New-TestRunbook -Name Lenient -Source "Get-Item '/no/such/item'; Write-Error 'e2'; Write-Warning 'w1'; Write-Warning 'w2'; 'finished'" | Out-Null
        $job = Start-SmaRunbook Lenient -Wait
        $job.JobStatus | Should -Be 'Completed'
        $job.ErrorCount | Should -Be 2
        $job.WarningCount | Should -Be 2
        (Get-SmaJobOutput $job -Stream Output).StreamText | Should -Be 'finished'
    }
}

Describe 'How a runbook ends' {
    It '<Source> ends <Status>' -ForEach @(
        @{ Source = "'a'; exit 0; 'b'"; Status = 'Completed'; Details = $null }
        @{ Source = "'a'; exit 4; 'b'"; Status = 'Failed'; Details = '*exited with code 4*' }
    ) {
        New-TestRunbook -Name "Exit$Status" -Source $Source | Out-Null
        $job = Start-SmaRunbook "Exit$Status" -Wait
        $job.JobStatus | Should -Be $Status
        if ($Details) { $job.StatusDetails | Should -BeLike $Details }
        (Get-SmaJobOutput $job -Stream Output).StreamText | Should -Be 'a'
    }

    It 'fails fast on Read-Host instead of hanging' {
        New-TestRunbook -Name Asker -Source "`$answer = Read-Host 'Continue?'; `"answered `$answer`"" | Out-Null
        $job = Start-SmaRunbook Asker -Wait -Timeout 60
        $job.JobStatus | Should -Be 'Failed'
        $job.StatusDetails | Should -BeLike '*Read-Host*'
        (Get-SmaJobOutput $job -Stream Output) | Should -BeNullOrEmpty
    }

    It 'fails fast on Get-Credential even when the runbook catches the error' {
        New-TestRunbook -Name CredAsker -Source "try { Get-Credential } catch { 'caught' }; 'went on'" | Out-Null
        $job = Start-SmaRunbook CredAsker -Wait -Timeout 60
        $job.JobStatus | Should -Be 'Failed'
        $job.StatusDetails | Should -BeLike '*credential*'
        (Get-SmaJobOutput $job -Stream Output) | Should -BeNullOrEmpty
    }

    It 'starts in the caller''s current location' {
        New-TestRunbook -Name Where -Source '(Get-Location).Path' | Out-Null
        $folder = New-Item -ItemType Directory -Path (Join-Path $SmaTestFolder 'here') -Force
        Push-Location $folder
        try { $job = Start-SmaRunbook Where -Wait } finally { Pop-Location }
        (Get-SmaJobOutput $job -Stream Output).StreamText | Should -Be $folder.FullName
    }
}

Describe 'Stop-SmaJob' {
    AfterEach {
        Set-Content $gate 'go'
        Stop-TestJobs
        Get-SmaJob | Where-Object JobStatus -NotIn 'Completed', 'Failed', 'Stopped' | ForEach-Object { Wait-SmaJob -Id $_ -Timeout 30 } | Out-Null
        Remove-Item $gate -ErrorAction Ignore
    }

    It 'stops a Running job: Running -> Stopping -> Stopped' {
        $job = Start-SmaRunbook Forever
        Wait-TestJobStatus -Id $job -Status Running | Out-Null
        $stopping = Stop-SmaJob -Id $job -PassThru
        $stopping.JobStatus | Should -BeIn 'Stopping', 'Stopped'
        (Wait-SmaJob -Id $job -Timeout 30).JobStatus | Should -Be 'Stopped'
        (Get-SmaJobHistory -Id $job -StatusOnly).Status | Should -Be @('Queued', 'Starting', 'Running', 'Stopping', 'Stopped')
    }

    It 'stops a Queued job at once' {
        $a = Start-SmaRunbook Gated
        $b = Start-SmaRunbook Gated
        Wait-TestJobStatus -Id $a -Status Running | Out-Null
        Wait-TestJobStatus -Id $b -Status Running | Out-Null
        $queued = Start-SmaRunbook Quick
        (Get-SmaJob -Id $queued).Status | Should -Be 'Queued'
        (Stop-SmaJob -Id $queued -PassThru).JobStatus | Should -Be 'Stopped'
        (Get-SmaJobHistory -Id $queued -StatusOnly).Status | Should -Be @('Queued', 'Stopping', 'Stopped')
        (Get-SmaJobOutput -Id $queued) | Should -BeNullOrEmpty
    }

    It 'takes jobs from the pipeline' {
        $jobs = 1..2 | ForEach-Object { Start-SmaRunbook Forever }
        $jobs | ForEach-Object { Wait-TestJobStatus -Id $_ -Status Running } | Out-Null
        Get-SmaJob -RunbookName Forever -JobStatus Running | Stop-SmaJob
        ($jobs | Wait-SmaJob -Timeout 30).JobStatus | Should -Be @('Stopped', 'Stopped')
    }

    It 'does nothing with -WhatIf' {
        $job = Start-SmaRunbook Forever
        Wait-TestJobStatus -Id $job -Status Running | Out-Null
        Stop-SmaJob -Id $job -WhatIf
        Start-Sleep -Milliseconds 300
        (Get-SmaJob -Id $job).JobStatus | Should -Be 'Running'
        Stop-SmaJob -Id $job -Confirm:$false
        (Wait-SmaJob -Id $job -Timeout 30).JobStatus | Should -Be 'Stopped'
    }

    It 'refuses to stop a job that has ended, and changes nothing' {
        $job = Start-SmaRunbook Quick -Wait
        $err = Get-NonTerminatingError { Stop-SmaJob -Id $job }
        $err.FullyQualifiedErrorId | Should -BeLike 'InvalidJobStateTransition,*'
        $err.CategoryInfo.Category | Should -Be 'InvalidOperation'
        $err.Exception.Message | Should -BeLike "*$($job.JobId)*Completed*"
        (Get-SmaJob -Id $job).JobStatus | Should -Be 'Completed'
        @(Get-SmaJobHistory -Id $job -StatusOnly).Count | Should -Be 4
    }
}

Describe 'Waiting' {
    It 'Wait-SmaJob -Timeout returns the job as it is when time runs out' {
        $job = Start-SmaRunbook Gated
        try {
            $seen = Wait-SmaJob -Id $job -Timeout 1 -WarningVariable warned -WarningAction SilentlyContinue
            $seen.Status | Should -BeIn 'Queued', 'Starting', 'Running'
            "$warned" | Should -BeLike '*did not finish within 1 seconds*'
        }
        finally { Set-Content $gate 'go' }
        (Wait-SmaJob -Id $job).JobStatus | Should -Be 'Completed'
        Remove-Item $gate
    }

    It 'Start-SmaRunbook -Wait -Timeout returns a job still running' {
        $job = Start-SmaRunbook Gated -Wait -Timeout 1 -WarningAction SilentlyContinue
        try { $job.Status | Should -BeIn 'Queued', 'Starting', 'Running' }
        finally { Set-Content $gate 'go' }
        (Wait-SmaJob -Id $job).JobStatus | Should -Be 'Completed'
        Remove-Item $gate
    }

    It 'Wait-SmaJob takes several jobs from the pipeline and returns them ended' {
        $jobs = 1..3 | ForEach-Object { Start-SmaRunbook Quick -Parameters @{ N = $_ } }
        $ended = $jobs | Wait-SmaJob
        $ended.JobStatus | Should -Be @('Completed', 'Completed', 'Completed')
        $ended.JobId | Should -Be $jobs.JobId
    }
}

Describe 'Get-SmaJob queries' {
    BeforeAll {
        New-TestRunbook -Name QueryA -Source "'a'" | Out-Null
        New-TestRunbook -Name QueryB -Source "throw 'b'" | Out-Null
        $a1 = Start-SmaRunbook QueryA -Wait
        $b1 = Start-SmaRunbook QueryB -Wait
        $a2 = Start-SmaRunbook QueryA -Wait
    }

    It 'lists newest first' {
        (Get-SmaJob -RunbookName 'Query*').JobId | Should -Be @($a2.JobId, $b1.JobId, $a1.JobId)
    }

    It 'filters by runbook name (wildcards, any case), id and status' {
        (Get-SmaJob -RunbookName 'querya').JobId | Should -Be @($a2.JobId, $a1.JobId)
        (Get-SmaJob -RunbookName 'Query?' -JobStatus Failed).JobId | Should -Be $b1.JobId
        (Get-SmaJob -RunbookId (Get-SmaRunbook QueryB).RunbookID).JobId | Should -Be $b1.JobId
        @(Get-SmaJob -RunbookName 'Query*' -JobStatus completed, failed).Count | Should -Be 3
    }

    It 'takes many ids, also from the pipeline' {
        (Get-SmaJob -Id $a1, $b1.JobId, "$a2").JobId | Should -Be @($a1.JobId, $b1.JobId, $a2.JobId)
        ($a1, $b1 | Get-SmaJob).JobId | Should -Be @($a1.JobId, $b1.JobId)
    }

    It 'filters by the time of the last change' {
        @(Get-SmaJob -RunbookName 'Query*' -StartTime $a2.LastModifiedTime.ToLocalTime()).JobId | Should -Be @($a2.JobId)
        @(Get-SmaJob -RunbookName 'Query*' -EndTime $a1.LastModifiedTime.ToLocalTime()).JobId | Should -Be @($a1.JobId)
        @(Get-SmaJob -RunbookName 'Query*' -StartTime ([datetime]::Now.AddDays(1))).Count | Should -Be 0
    }

    It 'returns at most -First jobs' {
        (Get-SmaJob -RunbookName 'Query*' -First 2).JobId | Should -Be @($a2.JobId, $b1.JobId)
    }
}

Describe 'Remove-SmaJob' {
    It 'removes an ended job and its records' {
        $job = Start-SmaRunbook Quick -Wait
        Remove-SmaJob -Id $job -Confirm:$false
        Get-NonTerminatingError { Get-SmaJob -Id $job } | ForEach-Object FullyQualifiedErrorId | Should -BeLike 'JobNotFound,*'
    }

    It 'removes nothing with -WhatIf' {
        $job = Start-SmaRunbook Quick -Wait
        Remove-SmaJob -Id $job -WhatIf
        (Get-SmaJob -Id $job).JobStatus | Should -Be 'Completed'
    }

    It 'refuses a job that is still running' {
        $job = Start-SmaRunbook Forever
        Wait-TestJobStatus -Id $job -Status Running | Out-Null
        $err = Get-NonTerminatingError { Remove-SmaJob -Id $job -Confirm:$false }
        $err.FullyQualifiedErrorId | Should -BeLike 'JobNotFinished,*'
        (Get-SmaJob -Id $job).JobStatus | Should -Be 'Running'
        Stop-SmaJob $job
        Wait-SmaJob $job | Out-Null
    }

    It 'removes ended jobs older than a date' {
        $old = Start-SmaRunbook Quick -Wait
        $cutoff = [datetime]::Now.AddSeconds(1)
        Start-Sleep -Milliseconds 1100
        $new = Start-SmaRunbook Quick -Wait
        Remove-SmaJob -OlderThan $cutoff -Confirm:$false
        Get-NonTerminatingError { Get-SmaJob -Id $old } | ForEach-Object FullyQualifiedErrorId | Should -BeLike 'JobNotFound,*'
        (Get-SmaJob -Id $new).JobStatus | Should -Be 'Completed'
    }
}

Describe 'The throttle' {
    It 'keeps jobs beyond it Queued, and a runaway job does not block the others' {
        $runaway = Start-SmaRunbook Forever
        Wait-TestJobStatus -Id $runaway -Status Running | Out-Null
        $gated = Start-SmaRunbook Gated
        Wait-TestJobStatus -Id $gated -Status Running | Out-Null
        $waiting = Start-SmaRunbook Quick
        Start-Sleep -Milliseconds 500
        (Get-SmaJob -Id $waiting).Status | Should -Be 'Queued' -Because 'both slots are taken'
        Set-Content $gate 'go'
        (Wait-SmaJob -Id $waiting -Timeout 60).JobStatus | Should -Be 'Completed' -Because 'the runaway job holds only one slot'
        (Get-SmaJob -Id $runaway).JobStatus | Should -Be 'Running'
        Stop-SmaJob $runaway
        (Wait-SmaJob -Id $runaway -Timeout 30).JobStatus | Should -Be 'Stopped'
    }
}
