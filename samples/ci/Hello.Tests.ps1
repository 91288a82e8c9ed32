<#
    Testing a runbook through the module with Pester, as a user would:
        Invoke-Pester samples/ci/Hello.Tests.ps1
    Each run uses its own store, so tests never see each other's jobs.
#>
BeforeAll {
    $module = if ($env:SMA_TEST_MODULE) { $env:SMA_TEST_MODULE } else { Join-Path $PSScriptRoot '../../out/Sma/Sma.psd1' }
    Import-Module $module
    $folder = Join-Path ([IO.Path]::GetTempPath()) ("hello-tests-" + [guid]::NewGuid().ToString('n'))
    New-Item -ItemType Directory $folder | Out-Null
    $env:SMA_STORE = Join-Path $folder 'sma.db'
    Import-SmaRunbook -Path (Join-Path $PSScriptRoot '../runbooks/Hello.ps1') -Publish | Out-Null
}

AfterAll {
    Remove-Item $folder -Recurse -Force -ErrorAction Ignore
}

Describe 'Hello' {
    It 'greets by name' {
        $job = Start-SmaRunbook -Name Hello -Parameters @{ Name = 'Pester' } -Wait
        $job.JobStatus | Should -Be Completed
        (Get-SmaJobOutput -Id $job -Stream Output).StreamText | Should -Be 'Hello, Pester! (1 of 1)'
    }

    It 'greets as many times as asked' {
        $job = Start-SmaRunbook -Name Hello -Parameters @{ Name = 'x'; Times = 3 } -Wait
        @(Get-SmaJobOutput -Id $job -Stream Output).Count | Should -Be 3
    }

    It 'needs a name' {
        $err = { Start-SmaRunbook -Name Hello -Parameters @{ Times = 2 } } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'MissingMandatoryParameter,*'
    }
}
