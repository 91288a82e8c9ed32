# The samples run as they are: the CI script's exit code follows the job, and the sample
# Pester file passes against the built module.

BeforeAll {
    . $PSScriptRoot/TestHelpers.ps1
    Initialize-SmaTestStore
    $ci = (Resolve-Path (Join-Path $PSScriptRoot '../../samples/ci/Invoke-RunbookJob.ps1')).Path
    $runbooks = (Resolve-Path (Join-Path $PSScriptRoot '../../samples/runbooks')).Path
    $modules = (Resolve-Path (Join-Path $PSScriptRoot '../../samples/modules')).Path
    $env:SMA_MODULES_FOLDER = Join-Path $SmaTestFolder 'modules'
}

AfterAll {
    Remove-Item Env:SMA_MODULES_FOLDER -ErrorAction Ignore
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

Describe 'samples/runbooks/Deploy-Site.ps1' {
    It 'runs as the README shows' {
        $runbook = Import-SmaRunbook -Path "$runbooks/Deploy-Site.ps1" -Publish
        $runbook.RunbookType | Should -Be 'Workflow'
        $job = Start-SmaRunbook Deploy-Site -Parameters @{ Servers = 'web1', 'web2', 'db1' } -Wait
        (Get-SmaJobOutput -Id $job -Stream Output).StreamText | Should -Be '3 servers: deployed to db1; deployed to web1; deployed to web2'
        (Get-SmaRunbookDefinition -Name Deploy-Site -Translated).Content | Should -Match ([regex]::Escape("Invoke-SmaWorkflowForEach (Get-Variable) 'server' (`$Servers) (4"))
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

Describe 'samples/runbooks/Send-Report.ps1 with samples/modules/ContosoTools' {
    It 'runs as the README sets it up' {
        Import-SmaModule -Path "$modules/ContosoTools" | Out-Null
        Set-SmaVariable -Name ReportRecipients -Value 'ops@contoso.com'
        Set-SmaVariable -Name ReportRuns -Value 0
        Set-SmaCredential -Name ReportAccount -Value ([pscredential]::new('contoso\reporter', (ConvertTo-SecureString 'Rep0rt-Pass' -AsPlainText -Force)))
        New-SmaConnection -Name ContosoProd -ConnectionTypeName ContosoApi -ConnectionFieldValues @{ Server = 'api.contoso.com'; ApiKey = 'k-42' } | Out-Null
        Import-SmaRunbook -Path "$runbooks/Send-Report.ps1" -Publish | Out-Null
        $job = Start-SmaRunbook -Name Send-Report -Wait
        $job.JobStatus | Should -Be 'Completed' -Because "$($job.StatusDetails) $($job.JobException)"
        (Get-SmaJobOutput -Id $job -Stream Output).StreamText | Should -Be @(
            'Posted to https://api.contoso.com:443/reports: Nightly report for ops@contoso.com, sent as contoso\reporter'
            'Run number 1')
        (Get-SmaVariable ReportRuns).Value | Should -Be 1
    }
}

Describe 'samples/runbooks/New-Vms.ps1' {
    It 'suspended and resumed mid-loop, creates each VM exactly once' {
        $vms = New-Item -ItemType Directory (Join-Path $SmaTestFolder 'vms') -Force
        Import-SmaRunbook -Path "$runbooks/New-Vms.ps1" -Publish | Out-Null
        $job = Start-SmaRunbook New-Vms -Parameters @{ Folder = $vms.FullName }
        Wait-Until { (Get-SmaJobOutput -Id $job -Stream Output).StreamText -contains 'created vm2' } -Because 'vm2'
        Suspend-SmaJob -Id $job
        (Wait-SmaJob -Id $job -Timeout 60).JobStatus | Should -Be 'Suspended'
        Resume-SmaJob -Id $job
        (Wait-SmaJob -Id $job -Timeout 60).JobStatus | Should -Be 'Completed'
        (Get-ChildItem $vms).Name | Sort-Object | Should -Be @('vm1', 'vm2', 'vm3', 'vm4', 'vm5')
        (Get-SmaJobOutput -Id $job -Stream Output).StreamText | Should -Be @(
            'created vm1', 'created vm2', 'created vm3', 'created vm4', 'created vm5', 'all 5 VMs created')
    }
}
