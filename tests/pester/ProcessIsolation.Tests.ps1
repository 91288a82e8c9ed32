# Process isolation (DESIGN §4.4): with SMA_ISOLATION=Process or Set-SmaSessionOption -Isolation Process, the
# session's jobs run in a background worker process that the module starts and stops, so nothing a job does to its
# process (exit, environment variables, current directory, console input) reaches the caller. Each scenario's caller
# is a child pwsh; this process only checks the store and the processes.

BeforeAll {
    . $PSScriptRoot/TestHelpers.ps1
    Initialize-SmaTestStore
    # Jobs still running when a session ends get this long to finish before they are settled.
    $env:SMA_STOP_TIMEOUT = '3'
    New-TestRunbook -Name Exiter -Source "'before exit'; [Environment]::Exit(7)" | Out-Null
    New-TestRunbook -Name Fine -Source "'fine'; `$PID" | Out-Null
    New-TestRunbook -Name Leaky -Source "`$env:SMA_ISO_LEAK = 'leaked'; [Environment]::CurrentDirectory = '$SmaTestFolder'; 'set'" | Out-Null
    New-TestRunbook -Name Reader -Source "`"read=[`$([Console]::ReadLine())]`"" | Out-Null
    New-TestRunbook -Name Forever -Source "while (`$true) { Start-Sleep -Milliseconds 100 }" | Out-Null

    # True when the process is gone (or a zombie nobody has reaped yet: it runs nothing any more).
    function Test-ProcessGone([int] $Id) {
        if ($IsLinux) {
            $stat = Get-Content "/proc/$Id/stat" -Raw -ErrorAction Ignore
            return -not $stat -or $stat.Substring($stat.LastIndexOf(')') + 2, 1) -in 'Z', 'X'
        }
        return -not (Get-Process -Id $Id -ErrorAction Ignore)
    }
    # The value of a "name=value" line of a child's output.
    function Get-Line([string[]] $Lines, [string] $Name) {
        $line = $Lines | Where-Object { $_ -like "$Name=*" } | Select-Object -First 1
        if ($null -eq $line) { throw "No '$Name=' line in:`n$($Lines -join "`n")" }
        $line.Substring($Name.Length + 1)
    }
    # Runs a caller script in a child pwsh with $InputText on its standard input; returns its output lines.
    function Invoke-ChildWithInput([string] $Script, [string] $InputText) {
        $file = Join-Path $SmaTestFolder ("stdin-{0}.ps1" -f [guid]::NewGuid().ToString('n'))
        Set-Content -Path $file -Value ("`$ErrorActionPreference = 'Stop'`nImport-Module '$env:SMA_TEST_MODULE'`n" + $Script)
        $pwsh = Get-PwshCommand
        $arguments = @($pwsh | Select-Object -Skip 1) + @('-NoProfile', '-NonInteractive', '-File', $file)
        $output = $InputText | & $pwsh[0] @arguments 2>&1 | ForEach-Object { "$_" }
        if ($LASTEXITCODE -ne 0) { throw "Child pwsh exited with $LASTEXITCODE`n$($output -join "`n")" }
        $output
    }
}

AfterAll {
    Stop-TestJobs
    Remove-Item Env:SMA_STOP_TIMEOUT -ErrorAction Ignore
    Remove-SmaTestStore
}

Describe 'Choosing the isolation' {
    It 'is Thread by default: the session''s jobs run on its embedded worker' {
        $lines = Invoke-ChildPwsh @'
Remove-Item Env:SMA_ISOLATION -ErrorAction Ignore
$option = Get-SmaSessionOption
"isolation=$($option.Isolation)"; "source=$($option.IsolationSource)"
$job = Start-SmaRunbook Fine -Wait -Timeout 120
"worker=$($job.Worker)"; "jobpid=$((Get-SmaJobOutput -Id $job -Stream Output)[1].StreamText)"; "pid=$PID"
'@
        Get-Line $lines isolation | Should -Be 'Thread'
        Get-Line $lines source | Should -Be 'Default'
        Get-Line $lines jobpid | Should -Be (Get-Line $lines pid) -Because 'Thread isolation runs jobs in the caller''s process'
        Get-Line $lines worker | Should -Be "$([Environment]::MachineName)-$(Get-Line $lines pid)"
    }

    It 'is Process with $env:SMA_ISOLATION (any case), and Set-SmaSessionOption overrides it' {
        $lines = Invoke-ChildPwsh @'
$env:SMA_ISOLATION = 'process'
$option = Get-SmaSessionOption
"isolation=$($option.Isolation)"; "source=$($option.IsolationSource)"; "before=[$($option.BackgroundWorker)]"
$job = Start-SmaRunbook Fine -Wait -Timeout 120
"status=$($job.JobStatus)"; "worker=$($job.Worker)"; "jobpid=$((Get-SmaJobOutput -Id $job -Stream Output)[1].StreamText)"; "pid=$PID"
$option = Get-SmaSessionOption
"bg=$($option.BackgroundWorker)"; "bgpid=$($option.BackgroundProcessId)"; "log=$($option.BackgroundLog)"
Set-SmaSessionOption -Isolation Thread
$option = Get-SmaSessionOption
"after=$($option.Isolation)"; "aftersource=$($option.IsolationSource)"; "afterbg=[$($option.BackgroundWorker)]"
$job = Start-SmaRunbook Fine -Wait -Timeout 120
"threadworker=$($job.Worker)"
'@
        Get-Line $lines isolation | Should -Be 'Process'
        Get-Line $lines source | Should -Be '$env:SMA_ISOLATION'
        Get-Line $lines before | Should -Be '[]' -Because 'the background worker starts when the session first needs a worker'
        Get-Line $lines status | Should -Be 'Completed'
        $callerPid = Get-Line $lines pid
        Get-Line $lines worker | Should -Be "$([Environment]::MachineName)-$callerPid-bg"
        Get-Line $lines bg | Should -Be (Get-Line $lines worker)
        Get-Line $lines jobpid | Should -Be (Get-Line $lines bgpid) -Because 'the job ran in the background worker''s process'
        Get-Line $lines jobpid | Should -Not -Be $callerPid
        Get-Line $lines log | Should -Exist
        Get-Line $lines after | Should -Be 'Thread'
        Get-Line $lines aftersource | Should -Be 'Set-SmaSessionOption'
        Get-Line $lines afterbg | Should -Be '[]' -Because 'switching back lets the background worker go'
        Get-Line $lines threadworker | Should -Be "$([Environment]::MachineName)-$callerPid"
        Wait-Until { Test-ProcessGone ([int](Get-Line $lines bgpid)) } -TimeoutSeconds 120 -Because 'the background worker to exit'
    }
}

Describe 'Nothing a job does to its process reaches the caller' {
    It '[Environment]::Exit(7) in a job does not end the caller; the job fails, naming its worker' {
        $lines = Invoke-ChildPwsh @'
Set-SmaSessionOption -Isolation Process
$job = Start-SmaRunbook Exiter -Wait -Timeout 120
"status=$($job.JobStatus)"; "worker=$($job.Worker)"; "details=$($job.StatusDetails)"
"alive=yes"
$next = Start-SmaRunbook Fine -Wait -Timeout 120
"next=$($next.JobStatus)"; "nextworker=$($next.Worker)"; "pid=$PID"
'@
        Get-Line $lines alive | Should -Be 'yes' -Because 'the caller''s next command runs'
        Get-Line $lines status | Should -Be 'Failed'
        $worker = Get-Line $lines worker
        $worker | Should -Be "$([Environment]::MachineName)-$(Get-Line $lines pid)-bg"
        Get-Line $lines details | Should -BeLike "*'$worker'*"
        Get-Line $lines next | Should -Be 'Completed' -Because 'the session starts a new background worker'
        Get-Line $lines nextworker | Should -Be "$worker`2"
    }

    It 'a job''s $env: and [Environment]::CurrentDirectory changes are not seen by the caller' {
        $lines = Invoke-ChildPwsh @'
Set-SmaSessionOption -Isolation Process
$cwd = [Environment]::CurrentDirectory
$job = Start-SmaRunbook Leaky -Wait -Timeout 120
"status=$($job.JobStatus)"; "env=[$env:SMA_ISO_LEAK]"; "cwdsame=$([Environment]::CurrentDirectory -eq $cwd)"
'@
        Get-Line $lines status | Should -Be 'Completed'
        Get-Line $lines env | Should -Be '[]'
        Get-Line $lines cwdsame | Should -Be 'True'
    }

    It 'with Thread isolation the same job''s changes do reach the caller (they share a process)' {
        $lines = Invoke-ChildPwsh @'
$cwd = [Environment]::CurrentDirectory
$job = Start-SmaRunbook Leaky -Wait -Timeout 120
"status=$($job.JobStatus)"; "env=[$env:SMA_ISO_LEAK]"; "cwdsame=$([Environment]::CurrentDirectory -eq $cwd)"
'@
        Get-Line $lines env | Should -Be '[leaked]'
        Get-Line $lines cwdsame | Should -Be 'False'
    }

    It '[Console]::ReadLine() in a job does not read the caller''s standard input' {
        $lines = Invoke-ChildWithInput -InputText 'caller-line' -Script @'
Set-SmaSessionOption -Isolation Process
$job = Start-SmaRunbook Reader -Wait -Timeout 120
"status=$($job.JobStatus)"
"job=$((Get-SmaJobOutput -Id $job -Stream Output).StreamText)"
"caller=[$([Console]::ReadLine())]"
'@
        Get-Line $lines status | Should -Be 'Completed' -Because 'the read returned at once'
        Get-Line $lines job | Should -Be 'read=[]'
        Get-Line $lines caller | Should -Be '[caller-line]' -Because 'the caller''s input is still its own'
    }

    It 'with Thread isolation a job does read the caller''s standard input' {
        $lines = Invoke-ChildWithInput -InputText 'caller-line' -Script @'
$job = Start-SmaRunbook Reader -Wait -Timeout 120
"job=$((Get-SmaJobOutput -Id $job -Stream Output).StreamText)"
'@
        Get-Line $lines job | Should -Be 'read=[caller-line]'
    }
}

Describe 'The background worker''s life' {
    It 'is gone after the caller exits; a job still running is given SMA_STOP_TIMEOUT, then fails naming it' {
        $lines = Invoke-ChildPwsh @'
Set-SmaSessionOption -Isolation Process
$job = Start-SmaRunbook Forever
while ((Get-SmaJob -Id $job).JobStatus -ne 'Running') { Start-Sleep -Milliseconds 50 }
"job=$job"; "bgpid=$((Get-SmaSessionOption).BackgroundProcessId)"; "bg=$((Get-SmaSessionOption).BackgroundWorker)"
'@
        $bgPid = [int](Get-Line $lines bgpid)
        Wait-Until { Test-ProcessGone $bgPid } -TimeoutSeconds 120 -Because 'the background worker to exit after its session'
        $job = Get-SmaJob -Id (Get-Line $lines job)
        $job.JobStatus | Should -Be 'Failed'
        $job.StatusDetails | Should -BeLike "*'$(Get-Line $lines bg)'*"
        (Get-SmaRunbookWorkerDeployment -Name (Get-Line $lines bg)).Status | Should -Be 'Stopped' -Because 'it left the registry as a normal exit does'
    }

    It 'is gone after its caller is killed (kill -9)' {
        $caller = Start-ChildPwsh -LogPath (Join-Path $SmaTestFolder 'killed-caller.log') -Script @'
Set-SmaSessionOption -Isolation Process
$null = Start-SmaRunbook Fine -Wait -Timeout 120
"bgpid=$((Get-SmaSessionOption).BackgroundProcessId)"
while ($true) { Start-Sleep -Seconds 1 }
'@
        try {
            Wait-Until { (Get-Content (Join-Path $SmaTestFolder 'killed-caller.log') -ErrorAction Ignore) -match '^bgpid=\d+' -or $caller.HasExited } -TimeoutSeconds 120 -Because 'the caller to start its background worker'
            $bgPid = [int](Get-Line (Get-Content (Join-Path $SmaTestFolder 'killed-caller.log')) bgpid)
            Test-ProcessGone $bgPid | Should -BeFalse
            & kill -9 $caller.Id
            Wait-Until { Test-ProcessGone $bgPid } -TimeoutSeconds 120 -Because 'the background worker to notice its caller is gone'
        }
        finally {
            if (-not $caller.HasExited) { $caller.Kill() }
        }
    }

    It 'is gone after Remove-Module Sma, and a new import starts a new one' {
        $lines = Invoke-ChildPwsh @'
Set-SmaSessionOption -Isolation Process
$first = Start-SmaRunbook Fine -Wait -Timeout 120
$bgPid = (Get-SmaSessionOption).BackgroundProcessId
"first=$($first.Worker)"
Remove-Module Sma
$deadline = [DateTime]::UtcNow.AddSeconds(120)
while ((Get-Process -Id $bgPid -ErrorAction Ignore) -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 100 }
"gone=$(-not (Get-Process -Id $bgPid -ErrorAction Ignore))"
Import-Module $env:SMA_TEST_MODULE
$second = Start-SmaRunbook Fine -Wait -Timeout 120
"second=$($second.JobStatus) $($second.Worker)"; "pid=$PID"
'@
        Get-Line $lines gone | Should -Be 'True'
        $name = "$([Environment]::MachineName)-$(Get-Line $lines pid)-bg"
        Get-Line $lines first | Should -Be $name
        Get-Line $lines second | Should -Be "Completed $name`2"
    }

    It 'a second session on the same store gets its own background worker' {
        $flag = Join-Path $SmaTestFolder 'release-first'
        $log = Join-Path $SmaTestFolder 'first-session.log'
        $first = Start-ChildPwsh -LogPath $log -Script @"
Set-SmaSessionOption -Isolation Process
`$null = Start-SmaRunbook Fine -Wait -Timeout 120
"bg=`$((Get-SmaSessionOption).BackgroundWorker)"
while (-not (Test-Path '$flag')) { Start-Sleep -Milliseconds 100 }
"@
        try {
            Wait-Until { (Get-Content $log -ErrorAction Ignore) -match '^bg=' -or $first.HasExited } -TimeoutSeconds 120 -Because 'the first session to start its background worker'
            $firstBg = Get-Line (Get-Content $log) bg
            $lines = Invoke-ChildPwsh @'
Set-SmaSessionOption -Isolation Process
$job = Start-SmaRunbook Fine -Wait -Timeout 120
"bg=$((Get-SmaSessionOption).BackgroundWorker)"; "status=$($job.JobStatus)"; "pid=$PID"
"running=$((Get-SmaRunbookWorkerDeployment | Where-Object { $_.Name -like '*-bg' -and $_.Status -eq 'Running' }).Name -join ',')"
'@
            $secondBg = Get-Line $lines bg
            $secondBg | Should -Be "$([Environment]::MachineName)-$(Get-Line $lines pid)-bg"
            $secondBg | Should -Not -Be $firstBg
            (Get-Line $lines running) -split ',' | Should -Contain $firstBg
            (Get-Line $lines running) -split ',' | Should -Contain $secondBg
            Get-Line $lines status | Should -Be 'Completed'
        }
        finally {
            New-Item -ItemType File $flag -Force | Out-Null
            if (-not $first.WaitForExit(120000)) { $first.Kill() }
        }
    }

    It 'a background worker that cannot start is a clear error naming its log, and creates no job' {
        $copy = Join-Path $SmaTestFolder 'broken-module'
        Copy-Item (Split-Path $env:SMA_TEST_MODULE) $copy -Recurse
        $jobsBefore = @(Get-SmaJob -RunbookName Fine).Count
        $lines = Invoke-ChildPwsh -NoImport @"
Import-Module '$copy/Sma.psd1'
Set-Content '$copy/Sma.psd1' '@{ this is not a manifest'   # the module's files break after this session imported them
Set-SmaSessionOption -Isolation Process
try { Start-SmaRunbook Fine; 'started=yes' }
catch { "errorid=`$(`$_.FullyQualifiedErrorId)"; "category=`$(`$_.CategoryInfo.Category)"; "message=`$(`$_.Exception.Message -replace '\r?\n', ' | ')" }
"@
        Get-Line $lines errorid | Should -BeLike 'BackgroundWorkerFailed,*'
        Get-Line $lines category | Should -Be 'ResourceUnavailable'
        $message = Get-Line $lines message
        $message | Should -Match 'exited with code'
        $message | Should -Match "Its log is '([^']+\.log)'"
        $message -match "Its log is '([^']+\.log)'" | Out-Null
        $Matches[1] | Should -Exist
        Get-Content $Matches[1] -Raw | Should -Match 'Sma\.psd1' -Because 'the log holds the worker''s own error'
        $message | Should -Match 'Set-SmaSessionOption -Isolation Thread'
        @(Get-SmaJob -RunbookName Fine).Count | Should -Be $jobsBefore -Because 'no job was created'
    }
}
