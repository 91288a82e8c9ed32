# PowerShell's conventions on the module's surface (DESIGN §6): per-item failures are non-terminating errors that
# honour -ErrorAction, names take arrays, runbook names may use any language's letters, Import-SmaRunbook -Force,
# whole job ids in the table view, a surface without test hooks, and SMA's status names for SMA scripts (§4.3).

BeforeAll {
    . $PSScriptRoot/TestHelpers.ps1
    Initialize-SmaTestStore
    $gate = Join-Path $SmaTestFolder 'gate'
    New-TestRunbook -Name Forever -Source "while (`$true) { Start-Sleep -Milliseconds 20 }" | Out-Null
    New-TestRunbook -Name Gated -Source "while (-not (Test-Path '$gate')) { Start-Sleep -Milliseconds 20 }; 'through'" | Out-Null
    New-TestRunbook -Name Quick -Source "'quick'" | Out-Null
    function Write-File([string] $Name, [string] $Text) { $p = Join-Path $SmaTestFolder $Name; Set-Content -Path $p -Value $Text; $p }
}

AfterAll {
    Stop-TestJobs
    Remove-SmaTestStore
}

Describe 'Per-item failures honour -ErrorAction' {
    It '<Command> of something missing with -ErrorAction SilentlyContinue returns nothing and no error reaches the caller' -ForEach @(
        @{ Command = 'Get-SmaRunbook -Name'; Call = { Get-SmaRunbook -Name NoSuchRunbook -ErrorAction SilentlyContinue } }
        @{ Command = 'Get-SmaRunbook -Id'; Call = { Get-SmaRunbook -Id ([guid]::NewGuid()) -ErrorAction SilentlyContinue } }
        @{ Command = 'Get-SmaJob -Id'; Call = { Get-SmaJob -Id ([guid]::NewGuid()) -ErrorAction SilentlyContinue } }
        @{ Command = 'Get-SmaJobOutput'; Call = { Get-SmaJobOutput -Id ([guid]::NewGuid()) -ErrorAction SilentlyContinue } }
        @{ Command = 'Get-SmaJobHistory'; Call = { Get-SmaJobHistory -Id ([guid]::NewGuid()) -ErrorAction SilentlyContinue } }
        @{ Command = 'Get-SmaRunbookDefinition'; Call = { Get-SmaRunbookDefinition -Name NoSuchRunbook -ErrorAction SilentlyContinue } }
        @{ Command = 'Get-SmaJobSummary'; Call = { Get-SmaJobSummary -RunbookName NoSuchRunbook -ErrorAction SilentlyContinue } }
        @{ Command = 'Start-SmaRunbook'; Call = { Start-SmaRunbook -Name NoSuchRunbook -ErrorAction SilentlyContinue } }
        @{ Command = 'Stop-SmaJob'; Call = { Stop-SmaJob -Id ([guid]::NewGuid()) -ErrorAction SilentlyContinue } }
        @{ Command = 'Wait-SmaJob'; Call = { Wait-SmaJob -Id ([guid]::NewGuid()) -ErrorAction SilentlyContinue } }
        @{ Command = 'Remove-SmaRunbook'; Call = { Remove-SmaRunbook -Name NoSuchRunbook -Confirm:$false -ErrorAction SilentlyContinue } }
        @{ Command = 'Publish-SmaRunbook'; Call = { Publish-SmaRunbook -Name NoSuchRunbook -ErrorAction SilentlyContinue } }
    ) {
        $ErrorActionPreference = 'Stop'   # a terminating error, or one -ErrorAction did not silence, would throw here
        $out = & $Call 2>&1
        $out | Should -BeNullOrEmpty
    }

    It 'goes on with the other names: one missing runbook is one error' {
        $err = Get-NonTerminatingError { Get-SmaRunbook -Name Quick, NoSuchRunbook, Gated | ForEach-Object { Write-Output $_.RunbookName } }
        @($err).Count | Should -Be 1
        $err[0].FullyQualifiedErrorId | Should -BeLike 'RunbookNotFound,*'
        $err[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $err[0].TargetObject | Should -Be 'NoSuchRunbook'
        (Get-SmaRunbook -Name Quick, NoSuchRunbook, Gated -ErrorAction SilentlyContinue).RunbookName | Should -Be @('Quick', 'Gated')
    }

    It 'Get-SmaJob -JobStatus Running | Stop-SmaJob stops every job still running when one ended in between, with one non-terminating error' {
        if (Test-Path $gate) { Remove-Item $gate }
        $spinners = 1..3 | ForEach-Object { Start-SmaRunbook Forever }
        $ending = Start-SmaRunbook Gated
        @($spinners) + $ending | ForEach-Object { Wait-TestJobStatus -Id $_ -Status Running } | Out-Null
        $ours = @($spinners.JobId) + $ending.JobId
        $errors = $null
        # The job ends after Get-SmaJob read it as Running and before Stop-SmaJob gets it.
        Get-SmaJob -JobStatus Running | Where-Object JobId -In $ours | ForEach-Object {
            if ($_.JobId -eq $ending.JobId) {
                Set-Content $gate 'go'
                Wait-SmaJob -Id $ending -Timeout 60 | Out-Null
            }
            $_
        } | Stop-SmaJob -ErrorVariable errors -ErrorAction SilentlyContinue
        Remove-Item $gate

        @($errors).Count | Should -Be 1
        $errors[0].FullyQualifiedErrorId | Should -Be 'InvalidJobStateTransition,Sma.Cmdlets.Commands.StopSmaJobCommand'
        $errors[0].CategoryInfo.Category | Should -Be 'InvalidOperation'
        $errors[0].TargetObject | Should -Be $ending.JobId
        (Get-SmaJob -Id $ending).Status | Should -Be 'Completed'
        ($spinners | Wait-SmaJob -Timeout 60).Status | Should -Be @('Stopped', 'Stopped', 'Stopped')
    }

    It '-ErrorAction Stop still makes <Command> a terminating error' -ForEach @(
        @{ Command = 'Get-SmaRunbook'; ErrorId = 'RunbookNotFound'; Call = { Get-SmaRunbook -Name NoSuchRunbook -ErrorAction Stop } }
        @{ Command = 'Get-SmaJob'; ErrorId = 'JobNotFound'; Call = { Get-SmaJob -Id ([guid]::NewGuid()) -ErrorAction Stop } }
        @{ Command = 'Stop-SmaJob'; ErrorId = 'InvalidJobStateTransition'; Call = { Start-SmaRunbook Quick -Wait | Stop-SmaJob -ErrorAction Stop } }
        @{ Command = 'Import-SmaRunbook'; ErrorId = 'RunbookAlreadyExists'; Call = { Import-SmaRunbook -Path (Write-File 'Quick.ps1' "'x'") -ErrorAction Stop } }
    ) {
        $err = Get-TerminatingError $Call
        $err | Should -Not -BeNullOrEmpty
        $err.FullyQualifiedErrorId | Should -BeLike "$ErrorId,*"
    }

    It 'keeps invalid parameter values terminating: <Case>' -ForEach @(
        @{ Case = 'a malformed job id'; ErrorId = 'InvalidJobId'; Call = { Stop-SmaJob -Id 'not-a-guid' -ErrorAction SilentlyContinue } }
        @{ Case = 'an invalid -Name'; ErrorId = 'InvalidRunbookName'; Call = { Import-SmaRunbook -Path (Write-File 'ok.ps1' "'x'") -Name 'two words' -ErrorAction SilentlyContinue } }
        @{ Case = 'a start with bad parameters'; ErrorId = 'UnknownParameter'; Call = { Start-SmaRunbook Quick -Parameters @{ Nope = 1 } -ErrorAction SilentlyContinue } }
    ) {
        (Get-TerminatingError $Call).FullyQualifiedErrorId | Should -BeLike "$ErrorId,*"
    }
}

Describe 'Names' {
    It 'Get-SmaJob -RunbookName takes several names and patterns, newest first, each job once' {
        $q = Start-SmaRunbook Quick -Wait
        $g = Start-SmaRunbook Quick -Wait
        $jobs = @(Get-SmaJob -RunbookName Quick, 'Qu*', Gated)
        ($jobs.JobId | Select-Object -Unique).Count | Should -Be $jobs.Count
        $jobs.JobId | Should -Contain $q.JobId
        @($jobs | Where-Object RunbookName -NotIn 'Quick', 'Gated').Count | Should -Be 0
        $times = $jobs.CreationTime
        $times | Should -Be ($times | Sort-Object -Descending)
        (Get-SmaJob -RunbookName Gated, Quick -First 1).JobId | Should -Be $g.JobId
    }

    It 'Publish-, Set-SmaRunbookConfiguration and Remove-SmaRunbook act on each name, reporting a missing one and going on' {
        foreach ($n in 'Multi-A', 'Multi-B') { New-TestRunbook -Name $n -Source "'$n'" -Draft | Out-Null }
        $err = Get-NonTerminatingError { Publish-SmaRunbook -Name Multi-A, Missing-X, Multi-B | Out-Null }
        @($err).Count | Should -Be 1
        (Get-SmaRunbook -Name Multi-A, Multi-B).PublishedRunbookVersionID | Should -Not -BeNullOrEmpty
        Set-SmaRunbookConfiguration -Name Multi-A, Multi-B -LogVerbose $true
        (Get-SmaRunbook -Name 'Multi-*').LogVerbose | Should -Be @($true, $true)
        Remove-SmaRunbook -Name Multi-A, Multi-B -Confirm:$false
        @(Get-SmaRunbook -Name 'Multi-*').Count | Should -Be 0
    }

    It 'accepts runbook names in any language''s letters and finds them in any case' {
        $file = Write-File 'Überprüfung.ps1' "'geprüft'"
        $runbook = Import-SmaRunbook -Path $file -Publish
        $runbook.RunbookName | Should -BeExactly 'Überprüfung'
        (Get-SmaRunbook -Name 'überPRÜFUNG').RunbookID | Should -Be $runbook.RunbookID
        (Start-SmaRunbook -Name 'Überprüfung' -Wait | Get-SmaJobOutput -Stream Output).StreamText | Should -Be 'geprüft'
        (Import-SmaRunbook -Path (Write-File 'x.ps1' "'x'") -Name 'Проверка_диска').RunbookName | Should -BeExactly 'Проверка_диска'
    }

    It 'still refuses <Name>' -ForEach @(@{ Name = "Bob's" }, @{ Name = 'two words' }, @{ Name = 'a/b' }, @{ Name = 'a\b' }, @{ Name = '"quoted"' }) {
        (Get-TerminatingError { Import-SmaRunbook -Path (Write-File 'y.ps1' "'y'") -Name $Name }).FullyQualifiedErrorId | Should -BeLike 'InvalidRunbookName,*'
    }
}

Describe 'Import-SmaRunbook -Force' {
    It 'replaces an existing runbook''s source as a new version, keeping its id and its jobs' {
        $v1 = Import-SmaRunbook -Path (Write-File 'Replaced.ps1' "'v1'") -Publish
        $old = Start-SmaRunbook Replaced -Wait
        $v2 = Import-SmaRunbook -Path (Write-File 'Replaced.ps1' "'v2'") -Force -Publish -Description 'second'
        $v2.RunbookID | Should -Be $v1.RunbookID
        $v2.PublishedRunbookVersionID | Should -Not -Be $v1.PublishedRunbookVersionID
        $v2.Description | Should -Be 'second'
        (Start-SmaRunbook Replaced -Wait | Get-SmaJobOutput -Stream Output).StreamText | Should -Be 'v2'
        (Get-SmaJob -Id $old).RunbookId | Should -Be $v1.RunbookID
        ($old | Get-SmaRunbookDefinition).Content.Trim() | Should -Be "'v1'"
        (Get-SmaRunbookDefinition -Name Replaced).RunbookVersion.VersionNumber | Should -Be 2
    }

    It 'without -Publish leaves the new source as the draft' {
        Import-SmaRunbook -Path (Write-File 'Drafted.ps1' "'one'") -Publish | Out-Null
        $runbook = Import-SmaRunbook -Path (Write-File 'Drafted.ps1' "'two'") -Force
        $runbook.DraftRunbookVersionID | Should -Not -BeNullOrEmpty
        (Start-SmaRunbook Drafted -Wait | Get-SmaJobOutput -Stream Output).StreamText | Should -Be 'one'
        (Get-SmaRunbookDefinition -Name Drafted -Type Draft).Content.Trim() | Should -Be "'two'"
    }

    It 'without -Force refuses the existing one and still imports the other files' {
        $folder = Join-Path $SmaTestFolder 'batch'
        New-Item -ItemType Directory $folder | Out-Null
        Set-Content (Join-Path $folder 'Quick.ps1') "'clash'"
        Set-Content (Join-Path $folder 'Batch-New.ps1') "'new'"
        $err = Get-NonTerminatingError { Import-SmaRunbook -Path (Join-Path $folder '*.ps1') | Out-Null }
        @($err).Count | Should -Be 1
        $err[0].FullyQualifiedErrorId | Should -BeLike 'RunbookAlreadyExists,*'
        $err[0].Exception.Message | Should -BeLike '*-Force*'
        Get-SmaRunbook -Name Batch-New | Should -Not -BeNullOrEmpty
    }
}

Describe 'The surface' {
    It 'shows whole job ids in the default job table, also 80 columns wide' {
        $job = Start-SmaRunbook Quick -Wait
        $text = Get-SmaJob -Id $job | Out-String -Width 80
        $text | Should -Match ([regex]::Escape($job.JobId.ToString()))
        $text | Should -Match 'Completed'
    }

    It 'keeps the seeding hook off the public surface' {
        # A fresh session with only Sma imported (other test files import the test-only seeding module here).
        $lines = Invoke-ChildPwsh @"
"exported=`$((Get-Module Sma).ExportedCommands.Keys -contains 'Add-SmaSeedJob')"
"command=`$(@(Get-Command Add-SmaSeedJob -ErrorAction Ignore).Count)"
"completed=`$(@((TabExpansion2 -inputScript 'Add-SmaSee' -cursorColumn 10).CompletionMatches).Count)"
"help=`$(@(Get-Help Add-SmaSeedJob -ErrorAction Ignore | Where-Object Name -EQ 'Add-SmaSeedJob').Count)"
"@
        $lines | Should -Contain 'exported=False'
        $lines | Should -Contain 'command=0'
        $lines | Should -Contain 'completed=0'
        $lines | Should -Contain 'help=0'
    }

    It 'shows -StorePath in help and completion' {
        $parameter = (Get-Command Get-SmaJob).Parameters['StorePath']
        @($parameter.Attributes | Where-Object { $_ -is [Parameter] -and $_.DontShow }).Count | Should -Be 0
        (TabExpansion2 -inputScript 'Get-SmaJob -Stor' -cursorColumn 16).CompletionMatches.CompletionText | Should -Contain '-StorePath'
        (Get-Help Get-SmaJob -Parameter StorePath).name | Should -Be 'StorePath'
        $other = Join-Path $SmaTestFolder 'other-store.db'
        @(Get-SmaRunbook -StorePath $other).Count | Should -Be 0
        Test-Path $other | Should -BeTrue
    }
}

Describe 'SMA''s status names' {
    It 'a client loop written the SMA way waits for a job queued behind another (throttle 1) and sees Completed' {
        # Its own store and session with one slot: Slow holds it until the gate opens, so Behind waits Queued.
        $store = Join-Path $SmaTestFolder 'sma-loop.db'
        $loopGate = Join-Path $SmaTestFolder 'loop-gate'
        $lines = Invoke-ChildPwsh @"
`$env:SMA_STORE = '$store'
`$env:SMA_THROTTLE_LIMIT = '1'
Set-Content '$SmaTestFolder/Slow.ps1' "while (-not (Test-Path '$loopGate')) { Start-Sleep -Milliseconds 20 }; 'slow'"
Set-Content '$SmaTestFolder/Behind.ps1' "'behind'"
Import-SmaRunbook '$SmaTestFolder/Slow.ps1' -Publish | Out-Null
Import-SmaRunbook '$SmaTestFolder/Behind.ps1' -Publish | Out-Null
`$slow = Start-SmaRunbook Slow
while ((Get-SmaJob -Id `$slow).Status -ne 'Running') { Start-Sleep -Milliseconds 20 }
`$id = Start-SmaRunbook Behind
`$queued = Get-SmaJob -Id `$id
"status=`$(`$queued.Status) jobstatus=`$(`$queued.JobStatus)"
"byNew=`$((Get-SmaJob -JobStatus New).JobId -contains `$queued.JobId) byQueued=`$((Get-SmaJob -JobStatus Queued).JobId -contains `$queued.JobId)"
"byActivatingOrRunning=`$((Get-SmaJob -JobStatus Activating, Running).JobId -join ',')"
"view=`$((`$queued | Out-String -Width 200) -match '\bQueued\b')"
`$seen = [Collections.Generic.List[string]]::new()
# As SMA's clients wait: New and Activating are SMA's web service's words for Queued and Starting.
while ((Get-SmaJob -Id `$id).JobStatus -in 'New','Activating','Running') {
    `$seen.Add((Get-SmaJob -Id `$id).JobStatus)
    if (-not (Test-Path '$loopGate')) { Set-Content '$loopGate' 'go' }   # the first job may end once the loop waits
    Start-Sleep -Milliseconds 50
}
"first=`$(`$seen[0])"
"final=`$((Get-SmaJob -Id `$id).JobStatus)"
"slowId=`$(`$slow.JobId)"
"@
        $lines | Should -Contain 'status=Queued jobstatus=New'
        $lines | Should -Contain 'byNew=True byQueued=True' -Because '-JobStatus takes both vocabularies'
        $slowId = ($lines | Where-Object { $_ -like 'slowId=*' }) -replace '^slowId='
        $lines | Should -Contain "byActivatingOrRunning=$slowId"
        $lines | Should -Contain 'view=True' -Because 'views show the portal''s words'
        $lines | Should -Contain 'first=New' -Because 'the loop saw the job waiting behind the first, and waited'
        $lines | Should -Contain 'final=Completed'
    }
}
