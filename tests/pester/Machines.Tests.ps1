# Many machines, simulated here (DESIGN §12): three worker processes with their own HOME, temp folder and host name
# ($env:SMA_WORKER_HOST), as if on three machines, share one PostgreSQL store (they share the secret key, as copied
# key files would). They see each other only through the store: a killed one is found by its stale heartbeat.
# On the PostgreSQL pass of the test task only (build.ps1 -Store).

BeforeAll {
    . $PSScriptRoot/TestHelpers.ps1
    $env:SMA_WORKER_TIMEOUT = '4'   # a killed machine's worker counts as lost after 4 s without a heartbeat
    Initialize-SmaTestStore
    $script:processes = [Collections.Generic.List[object]]::new()
    $script:temps = [Collections.Generic.List[string]]::new()
    # A worker process as if on machine $Name: its own HOME, temp folder and host name.
    function Start-Machine([string] $Name, [int] $ThrottleLimit = 8) {
        $root = New-Item -ItemType Directory (Join-Path $SmaTestFolder "machine-$Name") -Force
        $userHome = New-Item -ItemType Directory (Join-Path $root 'home') -Force
        # A short temp folder: the nudge sockets made there have a path limit of about 100 characters.
        $temp = New-Item -ItemType Directory (Join-Path ([IO.Path]::GetTempPath()) ('sma-m' + [guid]::NewGuid().ToString('n').Substring(0, 8)))
        $script:temps.Add($temp.FullName)
        $saved = $env:HOME, $env:TMPDIR, $env:SMA_WORKER_HOST
        try {
            $env:HOME = $userHome.FullName; $env:TMPDIR = $temp.FullName; $env:SMA_WORKER_HOST = "host-$Name"
            $p = Start-TestWorker -Name $Name -ThrottleLimit $ThrottleLimit
        }
        finally { $env:HOME, $env:TMPDIR, $env:SMA_WORKER_HOST = $saved }
        $script:processes.Add($p)
        $p
    }
}

AfterAll {
    foreach ($p in $script:processes) { if (-not $p.HasExited) { Stop-Process -Id $p.Id -Force -ErrorAction Ignore } }
    foreach ($t in $script:temps) { Remove-Item $t -Recurse -Force -ErrorAction Ignore }
    Remove-Item Env:SMA_WORKER_TIMEOUT -ErrorAction Ignore
    Remove-SmaTestStore
}

Describe 'Three machines on one PostgreSQL store' -Skip:(-not $env:SMA_TEST_PG) {
    BeforeAll {
        foreach ($name in 'M1', 'M2', 'M3') { Start-Machine $name | Out-Null }
        # One file per run (id + a fresh guid): a job that ran twice would leave two files for its id.
        $ledger = New-Item -ItemType Directory (Join-Path $SmaTestFolder 'ledger') -Force
        New-TestRunbook -Name Append -Source "param([string] `$Id) New-Item -ItemType File -Path (Join-Path '$ledger' `"`$Id.`$([guid]::NewGuid())`") | Out-Null" | Out-Null
        $ids = foreach ($n in 1..2000) { "job$n" }
        $jobs = foreach ($id in $ids) { Start-SmaRunbook Append -Parameters @{ Id = $id } }
        $ended = $jobs | Wait-SmaJob -Timeout 900
    }

    It 'runs every one of 2,000 jobs exactly once' {
        $unfinished = @($ended | Where-Object JobStatus -NE 'Completed')
        $unfinished | Select-Object -First 5 | ForEach-Object { Write-Host "not completed: $($_.JobId) $($_.JobStatus) on $($_.Worker): $($_.StatusDetails)" }
        $unfinished.Count | Should -Be 0
        $lines = @(Get-ChildItem $ledger | ForEach-Object { $_.Name -replace '\..*' })
        $lines.Count | Should -Be 2000
        ($lines | Sort-Object -Unique).Count | Should -Be 2000
        @(Compare-Object ($ids | Sort-Object) ($lines | Sort-Object)).Count | Should -Be 0
    }

    It 'spreads the jobs over all three machines' {
        $byWorker = $ended | Group-Object Worker
        ($byWorker.Name | Sort-Object) | Should -Be @('M1', 'M2', 'M3')
        $byWorker | ForEach-Object { $_.Count | Should -BeGreaterThan 100 -Because "$($_.Name) should take a share" }
    }
}

Describe 'A machine killed with kill -9' -Tag 'Recovery' -Skip:(-not $env:SMA_TEST_PG) {
    BeforeAll {
        foreach ($name in 'M1', 'M2', 'M3') { Stop-SmaWorker -Name $name -Wait -Timeout 60 -ErrorAction Ignore | Out-Null }
        $markers = New-Item -ItemType Directory (Join-Path $SmaTestFolder 'killed') -Force
        $gate = Join-Path $SmaTestFolder 'gate'
        $source = @"
`$done = 0
foreach (`$item in 1..5) {
    if (`$item -le `$done) { continue }
    New-Item -ItemType File -Path (Join-Path '$markers' "item`$item-`$([guid]::NewGuid())") | Out-Null
    "item `$item"
    `$done = `$item
    Checkpoint-Workflow
    if (`$item -eq 2) { while (-not (Test-Path '$gate')) { Start-Sleep -Milliseconds 20 } }
}
"finished"
"@
        New-TestRunbook -Name Survivor -RunbookType Workflow -Source $source | Out-Null
        New-TestRunbook -Name Casualty -Source $source.Replace("'$markers'", "'$markers/script'") | Out-Null
        New-Item -ItemType Directory (Join-Path $markers 'script') | Out-Null

        $victim = Start-Machine Victim
        $survivor = Start-SmaRunbook Survivor
        $casualty = Start-SmaRunbook Casualty
        Wait-Until { @(Get-ChildItem $markers -Recurse -Filter 'item2-*').Count -eq 2 } -Because 'both jobs to reach item 2'
        Start-Sleep -Milliseconds 300
        & kill -9 $victim.Id
        $victim.WaitForExit(10000) | Out-Null
        New-Item -ItemType File $gate | Out-Null
        Start-Machine Rescuer | Out-Null
        $survivor = Wait-SmaJob $survivor -Timeout 120
        $casualty = Wait-SmaJob $casualty -Timeout 120
    }

    It 'resumes its Workflow job elsewhere, which completes it from the last checkpoint' {
        $survivor.JobStatus | Should -Be 'Completed'
        # Whichever live worker takes the resume (the rescuer, or this session's own), it is not the killed one.
        $survivor.Worker | Should -Not -BeNullOrEmpty
        $survivor.Worker | Should -Not -Be 'Victim'
        $history = Get-SmaJobHistory -Id $survivor -StatusOnly
        ($history | Where-Object Status -EQ 'Resuming').Text | Should -BeLike "*'Victim' was lost*no heartbeat*"
        (Get-SmaJobOutput $survivor -Stream Output).StreamText | Should -Be @('item 1', 'item 2', 'item 3', 'item 4', 'item 5', 'finished')
        (Get-ChildItem $markers -File | ForEach-Object { $_.Name -replace '-.*' } | Sort-Object) | Should -Be @('item1', 'item2', 'item3', 'item4', 'item5')
    }

    It 'fails its Script job, naming the lost worker' {
        $casualty.JobStatus | Should -Be 'Failed'
        $casualty.StatusDetails | Should -BeLike "*'Victim' was lost*Script runbook*"
    }
}
