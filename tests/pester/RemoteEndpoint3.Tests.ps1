# The module's cmdlets that change the catalog, through a remote web service (DESIGN §5, §13): Edit-SmaRunbook,
# Set-SmaRunbookConfiguration and Remove-SmaRunbook; connections, connection types, certificates, integration modules
# and schedules; a job's history and its removal, the admin configuration and the runbook workers. Each change lands in the server's store (read there with -StorePath) and not in this session's own,
# returns what the same cmdlet returns on the server's store, and fails with the local cmdlet's errors. A reader may
# read but not change. The server runs in its own process; "another machine" is this one through a non-loopback address.

BeforeAll {
    . $PSScriptRoot/TestHelpers.ps1
    Initialize-SmaTestStore
    $test = Start-RemoteTestService server3 -WorkerName remote3-web -OtherAccount viewer -OtherRole Reader
    $serverStore, $password, $service, $address = $test.StorePath, $test.Password, $test.Service, $test.Address
    $remote, $reader, $server = $test.Remote, $test.Other, $test.Server

    $folder = New-Item -ItemType Directory (Join-Path $SmaTestFolder 'remote3-runbooks')
    Set-Content (Join-Path $folder 'Edit-Remote.ps1') "'version one'"
    Set-Content (Join-Path $folder 'Edit-Remote-2.ps1') "'version two'"
    Set-Content (Join-Path $folder 'Edit-Remote-3.ps1') "'version three'"
    Set-Content (Join-Path $folder 'Broken.ps1') "'unclosed"
    Set-Content (Join-Path $folder 'Doomed-Remote.ps1') "'doomed'"
    Set-Content (Join-Path $folder 'Echo3-Remote.ps1') 'param([string] $Name) "hello $Name"; Write-Warning careful'
    Set-Content (Join-Path $folder 'Sleep3-Remote.ps1') 'Start-Sleep -Seconds 600'

    function Assert-LocalStoreUnused {
        @(Get-SmaRunbook).Count | Should -Be 0 -Because 'the local store was not used'
        @(Get-SmaConnection).Count | Should -Be 0 -Because 'the local store was not used'
        @(Get-SmaCertificate).Count | Should -Be 0 -Because 'the local store was not used'
        @(Get-SmaModule).Count | Should -Be 0 -Because 'the local store was not used'
        @(Get-SmaSchedule).Count | Should -Be 0 -Because 'the local store was not used'
    }
}

AfterAll {
    Remove-Item Env:SMA_WEBSERVICE_THUMBPRINT -ErrorAction Ignore
    Stop-SmaWebService -StorePath $serverStore -ErrorAction Ignore
    Remove-SmaTestStore
}

Describe 'Changing runbooks through a web service' {
    BeforeAll {
        Import-SmaRunbook -Path (Join-Path $folder 'Edit-Remote.ps1') -Publish @remote | Out-Null
    }

    It 'Edit-SmaRunbook gives the runbook a draft from the file, and refuses to replace it without -Overwrite' {
        $edited = Edit-SmaRunbook -Name Edit-Remote -Path (Join-Path $folder 'Edit-Remote-2.ps1') @remote
        Assert-SameAsOnServer $edited (Get-SmaRunbook -Name Edit-Remote @server)
        $edited.DraftRunbookVersionID | Should -Not -BeNullOrEmpty
        (Get-SmaRunbookDefinition -Name Edit-Remote -Type Draft @server).Content.Trim() | Should -Be "'version two'"
        (Get-SmaRunbookDefinition -Name Edit-Remote @server).Content.Trim() | Should -Be "'version one'" -Because 'the published version stays'

        $err = Get-NonTerminatingError { Edit-SmaRunbook -Name Edit-Remote -Path (Join-Path $folder 'Edit-Remote-3.ps1') @remote }
        $err.FullyQualifiedErrorId | Should -BeLike 'RunbookDraftExists,*'
        $err.CategoryInfo.Category | Should -Be 'ResourceExists'
        (Get-SmaRunbookDefinition -Name Edit-Remote -Type Draft @server).Content.Trim() | Should -Be "'version two'"

        $overwritten = Get-SmaRunbook -Name Edit-Remote @remote | Edit-SmaRunbook -Path (Join-Path $folder 'Edit-Remote-3.ps1') -Overwrite @remote
        Assert-SameAsOnServer $overwritten (Get-SmaRunbook -Name Edit-Remote @server)
        (Get-SmaRunbookDefinition -Name Edit-Remote -Type Draft @remote).Content.Trim() | Should -Be "'version three'"
        Assert-LocalStoreUnused
    }

    It 'Edit-SmaRunbook refuses a file with syntax errors before anything is sent' {
        $before = Get-SmaRunbook -Name Edit-Remote @server
        $err = Get-NonTerminatingError { Edit-SmaRunbook -Name Edit-Remote -Path (Join-Path $folder 'Broken.ps1') -Overwrite @remote }
        $err.FullyQualifiedErrorId | Should -BeLike 'RunbookSyntaxError,*'
        $after = Get-SmaRunbook -Name Edit-Remote @server
        $after.DraftRunbookVersionID | Should -Be $before.DraftRunbookVersionID
        $after.LastModifiedTime | Should -Be $before.LastModifiedTime
    }

    It 'Set-SmaRunbookConfiguration changes only the settings given, as locally' {
        $changed = Set-SmaRunbookConfiguration -Name Edit-Remote -LogVerbose $true -Description 'edited remotely' -Tags a, b -RunbookWorker w1 -PassThru @remote
        Assert-SameAsOnServer $changed (Get-SmaRunbook -Name Edit-Remote @server)
        $changed.LogVerbose | Should -BeTrue
        $changed.LogProgress | Should -BeFalse
        $changed.Tags | Should -Be 'a,b'
        $changed.RunbookWorker | Should -Be 'w1'

        Set-SmaRunbookConfiguration -Name Edit-Remote -RunbookWorker $null -RunbookType Workflow @remote | Should -BeNullOrEmpty
        $onServer = Get-SmaRunbook -Name Edit-Remote @server
        $onServer.RunbookWorker | Should -BeNullOrEmpty
        $onServer.RunbookType | Should -Be 'Workflow'
        $onServer.Description | Should -Be 'edited remotely' -Because 'what was not given keeps its value'
        $onServer.LogVerbose | Should -BeTrue
        Assert-LocalStoreUnused
    }

    It 'a reader may not change a runbook: AccessDenied, and nothing changes' {
        $before = Get-SmaRunbook -Name Edit-Remote @server
        $err = Get-TerminatingError { Set-SmaRunbookConfiguration -Name Edit-Remote -Description 'by a reader' @reader }
        $err.FullyQualifiedErrorId | Should -BeLike 'AccessDenied,*'
        $err.CategoryInfo.Category | Should -Be 'PermissionDenied'
        $err = Get-TerminatingError { Remove-SmaRunbook -Name Edit-Remote -Confirm:$false @reader }
        $err.FullyQualifiedErrorId | Should -BeLike 'AccessDenied,*'
        $err = Get-TerminatingError { Edit-SmaRunbook -Name Edit-Remote -Path (Join-Path $folder 'Edit-Remote-2.ps1') -Overwrite @reader }
        $err.FullyQualifiedErrorId | Should -BeLike 'AccessDenied,*'
        $after = Get-SmaRunbook -Name Edit-Remote @server
        $after.Description | Should -Be $before.Description
        $after.DraftRunbookVersionID | Should -Be $before.DraftRunbookVersionID
    }

    It 'Remove-SmaRunbook deletes it on the server; a missing one is RunbookNotFound and the others go on' {
        Import-SmaRunbook -Path (Join-Path $folder 'Doomed-Remote.ps1') @remote | Out-Null
        $err = Get-NonTerminatingError { Remove-SmaRunbook -Name No-Such-Runbook, Doomed-Remote -Confirm:$false @remote }
        $err.FullyQualifiedErrorId | Should -BeLike 'RunbookNotFound,*'
        $err.CategoryInfo.Category | Should -Be 'ObjectNotFound'
        (Get-SmaRunbook @server).RunbookName | Should -Not -Contain 'Doomed-Remote'
        (Get-SmaRunbook @server).RunbookName | Should -Contain 'Edit-Remote'
        Remove-SmaRunbook -Name Edit-Remote -WhatIf @remote
        (Get-SmaRunbook @server).RunbookName | Should -Contain 'Edit-Remote' -Because '-WhatIf changes nothing'
    }
}

Describe 'Integration modules, connections and certificates through a web service' {
    BeforeAll {
        $module = New-Item -ItemType Directory (Join-Path $SmaTestFolder 'mods3/ContosoWrite')
        Set-Content (Join-Path $module 'ContosoWrite.psm1') 'function Get-ContosoWrite { "contoso" }'
        Set-Content (Join-Path $module 'ContosoWrite.psd1') "@{ RootModule = 'ContosoWrite.psm1'; ModuleVersion = '1.4.0'; GUID = '$([guid]::NewGuid())'; Description = 'Remote write test'; FunctionsToExport = @('Get-ContosoWrite') }"
        Set-Content (Join-Path $module 'ContosoWrite-Automation.json') @'
{ "ConnectionTypeName": "ContosoWriteApi", "IntegrationModuleName": "ContosoWrite",
  "ConnectionFields": [
    { "IsEncrypted": false, "IsOptional": false, "Name": "Server", "TypeName": "System.String" },
    { "IsEncrypted": true, "IsOptional": false, "Name": "ApiKey", "TypeName": "System.String" },
    { "IsEncrypted": false, "IsOptional": true, "Name": "Since", "TypeName": "System.DateTime" },
    { "IsEncrypted": false, "IsOptional": true, "Name": "Secure", "TypeName": "System.Boolean" },
    { "IsEncrypted": false, "IsOptional": true, "Name": "Retries", "TypeName": "System.Int32" } ] }
'@
        $rsa = [Security.Cryptography.RSA]::Create(2048)
        $request = [Security.Cryptography.X509Certificates.CertificateRequest]::new(
            'CN=Sma Remote Write', $rsa, [Security.Cryptography.HashAlgorithmName]::SHA256, [Security.Cryptography.RSASignaturePadding]::Pkcs1)
        $certificate = $request.CreateSelfSigned([DateTimeOffset]::UtcNow.AddDays(-1), [DateTimeOffset]::UtcNow.AddDays(90))
        $pfx = Join-Path $SmaTestFolder 'remote-write.pfx'
        $pfxPassword = ConvertTo-SecureString 'Pfx-Pa55word!write' -AsPlainText -Force
        [IO.File]::WriteAllBytes($pfx, $certificate.Export('Pkcs12', 'Pfx-Pa55word!write'))
        $cer = Join-Path $SmaTestFolder 'remote-write.cer'
        [IO.File]::WriteAllBytes($cer, $certificate.Export('Cert'))
    }

    It 'Import-SmaModule uploads the module; the server has it, with its connection type' {
        $imported = Import-SmaModule -Path $module @remote
        Assert-SameAsOnServer $imported (Get-SmaModule -Name ContosoWrite @server)
        $imported.ModuleVersion | Should -Be '1.4.0'
        $imported.ConnectionTypes | Should -Be @('ContosoWriteApi')

        # The same module as a .zip is its next version.
        $zip = Join-Path $SmaTestFolder 'ContosoWrite.zip'
        Compress-Archive -Path $module -DestinationPath $zip
        $again = Import-SmaModule -Path $zip @remote
        $again.StoreVersion | Should -Be ($imported.StoreVersion + 1)
        Assert-SameAsOnServer $again (Get-SmaModule -Name ContosoWrite @server)
        Assert-LocalStoreUnused
    }

    It 'Get-SmaConnectionType and Get-SmaConnectionField list what the server has' {
        $types = Get-SmaConnectionType @remote
        @($types.Name) | Should -Be @((Get-SmaConnectionType @server).Name)
        foreach ($name in 'Generic', 'ContosoWriteApi') {
            $remoteType = Get-SmaConnectionType -Name $name.ToLowerInvariant() @remote
            $serverType = Get-SmaConnectionType -Name $name @server
            Assert-SameAsOnServer $remoteType $serverType -Except Fields
            $remoteFields = @(Get-SmaConnectionField -ConnectionTypeName $name @remote)
            $serverFields = @(Get-SmaConnectionField -ConnectionTypeName $name @server)
            $remoteFields.Count | Should -Be $serverFields.Count
            for ($i = 0; $i -lt $serverFields.Count; $i++) { Assert-SameAsOnServer $remoteFields[$i] $serverFields[$i] }
        }
        $err = Get-NonTerminatingError { Get-SmaConnectionField -ConnectionTypeName Nope @remote }
        $err.FullyQualifiedErrorId | Should -BeLike 'ConnectionTypeNotFound,*'
        $err.Exception.Message | Should -Be (Get-NonTerminatingError { Get-SmaConnectionField -ConnectionTypeName Nope @server }).Exception.Message
    }

    It 'New-SmaConnection and Set-SmaConnectionFieldValue store typed values, encrypted ones encrypted' {
        $since = [datetime]::new(2030, 5, 1, 10, 0, 0, [DateTimeKind]::Utc)
        $made = New-SmaConnection -Name Api -ConnectionTypeName ContosoWriteApi -ConnectionFieldValues @{
            Server = 'api01'; ApiKey = 'never-shown-key'; Since = $since; Secure = $false; Retries = 3 } -Description 'the api' @remote
        Assert-SameAsOnServer $made (Get-SmaConnection -Name Api @server)
        $made.ConnectionFieldValues['Secure'] | Should -BeFalse
        $made.ConnectionFieldValues['Retries'] | Should -Be 3
        $made.ConnectionFieldValues['ApiKey'] | Should -Be '********'

        $set = Set-SmaConnectionFieldValue -ConnectionName api -ConnectionFieldName Retries -Value 5 -PassThru @remote
        Assert-SameAsOnServer $set (Get-SmaConnection -Name Api @server)
        $set.ConnectionFieldValues['Retries'] | Should -Be 5
        Set-SmaConnectionFieldValue -ConnectionName Api -ConnectionFieldName Secure -Value $true @remote
        (Get-SmaConnection -Name Api @server).ConnectionFieldValues['Secure'] | Should -BeTrue
        Set-SmaConnectionFieldValue -ConnectionName Api -ConnectionFieldName Since -Value $null @remote
        (Get-SmaConnection -Name Api @server).ConnectionFieldValues['Since'] | Should -BeNullOrEmpty
        Set-SmaConnectionFieldValue -ConnectionName Api -ConnectionFieldName ApiKey -Value 'new-secret-key' @remote
        $json = Get-SmaConnection -Name Api @remote | ConvertTo-Json -Depth 5
        $json | Should -Not -Match 'never-shown-key|new-secret-key'
        Assert-LocalStoreUnused
    }

    It 'connection errors are the local ones, and nothing changes' {
        $cases = @(
            @{ Script = { param($at) New-SmaConnection -Name Api -ConnectionTypeName Generic -ConnectionFieldValues @{ ComputerName = 'x' } @at }; ErrorId = 'ConnectionAlreadyExists' }
            @{ Script = { param($at) New-SmaConnection -Name Other -ConnectionTypeName NoSuchType @at }; ErrorId = 'ConnectionTypeNotFound' }
            @{ Script = { param($at) New-SmaConnection -Name Other -ConnectionTypeName ContosoWriteApi -ConnectionFieldValues @{ Server = 's' } @at }; ErrorId = 'MissingConnectionField' }
            @{ Script = { param($at) New-SmaConnection -Name Other -ConnectionTypeName ContosoWriteApi -ConnectionFieldValues @{ Server = 's'; ApiKey = 'k'; Colour = 'red' } @at }; ErrorId = 'UnknownConnectionField' }
            @{ Script = { param($at) Set-SmaConnectionFieldValue -ConnectionName Api -ConnectionFieldName Retries -Value 'many' @at }; ErrorId = 'InvalidConnectionFieldValue' }
            @{ Script = { param($at) Set-SmaConnectionFieldValue -ConnectionName Api -ConnectionFieldName Colour -Value 'red' @at }; ErrorId = 'UnknownConnectionField' }
            @{ Script = { param($at) Set-SmaConnectionFieldValue -ConnectionName Api -ConnectionFieldName Server -Value $null @at }; ErrorId = 'MissingConnectionField' }
            @{ Script = { param($at) Set-SmaConnectionFieldValue -ConnectionName Nope -ConnectionFieldName Server -Value 'x' @at }; ErrorId = 'ConnectionNotFound' }
        )
        $before = Get-SmaConnection @server | ConvertTo-Json -Depth 5
        foreach ($case in $cases) {
            $err = Get-ErrorReport { & $case.Script $remote }
            $err.Error.FullyQualifiedErrorId | Should -BeLike "$($case.ErrorId),*"
        }
        Get-SmaConnection @server | ConvertTo-Json -Depth 5 | Should -Be $before
    }

    It 'a reader may not create a connection; Remove-SmaConnection removes it on the server' {
        $err = Get-TerminatingError { New-SmaConnection -Name ByReader -ConnectionTypeName Generic -ConnectionFieldValues @{ ComputerName = 'x' } @reader }
        $err.FullyQualifiedErrorId | Should -BeLike 'AccessDenied,*'
        (Get-SmaConnection @server).Name | Should -Not -Contain 'ByReader'

        $err = Get-NonTerminatingError { Remove-SmaConnection -Name Nope, Api -Confirm:$false @remote }
        $err.FullyQualifiedErrorId | Should -BeLike 'ConnectionNotFound,*'
        @(Get-SmaConnection @server).Count | Should -Be 0
    }

    It 'Set-SmaCertificate sends the file (a .pfx with its password, or a .cer); the key never comes back' {
        $set = Set-SmaCertificate -Name Signing -Path $pfx -Password $pfxPassword -Description signs -PassThru @remote
        Assert-SameAsOnServer $set (Get-SmaCertificate -Name Signing @server)
        $set.HasPrivateKey | Should -BeTrue
        $set.Thumbprint | Should -Be $certificate.Thumbprint

        $replaced = Set-SmaCertificate -Name signing -Path $cer -PassThru @remote
        Assert-SameAsOnServer $replaced (Get-SmaCertificate -Name Signing @server)
        $replaced.HasPrivateKey | Should -BeFalse
        $replaced.Description | Should -Be 'signs' -Because 'a description not given is kept'
        $replaced.CertificateID | Should -Be $set.CertificateID
        Assert-LocalStoreUnused
    }

    It 'a wrong password or a missing file is the local error, and nothing is sent' {
        $before = Get-SmaCertificate -Name Signing @server
        $wrong = ConvertTo-SecureString 'wrong' -AsPlainText -Force
        $err = Get-ErrorReport { Set-SmaCertificate -Name Signing -Path $pfx -Password $wrong @remote }
        $err.Error.FullyQualifiedErrorId | Should -BeLike 'CertificatePasswordInvalid,*'
        $err.Error.Exception.Message | Should -Be (Get-ErrorReport { Set-SmaCertificate -Name Signing -Path $pfx -Password $wrong @server }).Error.Exception.Message
        $err = Get-ErrorReport { Set-SmaCertificate -Name Signing -Path (Join-Path $SmaTestFolder 'none.pfx') @remote }
        $err.Error.FullyQualifiedErrorId | Should -BeLike 'CertificateFileNotFound,*'
        (Get-SmaCertificate -Name Signing @server).Thumbprint | Should -Be $before.Thumbprint
        (Get-SmaCertificate -Name Signing @server).LastModifiedTime | Should -Be $before.LastModifiedTime
    }

    It 'Remove-SmaCertificate and Remove-SmaModule delete on the server; a module whose type is in use stays' {
        $err = Get-NonTerminatingError { Remove-SmaCertificate -Name Nope, Signing -Confirm:$false @remote }
        $err.FullyQualifiedErrorId | Should -BeLike 'CertificateNotFound,*'
        @(Get-SmaCertificate @server).Count | Should -Be 0

        New-SmaConnection -Name InUse -ConnectionTypeName ContosoWriteApi -ConnectionFieldValues @{ Server = 's'; ApiKey = 'k' } @remote | Out-Null
        $err = Get-NonTerminatingError { Remove-SmaModule -Name ContosoWrite -Confirm:$false @remote }
        $err.FullyQualifiedErrorId | Should -BeLike 'ModuleConnectionTypeInUse,*'
        (Get-SmaModule @server).ModuleName | Should -Contain 'ContosoWrite'
        Remove-SmaConnection -Name InUse -Confirm:$false @remote
        Get-SmaModule -Name ContosoWrite @remote | Remove-SmaModule -Confirm:$false @remote
        @(Get-SmaModule @server).Count | Should -Be 0
        $err = Get-NonTerminatingError { Remove-SmaModule -Name ContosoWrite -Confirm:$false @remote }
        $err.FullyQualifiedErrorId | Should -BeLike 'ModuleNotFound,*'
        Assert-LocalStoreUnused
    }
}

Describe 'Schedules through a web service' {
    It 'Set-SmaSchedule creates a schedule from the caller''s description, as on the server' {
        $made = Set-SmaSchedule -Name Weekly -StartTime '2031-01-06 08:30' -WeekInterval 2 -DaysOfWeek Friday, Monday -TimeZone Europe/Berlin -Description 'every other week' @remote
        Assert-SameAsOnServer $made (Get-SmaSchedule -Name Weekly @server)
        $made.StartTime.ToUniversalTime() | Should -Be ([datetime]::new(2031, 1, 6, 7, 30, 0, [DateTimeKind]::Utc)) -Because 'a wall-clock time is read in the schedule''s zone'
        $made.DaysOfWeek | Should -Be @('Monday', 'Friday')

        $cron = Set-SmaSchedule -Name Weekdays -Cron '0 9 * * MON-FRI' -TimeZone UTC -ExpiryTime '2099-01-01' @remote
        Assert-SameAsOnServer $cron (Get-SmaSchedule -Name Weekdays @server)
        $once = Set-SmaSchedule -Name Once -ScheduleType OneTimeSchedule -StartTime (Get-Date).AddDays(2) @remote
        Assert-SameAsOnServer $once (Get-SmaSchedule -Name Once @server)
        $once.TimeZone | Should -Be (Get-SmaSchedule -Name Once @server).TimeZone
        Assert-LocalStoreUnused
    }

    It 'an existing schedule: the same definition again changes nothing, another one is refused, the description and enabled change' {
        $before = Get-SmaSchedule -Name Weekly @server
        $same = Set-SmaSchedule -Name Weekly -StartTime '2031-01-06 08:30' -WeekInterval 2 -DaysOfWeek Monday, Friday -TimeZone Europe/Berlin @remote
        Assert-SameAsOnServer $same $before
        (Get-SmaSchedule -Name Weekly @server).LastModifiedTime | Should -Be $before.LastModifiedTime

        $err = Get-TerminatingError { Set-SmaSchedule -Name Weekly -StartTime '2031-01-06 08:30' -WeekInterval 3 -TimeZone Europe/Berlin @remote }
        $err.FullyQualifiedErrorId | Should -BeLike 'ScheduleCannotChange,*'
        (Get-SmaSchedule -Name Weekly @server).Interval | Should -Be 2

        $changed = Set-SmaSchedule -Name weekly -Description 'changed remotely' -IsEnabled $false @remote
        Assert-SameAsOnServer $changed (Get-SmaSchedule -Name Weekly @server)
        $changed.Description | Should -Be 'changed remotely'
        $changed.IsEnabled | Should -BeFalse
        $err = Get-TerminatingError { Set-SmaSchedule -Name Weekly @remote }
        $err.FullyQualifiedErrorId | Should -BeLike 'NoScheduleChangeGiven,*'
    }

    It 'a bad schedule is the local error, and nothing is created' {
        $err = Get-TerminatingError { Set-SmaSchedule -Name Past -ScheduleType OneTimeSchedule -StartTime (Get-Date).AddDays(-1) @remote }
        $err.FullyQualifiedErrorId | Should -BeLike 'ScheduleStartInPast,*'
        $err = Get-TerminatingError { Set-SmaSchedule -Name BadCron -Cron 'not a cron' -TimeZone UTC @remote }
        $err.FullyQualifiedErrorId | Should -Be (Get-TerminatingError { Set-SmaSchedule -Name BadCron -Cron 'not a cron' -TimeZone UTC @server }).FullyQualifiedErrorId
        $err = Get-TerminatingError { Set-SmaSchedule -Name ByReader -Cron '0 9 * * *' -TimeZone UTC @reader }
        $err.FullyQualifiedErrorId | Should -BeLike 'AccessDenied,*'
        (Get-SmaSchedule @server).Name | Should -Not -Contain 'Past'
        (Get-SmaSchedule @server).Name | Should -Not -Contain 'BadCron'
        (Get-SmaSchedule @server).Name | Should -Not -Contain 'ByReader'
    }

    It 'Remove-SmaSchedule deletes on the server; a missing one is ScheduleNotFound and the others go on' {
        $err = Get-NonTerminatingError { Remove-SmaSchedule -Name Nope, Once -Confirm:$false @remote }
        $err.FullyQualifiedErrorId | Should -BeLike 'ScheduleNotFound,*'
        (Get-SmaSchedule @server).Name | Should -Not -Contain 'Once'
        Get-SmaSchedule -Name Week* @remote | Remove-SmaSchedule -Confirm:$false @remote
        @(Get-SmaSchedule @server).Count | Should -Be 0
        Assert-LocalStoreUnused
    }
}

Describe 'Jobs and administration through a web service' {
    BeforeAll {
        Import-SmaRunbook -Path (Join-Path $folder 'Echo3-Remote.ps1') -Publish @remote | Out-Null
        Import-SmaRunbook -Path (Join-Path $folder 'Sleep3-Remote.ps1') -Publish @remote | Out-Null
        $done = Start-SmaRunbook -Name Echo3-Remote -Parameters @{ Name = 'history' } -Wait -Timeout 120 @remote
    }

    It 'Get-SmaJobHistory: the job''s status changes and records in order, as on the server' {
        $done.JobStatus | Should -Be 'Completed'
        $history = @(Get-SmaJobHistory -Id $done.JobId @remote)
        $onServer = @(Get-SmaJobHistory -Id $done.JobId @server)
        $history.Count | Should -Be $onServer.Count
        $history.Count | Should -BeGreaterThan 3
        for ($i = 0; $i -lt $onServer.Count; $i++) { Assert-SameAsOnServer $history[$i] $onServer[$i] }
        @(Get-SmaJobHistory -Id $done.JobId -StatusOnly @remote).Status | Should -Be @(Get-SmaJobHistory -Id $done.JobId -StatusOnly @server).Status
        $err = Get-NonTerminatingError { Get-SmaJobHistory -Id '0a0a0a0a-1111-2222-3333-444444444444' @remote }
        $err.FullyQualifiedErrorId | Should -BeLike 'JobNotFound,*'
        $err.CategoryInfo.Category | Should -Be 'ObjectNotFound'
    }

    It 'Get-SmaJobSummary and Show-SmaDashboard count the server''s jobs, as on the server' {
        foreach ($range in @(@{}, @{ Hours = 3 }, @{ Days = 2 }, @{ RunbookName = 'Echo3-*' }, @{ RunbookName = 'Echo3-Remote'; Days = 1 })) {
            $rows = @(Get-SmaJobSummary @range @remote)
            $onServer = @(Get-SmaJobSummary @range @server)
            $rows.Count | Should -Be $onServer.Count
            for ($i = 0; $i -lt $onServer.Count; $i++) { Assert-SameAsOnServer $rows[$i] $onServer[$i] }
        }
        ((Get-SmaJobSummary -RunbookName Echo3-Remote @remote) | Measure-Object Completed -Sum).Sum | Should -BeGreaterThan 0
        Show-SmaDashboard -Hours 6 @remote | Should -Be (Show-SmaDashboard -Hours 6 @server)
        $err = Get-NonTerminatingError { Get-SmaJobSummary -RunbookName No-Such-Runbook @remote }
        $err.FullyQualifiedErrorId | Should -BeLike 'RunbookNotFound,*'
        $err.Exception.Message | Should -Be (Get-NonTerminatingError { Get-SmaJobSummary -RunbookName No-Such-Runbook @server }).Exception.Message
    }

    It 'Remove-SmaJob: a job still running is refused as locally; an ended one goes; a reader may not remove one' {
        $sleeper = Start-SmaRunbook -Name Sleep3-Remote @remote
        $err = Get-NonTerminatingError { Remove-SmaJob -Id $sleeper.JobId -Confirm:$false @remote }
        $err.FullyQualifiedErrorId | Should -BeLike 'JobNotFinished,*'
        $err.CategoryInfo.Category | Should -Be 'InvalidOperation'
        Stop-SmaJob -Id $sleeper.JobId @remote
        Wait-Until { (Get-SmaJob -Id $sleeper.JobId @remote).JobStatus -eq 'Stopped' } -TimeoutSeconds 120 -Because 'the job stops'

        $err = Get-TerminatingError { Remove-SmaJob -Id $done.JobId -Confirm:$false @reader }
        $err.FullyQualifiedErrorId | Should -BeLike 'AccessDenied,*'
        (Get-SmaJob @server).JobId | Should -Contain $done.JobId

        $err = Get-NonTerminatingError { Remove-SmaJob -Id '0a0a0a0a-1111-2222-3333-444444444444', $done.JobId -Confirm:$false @remote }
        $err.FullyQualifiedErrorId | Should -BeLike 'JobNotFound,*'
        (Get-SmaJob @server).JobId | Should -Not -Contain $done.JobId
        (Get-SmaJob @server).JobId | Should -Contain $sleeper.JobId

        Remove-SmaJob -OlderThan (Get-Date).AddMinutes(1) -Confirm:$false @remote
        @(Get-SmaJob @server).Count | Should -Be 0
        @(Get-SmaJob).Count | Should -Be 0 -Because 'the local store was not used'
    }

    It 'Get-/Set-SmaAdminConfiguration read and change the server''s settings; a reader may do neither' {
        Assert-SameAsOnServer (Get-SmaAdminConfiguration @remote) (Get-SmaAdminConfiguration @server)
        $set = Set-SmaAdminConfiguration -PurgeJobsOlderThanCountDays 7 -MaxJobRecords 5000 -PassThru @remote
        Assert-SameAsOnServer $set (Get-SmaAdminConfiguration @server)
        $set.PurgeJobsOlderThanCountDays | Should -Be 7
        $set.MaxJobRecords | Should -Be 5000
        (Get-SmaAdminConfiguration).PurgeJobsOlderThanCountDays | Should -Not -Be 7 -Because 'the local store was not used'

        $err = Get-TerminatingError { Set-SmaAdminConfiguration -PurgeJobsOlderThanCountDays 9 @reader }
        $err.FullyQualifiedErrorId | Should -BeLike 'AccessDenied,*'
        $err = Get-TerminatingError { Get-SmaAdminConfiguration @reader }
        $err.FullyQualifiedErrorId | Should -BeLike 'AccessDenied,*'
        $err = Get-TerminatingError { Set-SmaAdminConfiguration @remote }
        $err.FullyQualifiedErrorId | Should -BeLike 'NoAdminSettingGiven,*'
        (Get-SmaAdminConfiguration @server).PurgeJobsOlderThanCountDays | Should -Be 7
    }

    It 'Get-SmaRunbookWorkerDeployment lists the server''s workers and their heartbeats' {
        $workers = @(Get-SmaRunbookWorkerDeployment @remote)
        $onServer = @(Get-SmaRunbookWorkerDeployment @server)
        @($workers.Name) | Should -Be @($onServer.Name)
        $workers.Name | Should -Contain 'remote3-web'
        for ($i = 0; $i -lt $onServer.Count; $i++) {
            Assert-SameAsOnServer $workers[$i] $onServer[$i] -Except LastHeartbeat, Status, RunningJobs
        }
        $web = $workers | Where-Object Name -EQ 'remote3-web'
        $web.Status | Should -Be 'Running'
        $web.LastHeartbeat | Should -BeOfType [datetime]
        @(Get-SmaRunbookWorkerDeployment -Name 'remote3*' @reader).Name | Should -Be 'remote3-web'
        @(Get-SmaRunbookWorkerDeployment -Name 'nothing*' @remote).Count | Should -Be 0
    }
}

Describe 'Scheduled runbooks through a web service' {
    BeforeAll {
        Set-SmaSchedule -Name Nightly3 -Cron '0 2 * * *' -TimeZone UTC @remote | Out-Null
        Set-SmaSchedule -Name Hourly3 -StartTime '2031-01-01 00:00' -HourInterval 1 -TimeZone UTC @remote | Out-Null
    }

    It 'Register-SmaScheduledRunbook and Start-SmaRunbook -ScheduleName link on the server, as Get-SmaScheduledRunbook shows there' {
        $link = Register-SmaScheduledRunbook -Name Echo3-Remote -ScheduleName Nightly3 -Parameters @{ Name = 'nightly' } @remote
        Assert-SameAsOnServer $link (Get-SmaScheduledRunbook -RunbookName Echo3-Remote -ScheduleName Nightly3 @server)
        $link.Parameters['Name'] | Should -Be 'nightly'
        $link.NextRun | Should -Not -BeNullOrEmpty
        Start-SmaRunbook -Name Echo3-Remote -ScheduleName Hourly3 -Parameters @{ Name = 'hourly' } @remote | Out-Null

        $listed = @(Get-SmaScheduledRunbook @remote)
        $onServer = @(Get-SmaScheduledRunbook @server)
        @($listed.ScheduleName) | Should -Be @($onServer.ScheduleName)
        for ($i = 0; $i -lt $onServer.Count; $i++) { Assert-SameAsOnServer $listed[$i] $onServer[$i] }
        @(Get-SmaScheduledRunbook -ScheduleName 'Night*' @remote).ScheduleName | Should -Be 'Nightly3'
        @(Get-SmaJob @server).Count | Should -Be 0 -Because 'a link starts no job now'
    }

    It 'link errors are the local ones, and no link is made' {
        $before = @(Get-SmaScheduledRunbook @server).Count
        $cases = @(
            @{ Script = { Register-SmaScheduledRunbook -Name Echo3-Remote -ScheduleName NoSuchSchedule @remote }; ErrorId = 'ScheduleNotFound' }
            @{ Script = { Register-SmaScheduledRunbook -Name Echo3-Remote -ScheduleName Nightly3 @remote }; ErrorId = 'RunbookAlreadyScheduled' }
            @{ Script = { Register-SmaScheduledRunbook -Name Sleep3-Remote -ScheduleName Nightly3 -Parameters @{ Colour = 'red' } @remote }; ErrorId = 'UnknownParameter'; Text = '*No link was created*' }
            @{ Script = { Register-SmaScheduledRunbook -Name Sleep3-Remote -ScheduleName Nightly3 @reader }; ErrorId = 'AccessDenied' }
            @{ Script = { Get-SmaScheduledRunbook -RunbookName Sleep3-Remote -ScheduleName Nightly3 @remote }; ErrorId = 'ScheduledRunbookNotFound' }
            @{ Script = { Get-SmaScheduledRunbook -RunbookName NoSuchRunbook @remote }; ErrorId = 'RunbookNotFound' }
        )
        foreach ($case in $cases) {
            $report = Get-ErrorReport $case.Script
            $report.Error.FullyQualifiedErrorId | Should -BeLike "$($case.ErrorId),*"
            if ($case.Text) { $report.Error.Exception.Message | Should -BeLike $case.Text }
        }
        @(Get-SmaScheduledRunbook @server).Count | Should -Be $before
    }

    It 'Remove-SmaScheduledRunbook removes the link on the server; a missing one is ScheduledRunbookNotFound' {
        Remove-SmaScheduledRunbook -RunbookName echo3-remote -ScheduleName nightly3 -Confirm:$false @remote
        (Get-SmaScheduledRunbook @server).ScheduleName | Should -Not -Contain 'Nightly3'
        $err = Get-NonTerminatingError { Remove-SmaScheduledRunbook -RunbookName Echo3-Remote -ScheduleName Nightly3 -Confirm:$false @remote }
        $err.FullyQualifiedErrorId | Should -BeLike 'ScheduledRunbookNotFound,*'
        (Get-SmaScheduledRunbook @server).ScheduleName | Should -Contain 'Hourly3'
        @(Get-SmaSchedule).Count | Should -Be 0 -Because 'the local store was not used'
    }
}
