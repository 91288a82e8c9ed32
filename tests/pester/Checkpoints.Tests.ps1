# Checkpoints, Suspend and Resume, Workflow runbooks (DESIGN §4.3, §4.7, §4.8), in one process.
# Worker processes and crash recovery are in Workers.Tests.ps1.

BeforeAll {
    . $PSScriptRoot/TestHelpers.ps1
    Initialize-SmaTestStore
    $gate = Join-Path $SmaTestFolder 'gate'
    # A plain loop, a checkpoint after each item: no progress counters needed, a resume continues at the next item.
    # With -SuspendAt the runbook suspends itself after that item; without, it waits at item 2 for the gate so the
    # test can ask it to suspend (Suspend-SmaJob) at its next checkpoint.
    $fiveItems = @'
param([string] $Markers, [string] $Gate, [int] $SuspendAt)
foreach ($item in 1..5) {
    New-Item -ItemType File -Path (Join-Path $Markers "item$item-$([guid]::NewGuid())") | Out-Null
    "processed item $item"
    if ($item -eq 2 -and -not $SuspendAt) { while (-not (Test-Path $Gate)) { Start-Sleep -Milliseconds 20 } }
    if ($item -eq $SuspendAt) { Suspend-Workflow } else { Checkpoint-Workflow }
}
"all done: $item"
'@
    New-TestRunbook -Name FiveItems -Source $fiveItems | Out-Null
    New-TestRunbook -Name FiveItemsFlow -RunbookType Workflow -Source $fiveItems | Out-Null
    function Get-MarkerCounts([string] $Folder) {
        Get-ChildItem $Folder | ForEach-Object { $_.Name -replace '-.*' } | Group-Object -NoElement | Sort-Object Name | ForEach-Object { "$($_.Name)=$($_.Count)" }
    }
}

AfterAll {
    Stop-TestJobs
    Remove-SmaTestStore
}

Describe 'A loop that checkpoints after each item, suspended by Suspend-SmaJob (<Runbook>)' -ForEach @(
    @{ Runbook = 'FiveItems' }
    @{ Runbook = 'FiveItemsFlow' }
) {
    BeforeAll {
        $markers = New-Item -ItemType Directory (Join-Path $SmaTestFolder "markers-$Runbook") -Force
        $job = Start-SmaRunbook $Runbook -Parameters @{ Markers = $markers.FullName; Gate = $gate }
        Wait-Until { Test-Path (Join-Path $markers 'item2-*') } -Because 'item 2'
        $suspending = Suspend-SmaJob -Id $job -PassThru
        Set-Content $gate 'go'
        $suspended = Wait-SmaJob -Id $job -Timeout 60
        Remove-Item $gate
        $markersAtSuspend = @(Get-MarkerCounts $markers)
        Resume-SmaJob -Id $job
        $final = Wait-SmaJob -Id $job -Timeout 60
    }

    It 'is Suspending on request and Suspended at its next checkpoint' {
        $suspending.JobStatus | Should -Be 'Suspending'
        $suspended.JobStatus | Should -Be 'Suspended'
        $markersAtSuspend | Should -Be @('item1=1', 'item2=1')
    }

    It 'resumes with items 3-5, doing each item exactly once' {
        $final.JobStatus | Should -Be 'Completed'
        Get-MarkerCounts $markers | Should -Be @('item1=1', 'item2=1', 'item3=1', 'item4=1', 'item5=1')
        (Get-SmaJobOutput -Id $job -Stream Output).StreamText | Should -Be @(
            'processed item 1', 'processed item 2', 'processed item 3', 'processed item 4', 'processed item 5', 'all done: 5')
    }

    It 'continues the record sequence across the resume' {
        $ids = (Get-SmaJobOutput -Id $job).StreamRecordId
        $ids | Should -Be (1..$ids.Count)
    }

    It 'shows each step in the status history, with times, and where it resumed' {
        $history = @(Get-SmaJobHistory -Id $job -StatusOnly)
        $history.Status | Should -Be @('Queued', 'Starting', 'Running', 'Suspending', 'Suspended', 'Resuming', 'Running', 'Completed')
        $history | ForEach-Object { $_.Time | Should -BeOfType [datetime] }
        for ($i = 1; $i -lt $history.Count; $i++) { $history[$i].Time | Should -BeGreaterOrEqual $history[$i - 1].Time }
        ($history | Where-Object Status -EQ 'Resuming').Text | Should -BeLike '*Resume requested*'
        $history[6].Text | Should -Be 'Resuming -> Running: Resumed after the checkpoint on line 6 (iteration 2 of the foreach on line 2).'
    }
}

Describe 'A loop that suspends itself with Suspend-Workflow after item 2 (<Runbook>)' -ForEach @(
    @{ Runbook = 'FiveItems' }
    @{ Runbook = 'FiveItemsFlow' }
) {
    It 'resumes with items 3-5, doing each item exactly once' {
        $markers = New-Item -ItemType Directory (Join-Path $SmaTestFolder "self-$Runbook") -Force
        $job = Start-SmaRunbook $Runbook -Parameters @{ Markers = $markers.FullName; Gate = $gate; SuspendAt = 2 } -Wait
        $job.JobStatus | Should -Be 'Suspended'
        $job.StatusDetails | Should -BeLike '*Suspend-Workflow*'
        Get-MarkerCounts $markers | Should -Be @('item1=1', 'item2=1')
        Resume-SmaJob -Id $job
        (Wait-SmaJob -Id $job -Timeout 60).JobStatus | Should -Be 'Completed'
        Get-MarkerCounts $markers | Should -Be @('item1=1', 'item2=1', 'item3=1', 'item4=1', 'item5=1')
        (Get-SmaJobOutput -Id $job -Stream Output).StreamText | Should -Be @(
            'processed item 1', 'processed item 2', 'processed item 3', 'processed item 4', 'processed item 5', 'all done: 5')
    }
}

Describe 'Nested loops with checkpoints' {
    It 'resume at the right inner and outer positions, each step once' {
        $steps = New-Item -ItemType Directory (Join-Path $SmaTestFolder 'nested') -Force
        New-TestRunbook -Name Nested -Source @"
foreach (`$host_ in 'h1', 'h2', 'h3') {
    foreach (`$disk in 'd1', 'd2') {
        New-Item -ItemType File -Path (Join-Path '$($steps.FullName)' "`$host_.`$disk-`$([guid]::NewGuid())") | Out-Null
        "`$host_ `$disk"
        if ("`$host_.`$disk" -in 'h1.d2', 'h2.d1') { Suspend-Workflow } else { Checkpoint-Workflow }
    }
    "`$host_ done"
    Checkpoint-Workflow
}
"@ | Out-Null
        $job = Start-SmaRunbook Nested -Wait
        $job.JobStatus | Should -Be 'Suspended'
        Resume-SmaJob $job
        (Wait-SmaJob $job -Timeout 60).JobStatus | Should -Be 'Suspended'
        (Get-SmaJobHistory -Id $job -StatusOnly | Where-Object Status -EQ 'Running')[1].Text |
            Should -Be 'Resuming -> Running: Resumed after the checkpoint on line 5 (iteration 1 of the foreach on line 1, iteration 2 of the foreach on line 2).'
        Resume-SmaJob $job
        (Wait-SmaJob $job -Timeout 60).JobStatus | Should -Be 'Completed'
        (Get-SmaJobHistory -Id $job -StatusOnly | Where-Object Status -EQ 'Running')[2].Text |
            Should -Be 'Resuming -> Running: Resumed after the checkpoint on line 5 (iteration 2 of the foreach on line 1, iteration 1 of the foreach on line 2).'
        (Get-SmaJobOutput -Id $job -Stream Output).StreamText | Should -Be @(
            'h1 d1', 'h1 d2', 'h1 done', 'h2 d1', 'h2 d2', 'h2 done', 'h3 d1', 'h3 d2', 'h3 done')
        $names = @(Get-ChildItem $steps | ForEach-Object { $_.Name -replace '-.*' } | Sort-Object)
        $names | Should -Be @('h1.d1', 'h1.d2', 'h2.d1', 'h2.d2', 'h3.d1', 'h3.d2')
    }
}

Describe 'Error positions' {
    BeforeAll {
        # The error is on line 5. Before resume paths, a resumed job was rebuilt from pieces and said "line 3".
        New-TestRunbook -Name FailsOnLine5 -Source @'
param([int] $SuspendFirst)
'first'
if ($SuspendFirst) { Suspend-Workflow }
'second'
Get-Item -LiteralPath '/nonexistent/sma-test' -ErrorAction Stop
'@ | Out-Null
    }

    It 'name the runbook''s own line on a fresh run' {
        $job = Start-SmaRunbook FailsOnLine5 -Wait
        $job.JobStatus | Should -Be 'Failed'
        $job.StatusDetails | Should -BeLike '*(line 5, char 1)'
        $job.JobException | Should -Match 'At line:5 char:1'
    }

    It 'name the runbook''s own line after a resume' {
        $job = Start-SmaRunbook FailsOnLine5 -Parameters @{ SuspendFirst = 1 } -Wait
        $job.JobStatus | Should -Be 'Suspended'
        Resume-SmaJob $job
        $job = Wait-SmaJob $job -Timeout 60
        $job.JobStatus | Should -Be 'Failed'
        $job.StatusDetails | Should -BeLike '*(line 5, char 1)'
        $job.JobException | Should -Match 'At line:5 char:1'
        $job.JobException | Should -Not -Match '__Sma'
        (Get-SmaJobOutput -Id $job -Stream Output).StreamText | Should -Be @('first', 'second')
    }
}

Describe 'Suspending without checkpoints, and Suspend-Workflow' {
    It 'ends Completed when a suspended job reaches no checkpoint' {
        New-TestRunbook -Name NoCheckpoint -Source "while (-not (Test-Path '$gate')) { Start-Sleep -Milliseconds 20 }; 'finished'" | Out-Null
        $job = Start-SmaRunbook NoCheckpoint
        Wait-TestJobStatus -Id $job -Status Running | Out-Null
        Suspend-SmaJob -Id $job
        Set-Content $gate 'go'
        (Wait-SmaJob -Id $job -Timeout 60).JobStatus | Should -Be 'Completed'
        (Get-SmaJobHistory -Id $job -StatusOnly).Status | Should -Be @('Queued', 'Starting', 'Running', 'Suspending', 'Completed')
        Remove-Item $gate
    }

    It 'suspends at Suspend-Workflow and runs the rest once on resume' {
        $counter = Join-Path $SmaTestFolder 'counter.txt'
        New-TestRunbook -Name SelfSuspend -Source "Add-Content '$counter' 'before'`n'part 1'`nSuspend-Workflow`nAdd-Content '$counter' 'after'`n'part 2'" | Out-Null
        $job = Start-SmaRunbook SelfSuspend -Wait
        $job.JobStatus | Should -Be 'Suspended'
        $job.StatusDetails | Should -BeLike '*Suspend-Workflow*'
        Resume-SmaJob -Id $job -PassThru | ForEach-Object JobStatus | Should -BeIn 'Resuming', 'Running', 'Completed'
        (Wait-SmaJob -Id $job).JobStatus | Should -Be 'Completed'
        Get-Content $counter | Should -Be @('before', 'after')
        (Get-SmaJobOutput -Id $job -Stream Output).StreamText | Should -Be @('part 1', 'part 2')
    }
}

Describe 'Workflow runbooks' {
    It 'suspend on a terminating error with JobException, and resume to Completed once fixed' {
        $file = Join-Path $SmaTestFolder 'input.txt'
        $runbook = New-TestRunbook -Name NeedsFile -RunbookType Workflow -Source @"
`$ErrorActionPreference = 'Stop'
'checking'
Checkpoint-Workflow
`$text = Get-Content -Path '$file'
"found: `$text"
"@
        $runbook.RunbookType | Should -Be 'Workflow'
        $job = Start-SmaRunbook NeedsFile -Wait
        $job.JobStatus | Should -Be 'Suspended'
        $job.JobException | Should -Match 'input.txt'
        $job.JobException | Should -Match 'At line:4'
        $job.StatusDetails | Should -BeLike '*Resume-SmaJob*'
        Set-Content $file 'the contents'
        Resume-SmaJob -Id $job
        $job = Wait-SmaJob -Id $job
        $job.JobStatus | Should -Be 'Completed'
        $job.JobException | Should -BeNullOrEmpty
        (Get-SmaJobOutput -Id $job -Stream Output).StreamText | Should -Be @('checking', 'found: the contents')
    }

    It 'can be switched with Set-SmaRunbookConfiguration -RunbookType; Script runbooks fail instead' {
        New-TestRunbook -Name Switched -Source "throw 'nope'" | Out-Null
        (Start-SmaRunbook Switched -Wait).JobStatus | Should -Be 'Failed'
        Set-SmaRunbookConfiguration -Name Switched -RunbookType Workflow
        (Get-SmaRunbook Switched).RunbookType | Should -Be 'Workflow'
        (Start-SmaRunbook Switched -Wait).JobStatus | Should -Be 'Suspended'
    }

    It 'resume from the beginning when there is no checkpoint' {
        $flag = Join-Path $SmaTestFolder 'flag.txt'
        New-TestRunbook -Name NoCheckpointFlow -RunbookType Workflow -Source "'run'; if (-not (Test-Path '$flag')) { throw 'no flag yet' }; 'flag seen'" | Out-Null
        $job = Start-SmaRunbook NoCheckpointFlow -Wait
        $job.JobStatus | Should -Be 'Suspended'
        Set-Content $flag 'x'
        Resume-SmaJob $job
        (Wait-SmaJob $job).JobStatus | Should -Be 'Completed'
        (Get-SmaJobOutput -Id $job -Stream Output).StreamText | Should -Be @('run', 'run', 'flag seen')
        (Get-SmaJobHistory -Id $job -StatusOnly | Where-Object Status -EQ 'Running' | Select-Object -Last 1).Text | Should -BeLike '*from the beginning*'
    }
}

Describe 'What a resume restores' {
    It 'replays functions, restores variables, changed preferences and the location' {
        $here = New-Item -ItemType Directory (Join-Path $SmaTestFolder 'elsewhere') -Force
        New-TestRunbook -Name Restorer -Source @"
param([int] `$Start = 1)
function Describe-State { "n=`$n start=`$Start ea=`$ErrorActionPreference where=`$((Get-Location).Path) obj=`$(`$obj.Name)/`$(`$obj.Size)" }
`$n = `$Start + 1
`$obj = [pscustomobject]@{ Name = 'widget'; Size = 3 }
`$ErrorActionPreference = 'SilentlyContinue'
Set-Location '$($here.FullName)'
Suspend-Workflow
Describe-State
"@ | Out-Null
        $job = Start-SmaRunbook Restorer -Parameters @{ Start = 10 } -Wait
        $job.JobStatus | Should -Be 'Suspended'
        Resume-SmaJob $job
        (Wait-SmaJob $job).JobStatus | Should -Be 'Completed'
        (Get-SmaJobOutput -Id $job -Stream Output).StreamText | Should -Be "n=11 start=10 ea=SilentlyContinue where=$($here.FullName) obj=widget/3"
    }
}

Describe 'Requests the transition table refuses' {
    It '<Request> on a <Status> job is an InvalidOperation error and changes nothing' -ForEach @(
        @{ Request = 'Resume-SmaJob'; Status = 'Running' }
        @{ Request = 'Suspend-SmaJob'; Status = 'Completed' }
        @{ Request = 'Resume-SmaJob'; Status = 'Completed' }
        @{ Request = 'Stop-SmaJob'; Status = 'Stopped' }
    ) {
        New-TestRunbook -Name "Refuse$Request$Status" -Source "while (-not (Test-Path '$gate')) { Start-Sleep -Milliseconds 20 }" | Out-Null
        $job = Start-SmaRunbook "Refuse$Request$Status"
        Wait-TestJobStatus -Id $job -Status Running | Out-Null
        if ($Status -eq 'Completed') { Set-Content $gate 'go'; Wait-SmaJob $job | Out-Null; Remove-Item $gate }
        if ($Status -eq 'Stopped') { Stop-SmaJob $job; Wait-SmaJob $job | Out-Null }
        $before = @(Get-SmaJobHistory -Id $job -StatusOnly).Count
        $err = Get-NonTerminatingError { & $Request -Id $job }
        $err.FullyQualifiedErrorId | Should -BeLike 'InvalidJobStateTransition,*'
        $err.CategoryInfo.Category | Should -Be 'InvalidOperation'
        (Get-SmaJob -Id $job).Status | Should -Be $Status
        @(Get-SmaJobHistory -Id $job -StatusOnly).Count | Should -Be $before
        if ($Status -eq 'Running') { Stop-SmaJob $job; Wait-SmaJob $job | Out-Null }
    }
}

Describe 'Stopping suspended and suspending jobs' {
    It 'stops a Suspended job at once' {
        New-TestRunbook -Name ToStop -Source "'a'; Suspend-Workflow; 'b'" | Out-Null
        $job = Start-SmaRunbook ToStop -Wait
        $job.JobStatus | Should -Be 'Suspended'
        (Stop-SmaJob $job -PassThru).JobStatus | Should -Be 'Stopped'
        (Get-SmaJobHistory -Id $job -StatusOnly).Status[-3..-1] | Should -Be @('Suspended', 'Stopping', 'Stopped')
    }

    It 'stops a Suspending job' {
        New-TestRunbook -Name SlowToSuspend -Source "while (`$true) { Start-Sleep -Milliseconds 20 }" | Out-Null
        $job = Start-SmaRunbook SlowToSuspend
        Wait-TestJobStatus -Id $job -Status Running | Out-Null
        (Suspend-SmaJob $job -PassThru).JobStatus | Should -Be 'Suspending'
        Stop-SmaJob $job
        (Wait-SmaJob $job -Timeout 60).JobStatus | Should -Be 'Stopped'
    }
}

Describe 'Secrets in checkpoints' {
    It 'are encrypted in the store and come back on resume' {
        $password = 'Checkpoint-Pa55-Unique-2911'
        New-TestRunbook -Name HoldsSecret -Source @'
param([securestring] $Secret)
$credential = [pscredential]::new('svc', $Secret)
Suspend-Workflow
"length=$($credential.GetNetworkCredential().Password.Length) user=$($credential.UserName)"
'@ | Out-Null
        $job = Start-SmaRunbook HoldsSecret -Wait -Parameters @{ Secret = (ConvertTo-SecureString $password -AsPlainText -Force) }
        $job.JobStatus | Should -Be 'Suspended'
        $content = Get-SmaTestStoreContent
        $hex = [Convert]::ToHexString([Text.Encoding]::Unicode.GetBytes($password))
        foreach ($form in $password, $hex, $hex.ToLowerInvariant(), [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes($password))) {
            $content.Contains($form) | Should -BeFalse
        }
        Resume-SmaJob $job
        (Wait-SmaJob $job).JobStatus | Should -Be 'Completed'
        (Get-SmaJobOutput -Id $job -Stream Output).StreamText | Should -Be "length=$($password.Length) user=svc"
    }
}
