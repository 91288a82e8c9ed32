# The samples run as they are: the CI script's exit code follows the job, and the sample
# Pester file passes against the built module.

BeforeAll {
    . $PSScriptRoot/TestHelpers.ps1
    Initialize-SmaTestStore
    $ci = (Resolve-Path (Join-Path $PSScriptRoot '../../samples/ci/Invoke-RunbookJob.ps1')).Path
    $runbooks = (Resolve-Path (Join-Path $PSScriptRoot '../../samples/runbooks')).Path
}

AfterAll {
    Remove-SmaTestStore
}

Describe 'samples/ci/Invoke-RunbookJob.ps1' {
    It 'exits 0 and prints the output when the job completes' {
        $lines = Invoke-ChildPwsh -NoImport "& '$ci' -Path '$runbooks/Hello.ps1' -Parameters @{ Name = 'CI' } -ModulePath '$env:SMA_TEST_MODULE'; exit `$LASTEXITCODE"
        ($lines -join "`n") | Should -Match 'ended Completed'
        ($lines -join "`n") | Should -Match 'Output\s+Hello, CI! \(1 of 1\)'
    }

    It 'exits non-zero when the job fails, and shows why' {
        $lines = Invoke-ChildPwsh -NoImport -AllowFailure "& '$ci' -Path '$runbooks/Fail.ps1' -ModulePath '$env:SMA_TEST_MODULE'; exit `$LASTEXITCODE"
        $LASTEXITCODE | Should -Be 1
        ($lines -join "`n") | Should -Match 'ended Failed'
        ($lines -join "`n") | Should -Match 'Cannot find path'
    }

    It 'replaces and republishes an existing runbook on the next run' {
        $copy = Join-Path $SmaTestFolder 'Hello.ps1'
        Set-Content $copy "param([string]`$Name) `"Hi, `$Name (v2)`""
        $lines = Invoke-ChildPwsh -NoImport "& '$ci' -Path '$copy' -Parameters @{ Name = 'again' } -ModulePath '$env:SMA_TEST_MODULE'; exit `$LASTEXITCODE"
        ($lines -join "`n") | Should -Match 'Hi, again \(v2\)'
    }
}

Describe 'samples/ci/Invoke-RunbookJob.ps1 examples' {
    It 'runs example <Number> as written, from bash' -ForEach @(
        @{ Number = 1; Expect = 'Hello, CI! \(2 of 2\)' }
        @{ Number = 2; Expect = 'Hello, JSON! \(1 of 1\)' }
    ) {
        # The example's command line, exactly as the script's help shows it, run by bash in the repository's root.
        $example = @(Get-Help $ci -Examples).examples.example[$Number - 1]
        $command = ($example.code -split "`n")[0].Trim()
        $command | Should -BeLike 'dotnet pwsh *'
        $root = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
        $lines = bash -c "cd '$root' && $command" 2>&1 | ForEach-Object { "$_" }
        $LASTEXITCODE | Should -Be 0 -Because ($lines -join "`n")
        ($lines -join "`n") | Should -Match 'ended Completed'
        ($lines -join "`n") | Should -Match "Output\s+$Expect"
    }
}

Describe 'samples/ci/Hello.Tests.ps1' {
    It 'passes when run with Pester against the built module' {
        $file = (Resolve-Path (Join-Path $PSScriptRoot '../../samples/ci/Hello.Tests.ps1')).Path
        $pester = Join-Path (Get-Module Pester).ModuleBase 'Pester.psd1'
        $lines = Invoke-ChildPwsh -NoImport @"
Import-Module '$pester'
`$result = Invoke-Pester -Path '$file' -PassThru -Output None
"passed=`$(`$result.PassedCount) failed=`$(`$result.FailedCount)"
"@
        @($lines)[-1] | Should -Be 'passed=3 failed=0' -Because ($lines -join "`n")
    }
}

Describe 'samples/runbooks/Greet-Team.ps1' {
    It 'calls the Hello runbook inline for each member' {
        # The CI sample above left its own Hello in the store: publish the sample's source as its new version.
        if ((Get-SmaRunbook).RunbookName -contains 'Hello') {
            Edit-SmaRunbook -Name Hello -Path "$runbooks/Hello.ps1" -Overwrite | Out-Null
            Publish-SmaRunbook -Name Hello | Out-Null
        }
        else {
            Import-SmaRunbook -Path "$runbooks/Hello.ps1" -Publish | Out-Null
        }
        Import-SmaRunbook -Path "$runbooks/Greet-Team.ps1" -Publish | Out-Null
        $job = Start-SmaRunbook Greet-Team -Parameters @{ Members = 'Linus', 'Margaret' } -Wait -Timeout 120
        $job.JobStatus | Should -Be 'Completed' -Because $job.JobException
        (Get-SmaJobOutput -Id $job -Stream Output).StreamText |
            Should -Be @('Hello, Linus! (1 of 1) (greeted by Greet-Team)', 'Hello, Margaret! (1 of 1) (greeted by Greet-Team)')
        (Get-SmaJob -Id $job | Get-SmaRunbookDefinition -Children).RunbookName | Should -Be 'Hello'
    }
}

Describe 'samples/schedules/Register-Schedules.ps1' {
    It 'deploys two schedules with a link each, and changes nothing when run again' {
        $file = (Resolve-Path (Join-Path $PSScriptRoot '../../samples/schedules/Register-Schedules.ps1')).Path
        # A store of its own: the CI tests above replaced this store's Hello with one that takes other parameters.
        $lines = Invoke-ChildPwsh -NoImport @"
`$env:SMA_STORE = '$SmaTestFolder/schedules-sample.db'
& '$file' -ModulePath '$env:SMA_TEST_MODULE' | Out-Null
`$first = Get-SmaScheduledRunbook -RunbookName Hello
& '$file' -ModulePath '$env:SMA_TEST_MODULE' | Out-Null
`$second = Get-SmaScheduledRunbook -RunbookName Hello
"schedules=`$((`$first.ScheduleName | Sort-Object) -join ',')"
"day=`$((`$first | Where-Object ScheduleName -EQ 'Hello weekdays').Parameters.Name)"
"same=`$((`$first.JobScheduleId -join ',') -eq (`$second.JobScheduleId -join ','))"
"count=`$(@(Get-SmaSchedule -Name 'Hello*').Count)"
"@
        $lines | Should -Contain 'schedules=Hello nightly,Hello weekdays'
        $lines | Should -Contain 'day=day shift'
        $lines | Should -Contain 'same=True'
        $lines | Should -Contain 'count=2'
    }
}
