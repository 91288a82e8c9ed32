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
