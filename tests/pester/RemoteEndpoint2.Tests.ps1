# More of the module's cmdlets as clients of a remote web service (DESIGN §5, §13): Get-SmaJob with the jobs'
# parameters, Remove-SmaVariable and Remove-SmaCredential, and the read cmdlets of the other assets and the catalog
# (schedules, certificates, connections, modules, runbook definitions). Each returns what the same cmdlet returns on
# the server's store (read there with -StorePath) and fails with the same errors. The server runs in its own process;
# "another machine" is this one reached through a non-loopback address; this session's own store stays empty.

BeforeAll {
    . $PSScriptRoot/TestHelpers.ps1
    Initialize-SmaTestStore
    $test = Start-RemoteTestService server2 -WorkerName remote2-web -OtherAccount op -OtherRole Operator
    $serverStore, $password, $service, $address = $test.StorePath, $test.Password, $test.Service, $test.Address
    $remote, $operator, $server = $test.Remote, $test.Other, $test.Server

    $folder = New-Item -ItemType Directory (Join-Path $SmaTestFolder 'remote2-runbooks')
    Set-Content (Join-Path $folder 'Echo-Remote.ps1') 'param([string] $Name, [int] $Count = 1) "$Name x$Count"'
    Set-Content (Join-Path $folder 'Draft-Remote.ps1') "'only a draft'"
}

AfterAll {
    Remove-Item Env:SMA_WEBSERVICE_THUMBPRINT -ErrorAction Ignore
    Stop-SmaWebService -StorePath $serverStore -ErrorAction Ignore
    Remove-SmaTestStore
}

Describe 'Get-SmaJob through a web service' {
    It 'lists the jobs with their parameters, as on the server' {
        Import-SmaRunbook -Path (Join-Path $folder 'Echo-Remote.ps1') -Publish @remote | Out-Null
        $ids = 1..3 | ForEach-Object { (Start-SmaRunbook -Name Echo-Remote -Parameters @{ Name = "n$_"; Count = $_ } @remote).JobId }
        Wait-Until { @(Get-SmaJob -RunbookName Echo-Remote -JobStatus Completed @remote).Count -eq 3 } -TimeoutSeconds 120 -Because 'the jobs end'

        $listed = Get-SmaJob -RunbookName Echo-Remote @remote
        @($listed.JobId) | Should -Be @(Get-SmaJob -RunbookName Echo-Remote @server).JobId
        foreach ($job in $listed) {
            $n = [array]::IndexOf($ids, $job.JobId) + 1
            $job.JobParameters['Name'] | Should -Be "n$n"
            $job.JobParameters['Count'] | Should -Be "$n" -Because 'the service carries parameter values as text'
        }
        (Get-SmaJob -Id $ids[0] @remote).JobParameters['Name'] | Should -Be 'n1'
        @(Get-SmaJob).Count | Should -Be 0 -Because 'the local store was not used'
    }
}

Describe 'Removing variables and credentials through a web service' {
    It 'removes variables by name, piped from Get-SmaVariable too; -WhatIf removes nothing' {
        'Tmp-A', 'Tmp-B', 'Tmp-C', 'Keep' | ForEach-Object { Set-SmaVariable -Name $_ -Value $_ @remote }
        Remove-SmaVariable -Name Tmp-A -WhatIf @remote
        (Get-SmaVariable @server).Name | Should -Contain 'Tmp-A'

        Remove-SmaVariable -Name tmp-a -Confirm:$false @remote
        Get-SmaVariable -Name 'Tmp-*' @remote | Remove-SmaVariable -Confirm:$false @remote
        (Get-SmaVariable @server).Name | Should -Be @('Keep')
    }

    It 'a missing variable is a non-terminating VariableNotFound, and the other names are still removed' {
        Set-SmaVariable -Name Gone-Soon -Value 1 @remote
        $err = Get-NonTerminatingError { Remove-SmaVariable -Name No-Such-Variable, Gone-Soon -Confirm:$false @remote }
        $err.FullyQualifiedErrorId | Should -BeLike 'VariableNotFound,*'
        $err.CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $err.Exception.Message | Should -BeLike "*'No-Such-Variable'*"
        (Get-SmaVariable @server).Name | Should -Not -Contain 'Gone-Soon'
    }

    It 'an operator may not remove one (as it may not set one), and it stays' {
        $err = Get-TerminatingError { Remove-SmaVariable -Name Keep -Confirm:$false @operator }
        $err.FullyQualifiedErrorId | Should -BeLike 'AccessDenied,*'
        $err.Exception.Message | Should -BeLike '*Administrator*'
        (Get-SmaVariable @server).Name | Should -Contain 'Keep'
    }

    It 'removes credentials; a missing one is a non-terminating CredentialNotFound' {
        $svc = [pscredential]::new('svc', (ConvertTo-SecureString 'Remote-Pa55word!' -AsPlainText -Force))
        Set-SmaCredential -Name Svc-Old -Value $svc @remote
        Set-SmaCredential -Name Svc-Keep -Value $svc @remote
        $err = Get-NonTerminatingError { Remove-SmaCredential -Name Svc-Old, Svc-Missing -Confirm:$false @remote }
        $err.FullyQualifiedErrorId | Should -BeLike 'CredentialNotFound,*'
        $err.Exception.Message | Should -BeLike "*'Svc-Missing'*"
        (Get-SmaCredential @server).Name | Should -Be @('Svc-Keep')
        @(Get-SmaCredential).Count | Should -Be 0 -Because 'the local store was not used'
    }
}

Describe 'Reading schedules, certificates, connections and modules through a web service' {
    BeforeAll {
        Set-SmaSchedule -Name 'Deploy window' -ScheduleType OneTimeSchedule -StartTime (Get-Date).AddDays(2) -Description once @server | Out-Null
        Set-SmaSchedule -Name Weekly -StartTime '2031-01-06 08:30' -WeekInterval 2 -DaysOfWeek Friday, Monday -TimeZone UTC @server | Out-Null
        Set-SmaSchedule -Name Weekdays -Cron '0 9 * * MON-FRI' -TimeZone UTC -ExpiryTime '2099-01-01' @server | Out-Null

        $rsa = [Security.Cryptography.RSA]::Create(2048)
        $request = [Security.Cryptography.X509Certificates.CertificateRequest]::new(
            'CN=Sma Remote Test', $rsa, [Security.Cryptography.HashAlgorithmName]::SHA256, [Security.Cryptography.RSASignaturePadding]::Pkcs1)
        $certificate = $request.CreateSelfSigned([DateTimeOffset]::UtcNow.AddDays(-1), [DateTimeOffset]::UtcNow.AddDays(90))
        $pfx = Join-Path $SmaTestFolder 'remote-signing.pfx'
        $pfxPassword = 'Pfx-Pa55word!remote'
        [IO.File]::WriteAllBytes($pfx, $certificate.Export('Pkcs12', $pfxPassword))
        Set-SmaCertificate -Name Signing -Path $pfx -Password (ConvertTo-SecureString $pfxPassword -AsPlainText -Force) -Description signs @server

        $module = New-Item -ItemType Directory (Join-Path $SmaTestFolder 'mods/ContosoRemote')
        Set-Content (Join-Path $module 'ContosoRemote.psm1') 'function Get-ContosoRemote { "contoso" }'
        Set-Content (Join-Path $module 'ContosoRemote.psd1') "@{ RootModule = 'ContosoRemote.psm1'; ModuleVersion = '2.1.0'; GUID = '$([guid]::NewGuid())'; Description = 'Remote test module'; FunctionsToExport = @('Get-ContosoRemote') }"
        Set-Content (Join-Path $module 'ContosoRemote-Automation.json') @'
{ "ConnectionTypeName": "ContosoRemoteApi", "IntegrationModuleName": "ContosoRemote",
  "ConnectionFields": [
    { "IsEncrypted": false, "IsOptional": false, "Name": "Server", "TypeName": "System.String" },
    { "IsEncrypted": true, "IsOptional": false, "Name": "ApiKey", "TypeName": "System.String" },
    { "IsEncrypted": false, "IsOptional": true, "Name": "Since", "TypeName": "System.DateTime" },
    { "IsEncrypted": false, "IsOptional": true, "Name": "Secure", "TypeName": "System.Boolean" } ] }
'@
        Import-SmaModule -Path $module @server | Out-Null
        New-SmaConnection -Name Db -ConnectionTypeName Generic -ConnectionFieldValues @{ ComputerName = 'db01'; Port = 1433; Password = 'never-shown-db' } -Description 'the db' @server | Out-Null
        New-SmaConnection -Name Api -ConnectionTypeName ContosoRemoteApi -ConnectionFieldValues @{ Server = 'api'; ApiKey = 'never-shown-key'; Since = [datetime]::new(2030, 5, 1, 10, 0, 0, [DateTimeKind]::Utc); Secure = $true } @server | Out-Null
    }

    It 'Get-SmaSchedule: every schedule, by name in any case, by wildcard, as on the server' {
        $local = Get-SmaSchedule @server
        $listed = Get-SmaSchedule @remote
        @($listed.Name) | Should -Be @($local.Name)
        for ($i = 0; $i -lt $local.Count; $i++) { Assert-SameAsOnServer $listed[$i] $local[$i] }
        (Get-SmaSchedule -Name weekly @remote).DaysOfWeek | Should -Be @('Monday', 'Friday')
        (Get-SmaSchedule -Name 'Week*' @remote).Name | Should -Be @('Weekdays', 'Weekly')
        @(Get-SmaSchedule -Name 'Nothing*' @remote).Count | Should -Be 0
    }

    It 'Get-SmaCertificate: thumbprint, subject and expiry, never the key' {
        $shown = Get-SmaCertificate -Name signing @remote
        Assert-SameAsOnServer $shown (Get-SmaCertificate -Name Signing @server)
        $shown.HasPrivateKey | Should -BeTrue
        @(Get-SmaCertificate -Name 'Sign*' @remote).Count | Should -Be 1
    }

    It 'Get-SmaConnection: field values typed as on the server, encrypted ones masked, by name or by type' {
        foreach ($name in 'Db', 'Api') {
            Assert-SameAsOnServer (Get-SmaConnection -Name $name @remote) (Get-SmaConnection -Name $name @server)
        }
        $api = Get-SmaConnection -Name Api @remote
        $api.ConnectionFieldValues['Since'] | Should -BeOfType [datetime]
        $api.ConnectionFieldValues['Secure'] | Should -BeTrue
        $api.ConnectionFieldValues['ApiKey'] | Should -Be '********'
        (Get-SmaConnection -ConnectionTypeName 'contoso*' @remote).Name | Should -Be 'Api'
        $all = Get-SmaConnection @remote
        @($all.Name) | Should -Be @((Get-SmaConnection @server).Name)
        ($all | Out-String) + ($all | ConvertTo-Json -Depth 5) | Should -Not -Match 'never-shown'
    }

    It 'Get-SmaModule: by name, by id, with its connection types, as on the server' {
        $local = Get-SmaModule -Name ContosoRemote @server
        Assert-SameAsOnServer (Get-SmaModule -Name contosoremote @remote) $local
        Assert-SameAsOnServer (Get-SmaModule -Id $local.ModuleID @remote) $local
        (Get-SmaModule -Name 'Contoso*' @remote).ConnectionTypes | Should -Be @('ContosoRemoteApi')
    }

    It 'a name that is not there is the server''s own non-terminating not-found error, and the other names are still read' {
        $cases = @(
            @{ Script = { param($at) Get-SmaSchedule -Name Nope, Weekly @at }; ErrorId = 'ScheduleNotFound'; Found = 'Weekly' }
            @{ Script = { param($at) Get-SmaCertificate -Name Nope, Signing @at }; ErrorId = 'CertificateNotFound'; Found = 'Signing' }
            @{ Script = { param($at) Get-SmaConnection -Name Nope, Db @at }; ErrorId = 'ConnectionNotFound'; Found = 'Db' }
            @{ Script = { param($at) Get-SmaModule -Name Nope, ContosoRemote @at }; ErrorId = 'ModuleNotFound'; Found = 'ContosoRemote' }
            @{ Script = { param($at) Get-SmaModule -Id '0a0a0a0a-1111-2222-3333-444444444444' @at }; ErrorId = 'ModuleNotFound'; Found = '' }
        )
        foreach ($case in $cases) {
            $err = Get-NonTerminatingError { & $case.Script $remote }
            $onServer = Get-NonTerminatingError { & $case.Script $server }
            $err.FullyQualifiedErrorId | Should -BeLike "$($case.ErrorId),*"
            $err.FullyQualifiedErrorId | Should -Be $onServer.FullyQualifiedErrorId
            $err.CategoryInfo.Category | Should -Be 'ObjectNotFound'
            $err.Exception.Message | Should -Be $onServer.Exception.Message
            "$(& $case.Script ($remote + @{ ErrorAction = 'SilentlyContinue' }))" | Should -Be $case.Found
        }
    }
}

Describe 'Get-SmaRunbookDefinition through a web service' {
    BeforeAll {
        Import-SmaRunbook -Path (Join-Path $folder 'Draft-Remote.ps1') @remote | Out-Null
        if (-not (Get-SmaRunbook -Name Echo-Remote @remote -ErrorAction Ignore)) {
            Import-SmaRunbook -Path (Join-Path $folder 'Echo-Remote.ps1') -Publish @remote | Out-Null
        }
    }

    It 'returns the published source, or the draft with -Type Draft, as on the server' {
        $published = Get-SmaRunbookDefinition -Name Echo-Remote @remote
        $published.Content | Should -Be (Get-Content -Raw (Join-Path $folder 'Echo-Remote.ps1'))
        Assert-SameAsOnServer $published (Get-SmaRunbookDefinition -Name Echo-Remote @server)
        $draft = Get-SmaRunbookDefinition -Name Draft-Remote -Type Draft @remote
        Assert-SameAsOnServer $draft (Get-SmaRunbookDefinition -Name Draft-Remote -Type Draft @server)
        $draft.RunbookVersion.IsDraft | Should -BeTrue
        "$draft" | Should -Be (Get-Content -Raw (Join-Path $folder 'Draft-Remote.ps1'))
    }

    It 'returns the version a job ran when the job is piped in' {
        $job = Start-SmaRunbook -Name Echo-Remote -Parameters @{ Name = 'def' } @remote
        $definition = Get-SmaJob -Id $job.JobId @remote | Get-SmaRunbookDefinition @remote
        $definition.RunbookVersion.RunbookVersionID | Should -Be $job.RunbookVersionId
        $definition.RunbookName | Should -Be 'Echo-Remote'
        Assert-SameAsOnServer $definition (Get-SmaRunbookDefinition -VersionId $job.RunbookVersionId @server)
    }

    It 'fails as on the server: a missing runbook or version, a runbook without the version asked for' {
        $cases = @(
            @{ Script = { param($at) Get-SmaRunbookDefinition -Name No-Such-Runbook @at }; ErrorId = 'RunbookNotFound' }
            @{ Script = { param($at) Get-SmaRunbookDefinition -Name Draft-Remote @at }; ErrorId = 'RunbookNotPublished' }
            @{ Script = { param($at) Get-SmaRunbookDefinition -Name Echo-Remote -Type Draft @at }; ErrorId = 'RunbookHasNoDraft' }
            @{ Script = { param($at) Get-SmaRunbookDefinition -VersionId '0a0a0a0a-1111-2222-3333-444444444444' @at }; ErrorId = 'RunbookVersionNotFound' }
        )
        foreach ($case in $cases) {
            $err = Get-NonTerminatingError { & $case.Script $remote }
            $onServer = Get-NonTerminatingError { & $case.Script $server }
            $err.FullyQualifiedErrorId | Should -BeLike "$($case.ErrorId),*"
            $err.FullyQualifiedErrorId | Should -Be $onServer.FullyQualifiedErrorId
            $err.CategoryInfo.Category | Should -Be $onServer.CategoryInfo.Category
            $err.Exception.Message | Should -Be $onServer.Exception.Message
        }
    }
}

Describe 'Cmdlets that act on this machine' {
    It 'a cmdlet that acts on this machine by nature says so, and what to do instead' {
        foreach ($case in @(
                @{ Script = { Start-SmaWorker -Name Elsewhere @remote }; Text = '*Start-SmaWorker acts on a worker in this process*Start-SmaWebService -WithWorker*' }
                @{ Script = { Get-SmaSessionOption @remote }; Text = '*this PowerShell session*' }
                @{ Script = { Test-SmaStore @remote }; Text = '*run Test-SmaStore on the server*' }
                @{ Script = { Get-SmaWebServiceAccount @remote }; Text = '*sign-in accounts*run it on the server*' }
                @{ Script = { Get-SmaWebService @remote }; Text = '*web service processes of this machine*' })) {
            $err = Get-TerminatingError $case.Script
            $err.FullyQualifiedErrorId | Should -BeLike 'RemoteEndpointNotSupported,*'
            $err.CategoryInfo.Category | Should -Be 'InvalidArgument'
            $err.Exception.Message | Should -BeLike $case.Text
        }
    }
}
