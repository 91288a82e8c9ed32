# The module's own cmdlets inside jobs (DESIGN §11): runbooks call Start-SmaRunbook, Get-SmaJob, Get-SmaJobOutput, ...
# without Import-Module, with SMA's -WebServiceEndpoint/-Port/-Credential, on the store the job belongs to.

BeforeAll {
    . $PSScriptRoot/TestHelpers.ps1
    Initialize-SmaTestStore
    $script:processes = [Collections.Generic.List[object]]::new()
    function Get-Texts($Job, [string] $Stream = 'Output') { @(Get-SmaJobOutput -Id $Job -Stream $Stream).StreamText }
    # What SMA runbooks pass to every SMA cmdlet.
    $script:smaArgs = '-WebServiceEndpoint https://localhost -Port 9090 -Credential ([pscredential]::new(''sma'', (ConvertTo-SecureString ''x'' -AsPlainText -Force)))'
}

AfterAll {
    foreach ($p in $script:processes) { if (-not $p.HasExited) { Stop-Process -Id $p.Id -Force -ErrorAction Ignore } }
    Stop-TestJobs
    Remove-SmaTestStore
}

Describe 'SMA cmdlets inside a job' {
    It 'reads jobs and their output with Get-SmaJob and Get-SmaJobOutput' {
        New-TestRunbook -Name Speaks -Source "'hello'; 'world'" | Out-Null
        $spoken = Start-SmaRunbook Speaks -Wait -Timeout 120
        New-TestRunbook -Name Inspects -Source @"
param([string] `$JobId)
`$job = Get-SmaJob -Id `$JobId $smaArgs
"`$(`$job.RunbookName) is `$(`$job.JobStatus)"
(Get-SmaJobOutput -Id `$JobId -Stream Output $smaArgs).StreamText -join ' '
(Get-SmaJob -RunbookName Inspects -JobStatus Running).Count
"@ | Out-Null
        $job = Start-SmaRunbook Inspects -Parameters @{ JobId = "$spoken" } -Wait -Timeout 120
        $job.JobStatus | Should -Be 'Completed' -Because $job.JobException
        Get-Texts $job | Should -Be @('Speaks is Completed', 'hello world', '1')
    }

    It 'starts another runbook as a job that a worker runs' {
        New-TestRunbook -Name Target -Source "param([string] `$From) `"started by `$From`"" | Out-Null
        New-TestRunbook -Name Launcher -Source "`$j = Start-SmaRunbook -Name Target -Parameters @{ From = 'Launcher' } $smaArgs`n`$j.JobId" | Out-Null
        $job = Start-SmaRunbook Launcher -Wait -Timeout 120
        $job.JobStatus | Should -Be 'Completed' -Because $job.JobException
        $started = Get-Texts $job
        $started | Should -Match '^[0-9a-f-]{36}$'
        $target = Wait-SmaJob -Id $started -Timeout 120
        $target.RunbookName | Should -Be 'Target'
        $target.JobStatus | Should -Be 'Completed'
        Get-Texts $target | Should -Be 'started by Launcher'
    }

    It 'restarts itself once with Start-SmaRunbook -Name and its own name' {
        New-TestRunbook -Name Again -Source @"
param([int] `$Round = 1)
"round `$Round"
if (`$Round -lt 2) {
    `$next = Start-SmaRunbook -Name Again -Parameters @{ Round = `$Round + 1 } $smaArgs
    "started `$next"
}
"@ | Out-Null
        $first = Start-SmaRunbook Again -Wait -Timeout 120
        $first.JobStatus | Should -Be 'Completed' -Because $first.JobException
        $texts = Get-Texts $first
        $texts[0] | Should -Be 'round 1'
        $secondId = $texts[1] -replace '^started ', ''
        $second = Wait-SmaJob -Id $secondId -Timeout 120
        $second.JobStatus | Should -Be 'Completed'
        Get-Texts $second | Should -Be 'round 2'
        $second.JobParameters.Round | Should -Be 2
        # The second run started no third.
        @(Get-SmaJob -RunbookName Again).Count | Should -Be 2
    }

    It 'formats their objects and shows their help' {
        New-TestRunbook -Name Describes -Source @'
$table = Get-SmaRunbook -Name Describes | Format-Table RunbookName, RunbookType | Out-String
if ($table -notmatch 'Describes\s+Script') { throw "table: $table" }
$list = Get-SmaJob -RunbookName Describes | Format-List | Out-String
if ($list -notmatch 'RunbookName\s+: Describes') { throw "list: $list" }
$help = Get-Help Start-SmaRunbook
"help: $($help.Name)"
if ((Get-Help Get-SmaJob -Full | Out-String) -notmatch 'RunbookName') { throw 'no parameters in help' }
(Get-Command Get-SmaJobOutput).CommandType
'@ | Out-Null
        $job = Start-SmaRunbook Describes -Wait -Timeout 120
        $job.JobStatus | Should -Be 'Completed' -Because $job.JobException
        Get-Texts $job | Should -Be @('help: Start-SmaRunbook', 'Cmdlet')
    }

    It 'refuses a remote endpoint for a local-only cmdlet inside a job as outside' {
        New-TestRunbook -Name GoesRemote -Source "Test-SmaStore -WebServiceEndpoint https://sma.contoso.com -Port 9090" | Out-Null
        $job = Start-SmaRunbook GoesRemote -Wait -Timeout 120
        $job.ErrorCount | Should -Be 1
        Get-Texts $job Error | Should -BeLike "*no remote web service endpoint ('https://sma.contoso.com')*"
    }
}

Describe 'The store the cmdlets use inside a job' {
    It 'is the job''s store, also when the session used -StorePath and $env:SMA_STORE names another' {
        $other = Join-Path $SmaTestFolder 'other.db'
        $path = Join-Path $SmaTestFolder 'ListsRunbooks.ps1'
        Set-Content -Path $path -Value "(Get-SmaRunbook $smaArgs).RunbookName -join ','`n(Get-SmaAdminConfiguration).StorePath"
        Import-SmaRunbook -Path $path -Publish -StorePath $other | Out-Null
        Import-SmaRunbook -Path (Join-Path $SmaTestFolder 'ListsRunbooks.ps1') -Name OnlyInOther -StorePath $other | Out-Null
        $job = Start-SmaRunbook ListsRunbooks -StorePath $other -Wait -Timeout 120
        $job.JobStatus | Should -Be 'Completed' -Because $job.JobException
        Get-SmaJobOutput -Id $job -Stream Output -StorePath $other | ForEach-Object StreamText | Should -Be @('ListsRunbooks,OnlyInOther', $other)
        (Get-SmaRunbook).RunbookName | Should -Not -Contain 'OnlyInOther' -Because 'the default store has no such runbook'
    }

    It 'is reached by a dedicated worker''s jobs too' {
        $worker = Start-TestWorker -Name CmdletWorker
        $script:processes.Add($worker)
        New-TestRunbook -Name OnWorker -Source "`"pid=`$PID`"`n(Get-SmaRunbook -Name OnWorker $smaArgs).RunbookWorker`n(Start-SmaRunbook -Name Target -Parameters @{ From = 'OnWorker' } -Wait -Timeout 60).JobStatus" | Out-Null
        Set-SmaRunbookConfiguration -Name OnWorker -RunbookWorker CmdletWorker | Out-Null
        $job = Start-SmaRunbook OnWorker -Wait -Timeout 120
        $job.JobStatus | Should -Be 'Completed' -Because $job.JobException
        Get-Texts $job | Should -Be @("pid=$($worker.Id)", 'CmdletWorker', 'Completed')
        Stop-SmaWorker -Name CmdletWorker -Wait | Out-Null
    }
}
