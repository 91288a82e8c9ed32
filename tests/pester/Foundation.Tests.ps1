# The Foundation: import -> start -> Completed -> output in order; cross-process visibility; a real
# SQLite connection in a fresh pwsh; the documented SMA sample; foundation-level bad input.

BeforeAll {
    . $PSScriptRoot/TestHelpers.ps1
    Initialize-SmaTestStore
    $samples = Join-Path $PSScriptRoot '../../samples/runbooks'
}

AfterAll {
    Remove-SmaTestStore
}

Describe 'The module' {
    It 'exports the SMA cmdlets with their SMA names' {
        $names = (Get-Module Sma).ExportedCmdlets.Keys
        foreach ($name in 'Import-SmaRunbook', 'Publish-SmaRunbook', 'Get-SmaRunbook', 'Start-SmaRunbook', 'Get-SmaJob', 'Get-SmaJobOutput') {
            $names | Should -Contain $name
        }
    }

    It 'accepts the SMA parameter aliases' {
        (Get-Command Import-SmaRunbook).Parameters['Path'].Aliases | Should -Contain 'RunbookPath'
        (Get-Command Start-SmaRunbook).Parameters['Name'].Aliases | Should -Contain 'RunbookName'
        (Get-Command Get-SmaJob).Parameters['Id'].Aliases | Should -Contain 'JobId'
        (Get-Command Get-SmaJobOutput).Parameters['Stream'].Aliases | Should -Contain 'OutputType'
        foreach ($command in Get-Command -Module Sma) {
            foreach ($p in 'WebServiceEndpoint', 'Port', 'AuthenticationType', 'Credential') {
                $command.Parameters.Keys | Should -Contain $p -Because "$($command.Name) must bind SMA scripts"
            }
        }
    }
}

Describe 'A runbook job end to end' {
    BeforeAll {
        Import-SmaRunbook -Path (Join-Path $samples 'Hello.ps1') -Publish | Out-Null
    }

    It 'runs Hello with parameters to Completed' {
        $job = Start-SmaRunbook -Name Hello -Parameters @{ Name = 'World' } -Wait
        $job.Status | Should -Be 'Completed'
        $job.JobStatus | Should -Be 'Completed'
        $job.EndTime | Should -Not -BeNullOrEmpty
        $output = Get-SmaJobOutput -Id $job -Stream Output
        $output.StreamText | Should -Be 'Hello, World! (1 of 1)'
        $output.Value | Should -Be 'Hello, World! (1 of 1)'
        $output.StreamTime | Should -BeOfType [datetime]
        $output.StreamTime.Kind | Should -Be 'Utc'
    }

    It 'keeps output in the order it was written' {
        $job = Start-SmaRunbook -Name Hello -Parameters @{ Name = 'Order'; Times = 25 } -Wait
        $output = @(Get-SmaJobOutput -Id $job.JobId -Stream Output)
        $output.Count | Should -Be 25
        $output.StreamText | Should -Be (1..25 | ForEach-Object { "Hello, Order! ($_ of 25)" })
        $ids = $output.StreamRecordId
        $ids | Should -Be ($ids | Sort-Object)
    }

    It 'returns a job whose string form is its id, as SMA returned a Guid' {
        $id = Start-SmaRunbook Hello -Parameters @{ Name = 'Id' }
        "$id" | Should -Match '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
        (Get-SmaJob -Id $id).JobId | Should -Be $id.JobId
        (Get-SmaJob -Id "$id").Id | Should -Be $id.Id
        $id | Get-SmaJob | Select-Object -ExpandProperty RunbookName | Should -Be 'Hello'
        Wait-TestJobStatus -Id $id -Status Completed | Out-Null
    }

    It 'runs the documented SMA sample unchanged (with Sort-Object for sort)' {
        $runbookName = 'Hello'
        Start-SmaRunbook -Name $runbookName -Parameters @{ Name = 'Sample'; Times = 2 } -Wait | Out-Null
        $job = (Get-SmaJob -RunbookName $runbookName | Sort-Object LastModifiedDate -desc)[0]
        $job.Status | Should -Be 'Completed'
        $job.JobParameters['Name'] | Should -Be 'Sample'
        $job.JobParameters.Keys | Should -Be @('Name', 'Times')
        (Get-SmaJobOutput -Id $job.Id -Stream Output).StreamText | Should -Contain 'Hello, Sample! (2 of 2)'
    }

    It 'shows jobs, runbooks and records through their table views' {
        $text = Get-SmaJob -RunbookName Hello | Out-String -Width 200
        $text | Should -Match 'JobId\s+RunbookName\s+Status\s+CreationTime\s+LastModifiedTime'
        Get-SmaRunbook Hello | Out-String -Width 200 | Should -Match 'RunbookName\s+Type\s+Published'
        $job = Get-SmaJob -RunbookName Hello -First 1
        Get-SmaJobOutput $job | Out-String -Width 200 | Should -Match 'StreamTime\s+Stream\s+StreamText'
    }
}

Describe 'The store across processes' {
    BeforeAll {
        $job = Start-SmaRunbook -Name Hello -Parameters @{ Name = 'Neighbour'; Times = 3 } -Wait
    }

    It 'lets a second pwsh process see the first one''s jobs and output' {
        $lines = Invoke-ChildPwsh @"
`$job = Get-SmaJob -Id '$($job.JobId)'
"status=`$(`$job.JobStatus)"
Get-SmaJobOutput -Id `$job -Stream Output | ForEach-Object { "out=`$(`$_.StreamText)" }
"@
        $lines | Should -Contain 'status=Completed'
        @($lines | Where-Object { $_ -like 'out=*' }) | Should -Be @(
            'out=Hello, Neighbour! (1 of 3)', 'out=Hello, Neighbour! (2 of 3)', 'out=Hello, Neighbour! (3 of 3)')
    }

    It 'lets a job started in another process be read here' {
        $lines = Invoke-ChildPwsh @"
`$job = Start-SmaRunbook -Name Hello -Parameters @{ Name = 'FromChild' } -Wait
"id=`$(`$job.JobId)"
"@
        $id = ($lines | Where-Object { $_ -like 'id=*' }) -replace '^id='
        $job = Get-SmaJob -Id $id
        $job.JobStatus | Should -Be 'Completed'
        (Get-SmaJobOutput -Id $id -Stream Output).StreamText | Should -Be 'Hello, FromChild! (1 of 1)'
    }

    It 'opens a real SQLite store in a fresh pwsh (native library found)' {
        $fresh = Join-Path $SmaTestFolder 'fresh.db'
        $lines = Invoke-ChildPwsh @"
`$env:SMA_STORE = '$fresh'
@(Get-SmaRunbook).Count
"@
        @($lines)[-1] | Should -Be '0'
        Test-Path $fresh | Should -BeTrue
        if (-not $IsWindows) {
            (Get-Item $fresh).UnixFileMode | Should -Be ([IO.UnixFileMode]'UserRead, UserWrite')
        }
    }
}

Describe 'Endpoints' {
    It 'treats <Endpoint> as the local store' -ForEach @(
        @{ Endpoint = 'https://localhost' }
        @{ Endpoint = 'http://127.0.0.1:9090' }
        @{ Endpoint = 'https://[::1]' }
        @{ Endpoint = "https://$([Environment]::MachineName):9090" }
        @{ Endpoint = 'localhost' }
    ) {
        @(Get-SmaRunbook -WebServiceEndpoint $Endpoint -Port 9090 -AuthenticationType Windows).RunbookName | Should -Contain 'Hello'
    }
}

Describe 'Bad input writes nothing and says what is wrong' {
    BeforeAll {
        New-TestRunbook -Name Unpublished -Source "'draft only'" -Draft | Out-Null
        Set-Content -Path (Join-Path $SmaTestFolder 'Broken.ps1') -Value "param(`$a)`n'ok'`nif (`$a -eq 1 {`n 'x'`n}"
    }

    It '<Case> fails with <ErrorId> (<Category>)' -ForEach @(
        @{ Case = 'an unknown runbook'; Terminating = $false; ErrorId = 'RunbookNotFound'; Category = 'ObjectNotFound'; Text = 'NoSuchRunbook'; Script = { Start-SmaRunbook -Name NoSuchRunbook } }
        @{ Case = 'an unpublished runbook'; ErrorId = 'RunbookNotPublished'; Category = 'InvalidOperation'; Text = 'Publish-SmaRunbook'; Script = { Start-SmaRunbook -Name Unpublished } }
        @{ Case = 'a syntax error at import'; Terminating = $false; ErrorId = 'RunbookSyntaxError'; Category = 'ParserError'; Text = 'Line 3, column'; Script = { Import-SmaRunbook -Path (Join-Path $SmaTestFolder 'Broken.ps1') } }
        @{ Case = 'a malformed job id'; ErrorId = 'InvalidJobId'; Category = 'InvalidArgument'; Text = 'not-a-guid'; Script = { Get-SmaJob -Id 'not-a-guid' } }
        @{ Case = 'a malformed job id for output'; ErrorId = 'InvalidJobId'; Category = 'InvalidArgument'; Text = '12345'; Script = { Get-SmaJobOutput -Id '12345' } }
        @{ Case = 'an unknown job id'; Terminating = $false; ErrorId = 'JobNotFound'; Category = 'ObjectNotFound'; Text = '0badc0de'; Script = { Get-SmaJob -Id '0badc0de-0000-0000-0000-000000000000' } }
        @{ Case = 'a remote endpoint for a cmdlet that acts on this machine'; ErrorId = 'RemoteEndpointNotSupported'; Category = 'InvalidArgument'; Text = 'run Test-SmaStore on the server'; Script = { Test-SmaStore -WebServiceEndpoint 'https://sma.contoso.com' -Port 9090 } }
        @{ Case = 'a missing runbook file'; Terminating = $false; ErrorId = 'RunbookFileNotFound'; Category = 'ObjectNotFound'; Text = 'nope.ps1'; Script = { Import-SmaRunbook -Path (Join-Path $SmaTestFolder 'nope.ps1') } }
        @{ Case = 'a duplicate runbook'; Terminating = $false; ErrorId = 'RunbookAlreadyExists'; Category = 'ResourceExists'; Text = 'Unpublished'; Script = { New-TestRunbook -Name Unpublished -Source "'again'" } }
    ) {
        $before = Get-StoreCounts
        $report = Get-ErrorReport $Script
        $report | Should -Not -BeNullOrEmpty -Because 'bad input is an error'
        $report.Terminating | Should -Be ($Terminating -ne $false) -Because 'per-item failures are non-terminating (DESIGN §6)'
        $err = $report.Error
        $err.FullyQualifiedErrorId | Should -BeLike "$ErrorId,*"
        $err.CategoryInfo.Category | Should -Be $Category
        $err.Exception.Message | Should -BeLike "*$Text*"
        $err.TargetObject | Should -Not -BeNullOrEmpty
        (Get-StoreCounts | ConvertTo-Json) | Should -Be ($before | ConvertTo-Json)
    }
}
