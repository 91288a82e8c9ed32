# The module's cmdlets as clients of a remote web service (DESIGN §5, §13): with -WebServiceEndpoint naming another
# machine, they work through that server's OData service and return the same objects as locally. The server runs in
# its own process on its own store; this session's local store stays empty, which shows nothing went to it.
# "Another machine" is this one reached through a non-loopback address (a loopback or this machine's name means the
# local store).

BeforeAll {
    . $PSScriptRoot/TestHelpers.ps1
    Initialize-SmaTestStore
    $serverStore = Join-Path $SmaTestFolder 'server.db'
    $password = ConvertTo-SecureString 'correct-horse-battery' -AsPlainText -Force
    New-SmaWebServiceAccount -StorePath $serverStore -Name admin -Role Administrator -Password $password | Out-Null
    New-SmaWebServiceAccount -StorePath $serverStore -Name viewer -Role Reader -Password $password | Out-Null
    $service = Start-SmaWebService -StorePath $serverStore -Port 0 -WithWorker -WorkerName remote-web -InformationAction SilentlyContinue

    $address = Get-NonLoopbackAddress
    # The server's self-signed certificate, pinned as its thumbprint (what Start-SmaWebService printed on the server).
    $env:SMA_WEBSERVICE_THUMBPRINT = $service.Thumbprint
    $remote = @{
        WebServiceEndpoint = "https://$address"; Port = $service.Port; AuthenticationType = 'Basic'
        Credential = [pscredential]::new('admin', $password)
    }
    $folder = New-Item -ItemType Directory (Join-Path $SmaTestFolder 'remote-runbooks')
    Set-Content (Join-Path $folder 'Greet-Remote.ps1') @'
param([Parameter(Mandatory)][string] $Name, [int] $Count = 1, [string[]] $Items, [hashtable] $Map)
"Hello $Name x$Count"
$Items -join '+'
"map=$($Map.a)"
"greeting=$(Get-AutomationVariable -Name Greeting)"
"user=$((Get-AutomationPSCredential -Name Svc).UserName)"
Write-Warning 'careful'
'@
    Set-Content (Join-Path $folder 'Tick-Remote.ps1') '$i = 0; while ($true) { $i++; "tick $i"; Checkpoint-Workflow; Start-Sleep -Milliseconds 100 }'
    function Get-RemoteStatus($Id) { (Get-SmaJob -Id $Id @remote).JobStatus }
}

AfterAll {
    Remove-Item Env:SMA_WEBSERVICE_THUMBPRINT -ErrorAction Ignore
    Stop-SmaWebService -StorePath $serverStore -ErrorAction Ignore
    Remove-SmaTestStore
}

Describe 'The cmdlets against a remote web service' {
    It 'imports and publishes a runbook on the server, not in the local store' {
        $imported = Import-SmaRunbook -Path (Join-Path $folder 'Greet-Remote.ps1') @remote
        $imported.RunbookName | Should -Be 'Greet-Remote'
        $imported.PublishedRunbookVersionID | Should -BeNullOrEmpty
        $imported.DraftRunbookVersionID | Should -Not -BeNullOrEmpty
        $published = Publish-SmaRunbook -Name Greet-Remote @remote
        $published.PublishedRunbookVersionID | Should -Not -BeNullOrEmpty
        (Get-SmaRunbook -Name 'Greet-*' @remote).RunbookName | Should -Be 'Greet-Remote'
        Import-SmaRunbook -Path (Join-Path $folder 'Tick-Remote.ps1') -Publish @remote | Out-Null

        @(Get-SmaRunbook).Count | Should -Be 0 -Because 'the local store was not used'
        (Get-SmaRunbook -StorePath $serverStore).RunbookName | Should -Contain 'Greet-Remote'
    }

    It 'sets and reads assets there; secrets never come back' {
        Set-SmaVariable -Name Greeting -Value 'Hi there' @remote
        (Get-SmaVariable -Name Greeting @remote).Value | Should -Be 'Hi there'
        $svc = [pscredential]::new('svc-user', (ConvertTo-SecureString 'p@ss-word-remote' -AsPlainText -Force))
        Set-SmaCredential -Name Svc -Value $svc @remote
        $read = Get-SmaCredential -Name Svc @remote
        $read.UserName | Should -Be 'svc-user'
        ($read | Out-String) + ($read | ConvertTo-Json) | Should -Not -BeLike '*p@ss-word-remote*'
        @(Get-SmaVariable).Count | Should -Be 0 -Because 'the local store was not used'
    }

    It 'starts a job with parameters, waits as SMA scripts do, and reads its output' {
        $job = Start-SmaRunbook -Name Greet-Remote -Parameters @{ Name = 'remote'; Count = 3; Items = @('a', 'b'); Map = @{ a = 'A' } } @remote
        "$job" | Should -Be $job.JobId.ToString() -Because 'a started job reads as its id, as SMA returned a Guid'
        Wait-Until { (Get-RemoteStatus $job) -notin 'New', 'Activating', 'Running' } -TimeoutSeconds 120 -Because 'the job ends'
        $done = Get-SmaJob -Id $job @remote
        $done.JobStatus | Should -Be 'Completed'
        $done.StartedBy | Should -Be 'admin'
        $done.Worker | Should -Be 'remote-web'
        $done.WarningCount | Should -Be 1
        $done.JobParameters['Name'] | Should -Be 'remote'
        $done.JobParameters['Count'] | Should -Be '3'

        $output = Get-SmaJobOutput -Id $job.JobId -Stream Output @remote
        $output.StreamText | Should -Be @('Hello remote x3', 'a+b', 'map=A', 'greeting=Hi there', 'user=svc-user')
        $output[0].Value | Should -Be 'Hello remote x3'
        (Get-SmaJobOutput -Id $job.JobId -Stream Warning @remote).StreamText | Should -Be 'careful'
        (Get-SmaJob -RunbookName 'Greet-*' @remote).JobId | Should -Contain $job.JobId
        @(Get-SmaJob -JobStatus Completed -First 1 @remote).Count | Should -Be 1
    }

    It 'starts and waits in one call with -Wait, and Wait-SmaJob waits too' {
        $job = Start-SmaRunbook -Name Greet-Remote -Parameters @{ Name = 'waiting' } -Wait -Timeout 120 @remote
        $job.JobStatus | Should -Be 'Completed'
        (Wait-SmaJob -Id $job.JobId -Timeout 60 @remote).JobStatus | Should -Be 'Completed'
    }

    It 'suspends, resumes and stops a job, each recorded with the account in the job''s history' {
        $job = Start-SmaRunbook -Name Tick-Remote @remote
        Wait-Until { (Get-RemoteStatus $job) -eq 'Running' } -TimeoutSeconds 120 -Because 'the job runs'
        (Suspend-SmaJob -Id $job.JobId -PassThru @remote).JobStatus | Should -BeIn 'Suspending', 'Suspended'
        Wait-Until { (Get-RemoteStatus $job) -eq 'Suspended' } -TimeoutSeconds 120 -Because 'the job suspends at its next checkpoint'
        Resume-SmaJob -Id $job.JobId @remote
        Wait-Until { (Get-RemoteStatus $job) -eq 'Running' } -TimeoutSeconds 120 -Because 'the job resumes'
        Stop-SmaJob -Id $job.JobId @remote
        Wait-Until { (Get-RemoteStatus $job) -eq 'Stopped' } -TimeoutSeconds 120 -Because 'the job stops'

        $details = (Get-SmaJobHistory -Id $job.JobId -StorePath $serverStore).Text
        ($details -like '*Suspend requested by admin*').Count | Should -Be 1
        ($details -like '*Resume requested by admin*').Count | Should -Be 1
        ($details -like '*Stop requested by admin*').Count | Should -Be 1
    }
}

Describe 'Errors through a remote web service are the local ones' {
    It 'a missing job or runbook is a non-terminating error with the local ErrorId' {
        $err = Get-NonTerminatingError { Get-SmaJob -Id '11111111-2222-3333-4444-555555555555' @remote }
        $err.FullyQualifiedErrorId | Should -BeLike 'JobNotFound,*'
        $err = Get-NonTerminatingError { Start-SmaRunbook -Name NoSuchRunbook @remote }
        $err.FullyQualifiedErrorId | Should -BeLike 'RunbookNotFound,*'
        $err.CategoryInfo.Category | Should -Be 'ObjectNotFound'
    }

    It 'a bad parameter is refused by the server as locally: no job' {
        $before = @(Get-SmaJob -StorePath $serverStore).Count
        $err = Get-TerminatingError { Start-SmaRunbook -Name Greet-Remote -Parameters @{ Name = 'x'; Colour = 'red' } @remote }
        $err.FullyQualifiedErrorId | Should -BeLike 'UnknownParameter,*'
        $err.CategoryInfo.Category | Should -Be 'InvalidArgument'
        @(Get-SmaJob -StorePath $serverStore).Count | Should -Be $before
    }

    It 'a credential parameter is refused before anything is sent: no job' {
        $before = @(Get-SmaJob -StorePath $serverStore).Count
        $secret = [pscredential]::new('u', (ConvertTo-SecureString 'never-sent-secret' -AsPlainText -Force))
        $err = Get-TerminatingError { Start-SmaRunbook -Name Greet-Remote -Parameters @{ Name = $secret } @remote }
        $err.FullyQualifiedErrorId | Should -BeLike 'RemoteSecretParameter,*'
        $err.Exception.Message | Should -BeLike "*'Name'*Set-SmaCredential*"
        @(Get-SmaJob -StorePath $serverStore).Count | Should -Be $before
    }

    It 'a reader cannot start a job' {
        $reader = $remote.Clone()
        $reader.Credential = [pscredential]::new('viewer', $password)
        $err = Get-TerminatingError { Start-SmaRunbook -Name Greet-Remote -Parameters @{ Name = 'x' } @reader }
        $err.FullyQualifiedErrorId | Should -BeLike 'AccessDenied,*'
        $err.Exception.Message | Should -BeLike '*Operator*'
    }

    It 'an untrusted certificate is refused before anything is sent, naming its thumbprint' {
        $env:SMA_WEBSERVICE_THUMBPRINT = '0000000000000000000000000000000000000000'
        try {
            $err = Get-TerminatingError { Get-SmaJob @remote }
        } finally {
            $env:SMA_WEBSERVICE_THUMBPRINT = $service.Thumbprint
        }
        $err.FullyQualifiedErrorId | Should -BeLike 'WebServiceCertificateNotTrusted,*'
        $err.Exception.Message | Should -BeLike "*$($service.Thumbprint)*SMA_WEBSERVICE_THUMBPRINT*"
    }
}
