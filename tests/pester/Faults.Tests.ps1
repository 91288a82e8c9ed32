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

Describe 'Worker processes that end' -Tag 'Recovery' {
    BeforeAll {
        # Staleness would take ten minutes here: nothing below may wait for it.
        $script:saved = @{ Timeout = $env:SMA_WORKER_TIMEOUT; Store = $env:SMA_STORE }
        $env:SMA_WORKER_TIMEOUT = '600'
    }

    AfterAll {
        $env:SMA_WORKER_TIMEOUT = $script:saved.Timeout
        $env:SMA_STORE = $script:saved.Store
    }

    It 'settles a running Workflow job as Suspended, with the reason, when its process exits normally' {
        $store = Join-Path $SmaTestFolder 'leaver.db'
        $marks = Join-Path $SmaTestFolder 'leaver'
        New-Item -ItemType Directory $marks -Force | Out-Null
        $lines = Invoke-ChildPwsh @"
`$env:SMA_STORE = '$store'
Set-Content '$marks/Leaver.ps1' "'one'``nCheckpoint-Workflow``nNew-Item -ItemType File -Path '$marks/checkpointed' | Out-Null``nwhile (-not (Test-Path '$marks/gate')) { Start-Sleep -Milliseconds 20 }``n'two'"
Import-SmaRunbook '$marks/Leaver.ps1' -RunbookType Workflow -Publish | Out-Null
`$job = Start-SmaRunbook Leaver
while (-not (Test-Path '$marks/checkpointed')) { Start-Sleep -Milliseconds 20 }
"id=`$job"
"@
        $id = ($lines | Where-Object { $_ -like 'id=*' }) -replace '^id='
        $job = Get-SmaJob -Id $id -StorePath $store
        $job.JobStatus | Should -Be 'Suspended'
        $job.StatusDetails | Should -BeLike "*Worker '*' exited while the job ran*Resume-SmaJob*"
        Set-Content "$marks/gate" 'go'
        Resume-SmaJob -Id $id -StorePath $store
        $job = Wait-SmaJob -Id $id -Timeout 60 -StorePath $store
        $job.JobStatus | Should -Be 'Completed'
        (Get-SmaJobOutput -Id $id -Stream Output -StorePath $store).StreamText | Should -Be @('one', 'two')
    }

    It 'runs a new job at once after the only worker was killed (no wait for its heartbeat to go stale)' {
        $env:SMA_STORE = Join-Path $SmaTestFolder 'crash.db'
        New-TestRunbook -Name Quick -Source "'quick'" | Out-Null
        $worker = Start-TestWorker -Name Crashy
        & kill -9 $worker.Id
        $worker.WaitForExit(10000) | Out-Null
        (Get-SmaRunbookWorkerDeployment -Name Crashy).Status | Should -Be 'Lost'
        $job = Start-SmaRunbook Quick -Wait -Timeout 60
        $job.JobStatus | Should -Be 'Completed'
        $job.Worker | Should -Not -Be 'Crashy'
    }
}

Describe 'A job blocked in .NET code' {
    BeforeAll {
        $script:saved = @{ Store = $env:SMA_STORE; Stop = $env:SMA_STOP_TIMEOUT }
        $env:SMA_STORE = Join-Path $SmaTestFolder 'stuck.db'
        $env:SMA_STOP_TIMEOUT = '3'
        $stuckSource = "'blocked'; [Threading.Thread]::Sleep(-1)"
        New-TestRunbook -Name Stuck -Source $stuckSource | Out-Null

        # Runs a child pwsh -File on its own store; returns whether it exited within a generous deadline.
        function Test-ChildExits([string] $Name, [string] $Body) {
            $store = Join-Path $SmaTestFolder "$Name.db"
            $process = Start-ChildPwsh -LogPath (Join-Path $SmaTestFolder "$Name.log") -Script @"
`$env:SMA_STORE = '$store'
Set-Content '$SmaTestFolder/$Name-Stuck.ps1' "$stuckSource"
Import-SmaRunbook '$SmaTestFolder/$Name-Stuck.ps1' -Name Stuck -Publish | Out-Null
$Body
'script ended'
"@
            $exited = $process.WaitForExit(120000)
            if (-not $exited) { Stop-Process -Id $process.Id -Force -ErrorAction Ignore }
            [pscustomobject]@{ Exited = $exited; Log = Get-Content (Join-Path $SmaTestFolder "$Name.log") -Raw }
        }
    }

    AfterAll {
        $env:SMA_STORE = $script:saved.Store
        $env:SMA_STOP_TIMEOUT = $script:saved.Stop
    }

    It 'is Stopped within the stop bound, saying its thread was abandoned' {
        $job = Start-SmaRunbook Stuck
        Wait-Until { @(Get-SmaJobOutput -Id $job -Stream Output).StreamText -contains 'blocked' } -Because 'the job to block'
        Stop-SmaJob -Id $job
        $job = Wait-SmaJob -Id $job -Timeout 120
        $job.JobStatus | Should -Be 'Stopped'
        $job.StatusDetails | Should -BeLike '*did not stop within 3 s*thread was abandoned*'
        (Get-SmaJobHistory -Id $job -StatusOnly).Status | Should -Be @('Queued', 'Starting', 'Running', 'Stopping', 'Stopped')
    }

    It 'does not keep pwsh -File from exiting after Start-SmaRunbook -Wait -Timeout 3' {
        $child = Test-ChildExits -Name 'waited' -Body "`$job = Start-SmaRunbook Stuck -Wait -Timeout 3; `"status=`$(`$job.JobStatus)`""
        $child.Exited | Should -BeTrue -Because "the process must exit: $($child.Log)"
        $child.Log | Should -Match 'status=Running'
        $child.Log | Should -Match 'script ended'
    }

    It 'does not keep pwsh -File from exiting when the store is deleted while it runs' {
        $child = Test-ChildExits -Name 'deleted' -Body @"
`$job = Start-SmaRunbook Stuck
while ((Get-SmaJob -Id `$job).JobStatus -ne 'Running') { Start-Sleep -Milliseconds 20 }
Remove-Item '$SmaTestFolder/deleted.db*' -Force
try { Start-SmaRunbook Stuck -Wait -Timeout 3 | Out-Null } catch { "error: `$(`$_.FullyQualifiedErrorId)" }
"@
        $child.Exited | Should -BeTrue -Because "the process must exit: $($child.Log)"
        $child.Log | Should -Match 'error: StoreGone'
        $child.Log | Should -Match 'script ended'
    }
}
