# Workers (DESIGN §4.4): dedicated worker processes, pinning, one store shared by many processes,
# control across processes, draining, and recovery after kill -9.
# This session never runs jobs itself: workers are always available, so it starts no embedded worker.

BeforeAll {
    . $PSScriptRoot/TestHelpers.ps1
    $env:SMA_WORKER_TIMEOUT = '4'   # a killed worker counts as lost after 4 s without a heartbeat
    Initialize-SmaTestStore
    $script:processes = [Collections.Generic.List[object]]::new()
    function Start-Worker([string] $Name, [int] $ThrottleLimit = 4) {
        $p = Start-TestWorker -Name $Name -ThrottleLimit $ThrottleLimit
        $script:processes.Add($p)
        $p
    }
    $gate = Join-Path $SmaTestFolder 'gate'
    New-TestRunbook -Name WhoRuns -Source '"pid=$PID"' | Out-Null
    New-TestRunbook -Name Spin -Source "'spinning'; while (`$true) { Start-Sleep -Milliseconds 20 }" | Out-Null
}

AfterAll {
    foreach ($p in $script:processes) { if (-not $p.HasExited) { Stop-Process -Id $p.Id -Force -ErrorAction Ignore } }
    Remove-Item Env:SMA_WORKER_TIMEOUT -ErrorAction Ignore
    Remove-SmaTestStore
}

Describe 'Dedicated workers and pinning' {
    BeforeAll {
        $w1 = Start-Worker W1
        $w2 = Start-Worker W2
    }

    It 'lists the workers with their process and status' {
        $workers = Get-SmaRunbookWorkerDeployment -Name 'W*'
        $workers.Name | Should -Be @('W1', 'W2')
        $workers.Status | Should -Be @('Running', 'Running')
        ($workers | Where-Object Name -EQ W1).ProcessId | Should -Be $w1.Id
        ($workers | Where-Object Name -EQ W2).ThrottleLimit | Should -Be 4
    }

    It 'runs a job pinned to W2 on W2' {
        Set-SmaRunbookConfiguration -Name WhoRuns -RunbookWorker W2
        (Get-SmaRunbook WhoRuns).RunbookWorker | Should -Be 'W2'
        $job = Start-SmaRunbook WhoRuns -Wait -Timeout 60
        $job.JobStatus | Should -Be 'Completed'
        $job.Worker | Should -Be 'W2'
        (Get-SmaJobOutput $job -Stream Output).StreamText | Should -Be "pid=$($w2.Id)"
    }

    It 'fails a job pinned to a worker that is not running at once, naming it' {
        Set-SmaRunbookConfiguration -Name WhoRuns -RunbookWorker Absent
        $job = Start-SmaRunbook WhoRuns -ErrorVariable problems -ErrorAction SilentlyContinue
        $job.JobStatus | Should -Be 'Failed'
        $job.StatusDetails | Should -BeLike "*'Absent'*not available*"
        $problems[0].FullyQualifiedErrorId | Should -BeLike 'RunbookWorkerUnavailable,*'
        (Get-SmaJobHistory -Id $job -StatusOnly).Status | Should -Be @('Queued', 'Failed')
    }

    It 'runs unpinned jobs again after clearing the pin' {
        Set-SmaRunbookConfiguration -Name WhoRuns -RunbookWorker $null
        (Get-SmaRunbook WhoRuns).RunbookWorker | Should -BeNullOrEmpty
        (Start-SmaRunbook WhoRuns -Wait -Timeout 60).Worker | Should -BeIn 'W1', 'W2'
    }

    It 'refuses a second worker with a running worker''s name' {
        $lines = Invoke-ChildPwsh -AllowFailure "try { Start-SmaWorker -Name W1 } catch { `$_.FullyQualifiedErrorId }"
        $lines | Should -Contain 'WorkerNameInUse,Sma.Cmdlets.Commands.StartSmaWorkerCommand'
    }

    It 'lets another process watch, suspend, resume and stop a job running on a worker' {
        $job = Start-SmaRunbook Spin
        Wait-TestJobStatus -Id $job -Status Running | Out-Null
        $lines = Invoke-ChildPwsh @"
`$job = Get-SmaJob -Id '$job'
"worker=`$(`$job.Worker)"
Stop-SmaJob -Id `$job
`$job = Wait-SmaJob -Id `$job -Timeout 30
"status=`$(`$job.JobStatus)"
"@
        $lines | Should -Contain 'status=Stopped'
        ($lines | Where-Object { $_ -like 'worker=*' }) | Should -BeIn 'worker=W1', 'worker=W2'
    }

    It 'suspends on one worker and resumes on another from a third process' {
        New-TestRunbook -Name Steps -Source "'step 1'`nCheckpoint-Workflow`nwhile (-not (Test-Path '$gate')) { Start-Sleep -Milliseconds 20 }`nCheckpoint-Workflow`n'step 2'" | Out-Null
        $job = Start-SmaRunbook Steps
        Wait-TestJobStatus -Id $job -Status Running | Out-Null
        Wait-Until { (Get-SmaJobOutput $job -Stream Output).StreamText -contains 'step 1' } -Because 'step 1'
        Invoke-ChildPwsh "Suspend-SmaJob -Id '$job'" | Out-Null
        Set-Content $gate 'go'
        (Wait-SmaJob $job -Timeout 60).JobStatus | Should -Be 'Suspended'
        Invoke-ChildPwsh "Resume-SmaJob -Id '$job'" | Out-Null
        (Wait-SmaJob $job -Timeout 60).JobStatus | Should -Be 'Completed'
        (Get-SmaJobOutput $job -Stream Output).StreamText | Should -Be @('step 1', 'step 2')
        Remove-Item $gate
    }

    It 'drains a worker with Stop-SmaWorker: its running job suspends and continues on another worker' {
        New-TestRunbook -Name Pausable -Source "`$i = 0`nwhile (`$i -lt 1000) { `$i++; Start-Sleep -Milliseconds 20; if (Test-Path '$gate') { break }; Checkpoint-Workflow }`n`"ended at `$i`"" | Out-Null
        $job = Start-SmaRunbook Pausable
        $first = (Wait-TestJobStatus -Id $job -Status Running).Worker
        $other = if ($first -eq 'W1') { 'W2' } else { 'W1' }
        Start-Sleep -Milliseconds 200
        $stopped = Stop-SmaWorker -Name $first -Wait -Timeout 60
        $stopped.Status | Should -Be 'Stopped'
        (@{ W1 = $w1; W2 = $w2 })[$first].WaitForExit(30000) | Should -BeTrue -Because 'Start-SmaWorker returns once drained'
        Wait-Until { (Get-SmaJob -Id $job).Worker -eq $other } -Because "the job to continue on $other"
        Set-Content $gate 'stop'
        $job = Wait-SmaJob $job -Timeout 60
        $job.JobStatus | Should -Be 'Completed'
        $statuses = (Get-SmaJobHistory -Id $job -StatusOnly).Status
        $statuses | Should -Contain 'Suspended'
        $statuses | Should -Contain 'Resuming'
        Remove-Item $gate
    }
}

# On PostgreSQL, Machines.Tests.ps1 runs these checks over 2,000 jobs on three worker processes as on three machines.
Describe 'Three worker processes on one store' -Skip:([bool] $env:SMA_TEST_PG) {
    BeforeAll {
        foreach ($name in 'P1', 'P2', 'P3') { Start-Worker $name | Out-Null }
        Get-SmaRunbookWorkerDeployment -Name W* | Where-Object Status -EQ Running | Stop-SmaWorker -Wait -Timeout 60 | Out-Null
        # One file per run (id + a fresh guid): a job that ran twice would leave two files for its id.
        $ledger = New-Item -ItemType Directory (Join-Path $SmaTestFolder 'ledger') -Force
        New-TestRunbook -Name Append -Source "param([string] `$Id) New-Item -ItemType File -Path (Join-Path '$ledger' `"`$Id.`$([guid]::NewGuid())`") | Out-Null" | Out-Null
        $ids = foreach ($n in 1..600) { "job$n" }
        $jobs = foreach ($id in $ids) { Start-SmaRunbook Append -Parameters @{ Id = $id } }
        $ended = $jobs | Wait-SmaJob -Timeout 600
    }

    It 'runs every one of 600 jobs exactly once' {
        $unfinished = @($ended | Where-Object JobStatus -NE 'Completed')
        $unfinished.Count | Should -Be 0 -Because "every job should complete; these did not: $(($unfinished | Select-Object -First 5 | ForEach-Object { "$($_.JobStatus) on '$($_.Worker)': $($_.StatusDetails)" }) -join '; ')"
        $lines = @(Get-ChildItem $ledger | ForEach-Object { $_.Name -replace '\..*' })
        $lines.Count | Should -Be 600
        ($lines | Sort-Object -Unique).Count | Should -Be 600
        @(Compare-Object ($ids | Sort-Object) ($lines | Sort-Object)).Count | Should -Be 0
    }

    It 'spreads the jobs over the workers' {
        $byWorker = $ended | Group-Object Worker
        ($byWorker.Name | Sort-Object) | Should -Be @('P1', 'P2', 'P3')
        $byWorker | ForEach-Object { $_.Count | Should -BeGreaterThan 20 -Because "$($_.Name) should take a share" }
    }
}

Describe 'A worker process killed with kill -9' -Tag 'Recovery' {
    BeforeAll {
        # Only the victim and its rescuer may take the job: every worker the tests before started stops.
        Get-SmaRunbookWorkerDeployment | Where-Object Status -EQ Running | Stop-SmaWorker -Wait -Timeout 60 | Out-Null
        $markers = New-Item -ItemType Directory (Join-Path $SmaTestFolder 'killed') -Force
        $signals = New-Item -ItemType Directory (Join-Path $SmaTestFolder 'signals') -Force
        # A plain loop: the recovered job continues inside item 2's iteration, after its checkpoint. Checkpoint-Workflow
        # returns once the checkpoint is committed; the signal file then says the worker can be killed.
        $source = @"
foreach (`$item in 1..5) {
    New-Item -ItemType File -Path (Join-Path '$markers' "`$(`$PSCmdlet)item`$item-`$([guid]::NewGuid())") | Out-Null
    "item `$item"
    Checkpoint-Workflow
    if (`$item -eq 2) { New-Item -ItemType File -Force -Path '$signals/survivor' | Out-Null; while (-not (Test-Path '$gate')) { Start-Sleep -Milliseconds 20 } }
}
"finished"
"@
        New-TestRunbook -Name Survivor -RunbookType Workflow -Source $source | Out-Null
        New-TestRunbook -Name Casualty -Source $source.Replace("'$markers'", "'$markers/script'").Replace('/survivor', '/casualty') | Out-Null
        New-Item -ItemType Directory (Join-Path $markers 'script') | Out-Null
        # The same loop written as SMA workflow source (translated at import): recovered the same way.
        $flow = @"
workflow SurvivorFlow
{
    foreach (`$item in 1..5)
    {
        New-Item -ItemType File -Path (Join-Path '$markers/flow' "item`$item-`$([guid]::NewGuid())") | Out-Null
        "item `$item"
        Checkpoint-Workflow
        if (`$item -eq 2) { New-Item -ItemType File -Force -Path '$signals/flow' | Out-Null; while (-not (Test-Path '$gate')) { Start-Sleep -Milliseconds 20 } }
    }
    "finished"
}
"@
        New-TestRunbook -Name SurvivorFlow -RunbookType Workflow -Source $flow | Out-Null
        New-Item -ItemType Directory (Join-Path $markers 'flow') | Out-Null

        $victim = Start-Worker Victim
        $survivor = Start-SmaRunbook Survivor
        $casualty = Start-SmaRunbook Casualty
        $survivorFlow = Start-SmaRunbook SurvivorFlow
        Wait-Until { @(Get-ChildItem $signals).Count -eq 3 } -Because 'the three jobs to checkpoint item 2'
        & kill -9 $victim.Id
        $victim.WaitForExit(10000) | Out-Null
        Set-Content $gate 'go'
        Start-Worker Rescuer | Out-Null
        $survivor = Wait-SmaJob $survivor -Timeout 120
        $casualty = Wait-SmaJob $casualty -Timeout 120
        $survivorFlow = Wait-SmaJob $survivorFlow -Timeout 120
        Remove-Item $gate
    }

    It 'recovers the Workflow job on another process, which completes it' {
        $survivor.JobStatus | Should -Be 'Completed'
        $survivor.Worker | Should -Be 'Rescuer'
        $history = Get-SmaJobHistory -Id $survivor -StatusOnly
        ($history | Where-Object Status -EQ 'Resuming').Text | Should -BeLike "*'Victim' was lost*"
        $history.Status | Should -Be @('Queued', 'Starting', 'Running', 'Resuming', 'Running', 'Completed')
        $history[4].Text | Should -Be 'Resuming -> Running: Resumed after the checkpoint on line 4 (iteration 2 of the foreach on line 1).'
    }

    It 'loses and repeats nothing recorded before the last checkpoint' {
        (Get-SmaJobOutput $survivor -Stream Output).StreamText | Should -Be @('item 1', 'item 2', 'item 3', 'item 4', 'item 5', 'finished')
        (Get-ChildItem $markers -File | ForEach-Object { $_.Name -replace '-.*' } | Sort-Object) | Should -Be @('item1', 'item2', 'item3', 'item4', 'item5')
    }

    It 'recovers the job of a workflow runbook the same way: inside the loop, items 3-5 once each' {
        $survivorFlow.JobStatus | Should -Be 'Completed' -Because $survivorFlow.StatusDetails
        $survivorFlow.Worker | Should -Be 'Rescuer'
        $history = Get-SmaJobHistory -Id $survivorFlow -StatusOnly
        $history.Status | Should -Be @('Queued', 'Starting', 'Running', 'Resuming', 'Running', 'Completed')
        $history[4].Text | Should -Be 'Resuming -> Running: Resumed after the checkpoint on line 7 (iteration 2 of the foreach on line 3).'
        (Get-SmaJobOutput $survivorFlow -Stream Output).StreamText | Should -Be @('item 1', 'item 2', 'item 3', 'item 4', 'item 5', 'finished')
        (Get-ChildItem (Join-Path $markers 'flow') -File | ForEach-Object { $_.Name -replace '-.*' } | Sort-Object) |
            Should -Be @('item1', 'item2', 'item3', 'item4', 'item5')
    }

    It 'fails the Script job, naming the lost worker' {
        $casualty.JobStatus | Should -Be 'Failed'
        $casualty.StatusDetails | Should -BeLike "*'Victim' was lost*Script runbook*"
        (Get-SmaJobOutput $casualty -Stream Output).StreamText | Should -Be @('item 1', 'item 2')
    }

    It 'shows the killed worker as Lost' {
        (Get-SmaRunbookWorkerDeployment -Name Victim).Status | Should -Be 'Lost'
    }
}

Describe 'A worker asked to stop by its service manager' {
    It 'drains and exits on SIGTERM' -Skip:$IsWindows {
        $worker = Start-Worker Terminated
        & kill -TERM $worker.Id
        $worker.WaitForExit(30000) | Should -BeTrue
        (Get-SmaRunbookWorkerDeployment -Name Terminated).Status | Should -Be 'Stopped'
    }
}

Describe 'A worker killed with kill -9 and started again at once under its name' -Tag 'Recovery' {
    BeforeAll {
        # Staleness would take ten minutes here: whatever recovers these jobs sooner knows the process is gone.
        $script:savedTimeout = $env:SMA_WORKER_TIMEOUT
        $env:SMA_WORKER_TIMEOUT = '600'
        Get-SmaRunbookWorkerDeployment | Where-Object Status -EQ Running | ForEach-Object { Stop-SmaWorker -Name $_.Name -Wait -Timeout 60 | Out-Null }
        $again = Join-Path $SmaTestFolder 'again'
        New-Item -ItemType Directory $again -Force | Out-Null
        # The marker is written once the checkpoint is committed (Checkpoint-Workflow returns only then).
        $source = "'started'`nCheckpoint-Workflow`nNew-Item -ItemType File -Force -Path '$again/NAME' | Out-Null`nwhile (-not (Test-Path '$again/release')) { Start-Sleep -Milliseconds 20 }`n'released'"
        New-TestRunbook -Name AgainFlow -RunbookType Workflow -Source $source.Replace('NAME', 'flow') | Out-Null
        New-TestRunbook -Name AgainScript -Source $source.Replace('NAME', 'script') | Out-Null
        # Pinned to the worker's name, so only it (in either life) runs them and this session never does.
        Set-SmaRunbookConfiguration -Name AgainFlow -RunbookWorker Phoenix | Out-Null
        Set-SmaRunbookConfiguration -Name AgainScript -RunbookWorker Phoenix | Out-Null

        $first = Start-Worker Phoenix
        $flow = Start-SmaRunbook AgainFlow
        $script = Start-SmaRunbook AgainScript
        Wait-Until { (Test-Path "$again/flow") -and (Test-Path "$again/script") } -Because 'both jobs to pass their checkpoint'
        & kill -9 $first.Id
        $first.WaitForExit(10000) | Out-Null
        $second = Start-Worker Phoenix
    }

    AfterAll {
        $env:SMA_WORKER_TIMEOUT = $script:savedTimeout
    }

    It 'resumes the Workflow job on the new incarnation, promptly' {
        Wait-Until { (Get-SmaJob -Id $flow).JobStatus -eq 'Running' -and (Get-SmaJobHistory -Id $flow -StatusOnly).Status -contains 'Resuming' } -TimeoutSeconds 60 -Because 'the Workflow job to resume'
        $resuming = Get-SmaJobHistory -Id $flow -StatusOnly | Where-Object Status -EQ 'Resuming'
        $resuming.Text | Should -BeLike "*'Phoenix' was lost (its process $($first.Id) ended)*"
        (Get-SmaJob -Id $flow).Worker | Should -Be 'Phoenix'
        (Get-SmaRunbookWorkerDeployment -Name Phoenix).ProcessId | Should -Be $second.Id
    }

    It 'fails the Script job, naming the worker' {
        $job = Wait-TestJobStatus -Id $script -Status Failed -TimeoutSeconds 60
        $job.StatusDetails | Should -BeLike "*'Phoenix' was lost*Script runbook*"
    }

    It 'lets Stop-SmaJob end what is left Stopped' {
        Stop-SmaJob -Id $flow
        (Wait-SmaJob -Id $flow -Timeout 60).JobStatus | Should -Be 'Stopped'
        (Get-SmaJobOutput $flow -Stream Output).StreamText | Should -Be @('started')
    }
}

Describe 'A session that only reads' -Tag 'Recovery' {
    BeforeAll {
        $script:savedTimeout = $env:SMA_WORKER_TIMEOUT
        $env:SMA_WORKER_TIMEOUT = '600'
        New-TestRunbook -Name Lonely -Source "'started'; while (`$true) { Start-Sleep -Milliseconds 20 }" | Out-Null
        Set-SmaRunbookConfiguration -Name Lonely -RunbookWorker Hermit | Out-Null
        $hermit = Start-Worker Hermit
        $job = Start-SmaRunbook Lonely
        Wait-TestJobStatus -Id $job -Status Running | Out-Null
        & kill -9 $hermit.Id
        $hermit.WaitForExit(10000) | Out-Null
    }

    AfterAll {
        $env:SMA_WORKER_TIMEOUT = $script:savedTimeout
    }

    It 'sees a killed worker''s job as failed, not Running' {
        $lines = Invoke-ChildPwsh "`$job = Get-SmaJob -Id '$job'; `"status=`$(`$job.JobStatus)`"; `"details=`$(`$job.StatusDetails)`""
        $lines | Should -Contain 'status=Failed'
        ($lines | Where-Object { $_ -like 'details=*' }) | Should -BeLike "*'Hermit' was lost*"
    }
}
