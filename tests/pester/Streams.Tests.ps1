# Streams (DESIGN §4.5): every kind, logging flags, one ordered sequence, objects kept,
# written while the job runs, bounded memory.

BeforeAll {
    . $PSScriptRoot/TestHelpers.ps1
    Initialize-SmaTestStore
    New-TestRunbook -Name AllStreams -Source @'
'out 1'
Write-Warning 'warn 1'
Write-Verbose 'verbose 1'
Write-Debug 'debug 1'
Write-Progress -Activity 'Copying' -Status 'file 1' -PercentComplete 50
Write-Error 'error 1'
Write-Information 'info 1'
Write-Host 'host 1'
[pscustomobject]@{ Kind = 'object'; Size = 42 }
"prefs=$VerbosePreference/$DebugPreference/$ProgressPreference"
'@ | Out-Null
}

AfterAll {
    Remove-SmaTestStore
}

Describe 'Without logging flags' {
    BeforeAll {
        $job = Start-SmaRunbook AllStreams -Wait
        $records = @(Get-SmaJobOutput -Id $job -Stream Any)
    }

    It 'keeps Output, Warning, Error and Information, in the order written' {
        $records | ForEach-Object { "$($_.StreamTypeName):$($_.StreamText -replace '\r?\n.*', '')" } | Should -Be @(
            'Output:out 1', 'Warning:warn 1', 'Error:error 1', 'Information:info 1', 'Information:host 1',
            'Output:@{Kind=object; Size=42}', 'Output:prefs=SilentlyContinue/SilentlyContinue/SilentlyContinue')
    }

    It 'numbers records in one sequence across kinds' {
        $records.StreamRecordId | Should -Be (1..$records.Count)
    }

    It 'counts errors and warnings on the job' {
        $job.ErrorCount | Should -Be 1
        $job.WarningCount | Should -Be 1
    }

    It 'keeps the object of an Output record as Value and its text as StreamText' {
        $object = (Get-SmaJobOutput -Id $job -Stream Output)[1]
        $object.StreamText | Should -Be '@{Kind=object; Size=42}'
        $object.Value.Kind | Should -Be 'object'
        $object.Value.Size | Should -Be 42
    }

    It 'filters by <Stream> (any case)' -ForEach @(
        @{ Stream = 'output'; Count = 3 }
        @{ Stream = 'WARNING'; Count = 1 }
        @{ Stream = 'Error'; Count = 1 }
        @{ Stream = 'information'; Count = 2 }
        @{ Stream = 'Verbose'; Count = 0 }
        @{ Stream = 'any'; Count = 7 }
    ) {
        @(Get-SmaJobOutput -Id $job -Stream $Stream).Count | Should -Be $Count
        @(Get-SmaJobOutput -JobId $job -OutputType $Stream).Count | Should -Be $Count
    }

    It 'filters by -StartTime' {
        $third = $records[2].StreamTime
        @(Get-SmaJobOutput -Id $job -StartTime $third.ToLocalTime()) | ForEach-Object { $_.StreamTime | Should -BeGreaterOrEqual $third }
        @(Get-SmaJobOutput -Id $job -StartTime ([datetime]::Now.AddHours(1))).Count | Should -Be 0
    }
}

Describe 'With LogVerbose, LogProgress and LogDebug' {
    BeforeAll {
        Set-SmaRunbookConfiguration -Name AllStreams -LogVerbose $true -LogProgress $true -LogDebug $true -Description 'every stream'
        $job = Start-SmaRunbook AllStreams -Wait
        $records = @(Get-SmaJobOutput -Id $job)
    }

    It 'shows the flags on the runbook' {
        $runbook = Get-SmaRunbook AllStreams
        $runbook.LogVerbose | Should -BeTrue
        $runbook.LogProgress | Should -BeTrue
        $runbook.LogDebug | Should -BeTrue
        $runbook.Description | Should -Be 'every stream'
    }

    It 'also keeps Verbose, Debug and Progress records, in order' {
        $records.StreamTypeName | Should -Be @('Output', 'Warning', 'Verbose', 'Debug', 'Progress', 'Error', 'Information', 'Information', 'Output', 'Output')
        ($records | Where-Object StreamTypeName -EQ Progress).StreamText | Should -Be 'Copying: file 1 (50%)'
    }

    It 'sets the matching preferences in the job' {
        $records[-1].StreamText | Should -Be 'prefs=Continue/Continue/Continue'
    }

    It 'turns them off again' {
        Set-SmaRunbookConfiguration -Name AllStreams -LogVerbose $false -LogDebug $false -LogProgress $false
        $job = Start-SmaRunbook AllStreams -Wait
        (Get-SmaJobOutput -Id $job).StreamTypeName | Should -Not -Contain 'Verbose'
    }
}

Describe 'Records are written while the job runs' {
    It 'lets another session read a running job''s first records' {
        $gate = Join-Path $SmaTestFolder 'gate.txt'
        New-TestRunbook -Name Slow -Source "'first record'; while (-not (Test-Path '$gate')) { Start-Sleep -Milliseconds 20 }; 'second record'" | Out-Null
        $job = Start-SmaRunbook Slow
        try {
            Wait-TestJobStatus -Id $job -Status Running | Out-Null
            $lines = Invoke-ChildPwsh @"
`$deadline = [DateTime]::UtcNow.AddSeconds(30)
do { `$seen = @(Get-SmaJobOutput -Id '$job' -Stream Output).StreamText; Start-Sleep -Milliseconds 50 } until (`$seen -or [DateTime]::UtcNow -gt `$deadline)
"status=`$((Get-SmaJob -Id '$job').JobStatus)"
`$seen
"@
            $lines | Should -Be @('status=Running', 'first record')
        }
        finally {
            Set-Content $gate 'go'
        }
        (Wait-SmaJob -Id $job -Timeout 60).JobStatus | Should -Be 'Completed'
        (Get-SmaJobOutput -Id $job -Stream Output).StreamText | Should -Be @('first record', 'second record')
    }
}

Describe 'A job that writes a million records' {
    It 'runs in bounded memory and keeps every record' {
        New-TestRunbook -Name Million -Source 'foreach ($i in 1..1000000) { $i }' | Out-Null
        $lines = Invoke-ChildPwsh @'
[GC]::Collect()
$before = [Diagnostics.Process]::GetCurrentProcess().WorkingSet64
$job = Start-SmaRunbook Million -Wait
$process = [Diagnostics.Process]::GetCurrentProcess()
$process.Refresh()
"status=$($job.JobStatus)"
"growthMB=$([int](($process.PeakWorkingSet64 - $before) / 1MB))"
$last = Get-SmaJobOutput -Id $job -Stream Output -StartTime $job.EndTime.AddSeconds(-2).ToLocalTime() | Select-Object -Last 1
"last=$($last.StreamRecordId)/$($last.StreamText)"
'@
        $lines | Should -Contain 'status=Completed'
        $lines | Should -Contain 'last=1000000/1000000'
        # Holding a million records (objects + CliXml) would take well over a gigabyte.
        [int](($lines | Where-Object { $_ -like 'growthMB=*' }) -replace 'growthMB=') | Should -BeLessThan 400
    }
}
