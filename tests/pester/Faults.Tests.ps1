# Faults (DESIGN §8): a worker killed mid-write leaves a consistent store; a store file deleted or replaced under a
# running session gives a clear error, not a crash.

BeforeAll {
    . $PSScriptRoot/TestHelpers.ps1
    $env:SMA_WORKER_TIMEOUT = '4'
    Initialize-SmaTestStore
}

AfterAll {
    Remove-Item Env:SMA_WORKER_TIMEOUT -ErrorAction Ignore
    Remove-SmaTestStore
}

Describe 'A worker killed with kill -9 while a job writes records as fast as it can' {
    BeforeAll {
        New-TestRunbook -Name Firehose -Source '$i = 0; while ($true) { $i++; "record $i" }' | Out-Null
        $worker = Start-TestWorker -Name Firehose
        $job = Start-SmaRunbook Firehose
        Wait-Until { (Get-SmaJob -Id $job).JobStatus -eq 'Running' -and @(Get-SmaJobOutput -Id $job -Stream Output -StartTime ([datetime]::Now.AddSeconds(-5)) | Select-Object -First 1).Count -gt 0 } -Because 'records to flow'
        Start-Sleep -Seconds 2
        & kill -9 $worker.Id
        $worker.WaitForExit(10000) | Out-Null
        $records = @(Get-SmaJobOutput -Id $job -Stream Output)
    }

    It 'leaves a store that passes SQLite''s integrity check' {
        (Test-SmaStore).Integrity | Should -Be 'ok'
    }

    It 'keeps every record up to the last flush, in order, with none missing' {
        $records.Count | Should -BeGreaterThan 1000
        $records[-1].StreamRecordId | Should -Be $records.Count -Because 'ids run 1..N without a gap'
        $records[0].StreamText | Should -Be 'record 1'
        $records[-1].StreamText | Should -Be "record $($records.Count)"
    }

    It 'lets recovery fail the Script job, naming the lost worker' {
        New-TestRunbook -Name Nudge -Source "'nudge'" | Out-Null
        Start-SmaRunbook Nudge -Wait -Timeout 60 | Out-Null   # this session starts a worker (the only one died), which recovers
        Wait-Until { (Get-SmaJob -Id $job).JobStatus -eq 'Failed' } -TimeoutSeconds 60 -Because 'recovery'
        (Get-SmaJob -Id $job).StatusDetails | Should -BeLike "*'Firehose' was lost*"
    }
}

Describe 'The store file going away under a running session' {
    It 'reports a deleted store clearly, then starts over' {
        $lines = Invoke-ChildPwsh -AllowFailure @"
`$env:SMA_STORE = '$SmaTestFolder/doomed.db'
Set-Content '$SmaTestFolder/Doomed.ps1' "'ok'"
Import-SmaRunbook '$SmaTestFolder/Doomed.ps1' -Publish | Out-Null
`$job = Start-SmaRunbook Doomed -Wait
Remove-Item '$SmaTestFolder/doomed.db*' -Force
Start-Sleep -Milliseconds 1100
try { Get-SmaJob -Id `$job; 'no error' } catch { "error: `$(`$_.FullyQualifiedErrorId): `$_" }
"runbooks after: `$(@(Get-SmaRunbook).Count)"
"@
        ($lines -join "`n") | Should -Match 'error: StoreGone,.*was deleted or moved'
        $lines | Should -Contain 'runbooks after: 0'
    }

    It 'reports a replaced store clearly, then uses the new file' {
        Invoke-ChildPwsh "`$env:SMA_STORE = '$SmaTestFolder/replacement.db'; Set-Content '$SmaTestFolder/Other.ps1' `"'x'`"; Import-SmaRunbook '$SmaTestFolder/Other.ps1' | Out-Null" | Out-Null
        $lines = Invoke-ChildPwsh -AllowFailure @"
`$env:SMA_STORE = '$SmaTestFolder/swapped.db'
Set-Content '$SmaTestFolder/First.ps1' "'ok'"
Import-SmaRunbook '$SmaTestFolder/First.ps1' -Publish | Out-Null
Remove-Item '$SmaTestFolder/swapped.db*' -Force
Copy-Item '$SmaTestFolder/replacement.db' '$SmaTestFolder/swapped.db'
Start-Sleep -Milliseconds 1100
try { Get-SmaRunbook | Out-Null; 'no error' } catch { "error: `$(`$_.FullyQualifiedErrorId)" }
"now: `$((Get-SmaRunbook).RunbookName -join ',')"
"@
        $lines | Should -Contain 'error: StoreReplaced,Sma.Cmdlets.Commands.GetSmaRunbookCommand'
        $lines | Should -Contain 'now: Other'
    }
}
