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
