# The web service (DESIGN §13) as users run it: Start-SmaWebService starts the server as its own process, SMA's clients
# reach it over HTTPS with Basic authentication, Get-/Stop-SmaWebService find and stop it; accounts in the store.

BeforeAll {
    . $PSScriptRoot/TestHelpers.ps1
    Initialize-SmaTestStore
    $password = ConvertTo-SecureString 'correct-horse-battery' -AsPlainText -Force
    New-SmaWebServiceAccount -Name ops -Role Operator -Password $password | Out-Null
    New-SmaWebServiceAccount -Name viewer -Role Reader -Password $password | Out-Null
    $ops = [pscredential]::new('ops', $password)
    $viewer = [pscredential]::new('viewer', $password)
    New-TestRunbook -Name Greet -Source 'param([string] $Name = "world") "Hello $Name from $PID"' | Out-Null

    # SMA's clients: Invoke-RestMethod with Basic over HTTPS (the certificate is self-signed, its thumbprint checked below).
    function Invoke-Sma([string] $Path, [string] $Method = 'Get', $Body, [pscredential] $Credential = $ops, [switch] $Atom) {
        $accept = if ($Atom) { 'application/atom+xml' } else { 'application/json;odata=verbose' }
        $arguments = @{
            Uri = $script:service.Url + $Path; Method = $Method; Credential = $Credential; Authentication = 'Basic'
            SkipCertificateCheck = $true; Headers = @{ Accept = $accept }; ContentType = 'application/json'
        }
        if ($null -ne $Body) { $arguments.Body = $Body }
        Invoke-RestMethod @arguments
    }
    # The thumbprint of the certificate the server presents.
    function Get-PresentedThumbprint([int] $Port) {
        $tcp = [System.Net.Sockets.TcpClient]::new('127.0.0.1', $Port)
        try {
            $ssl = [System.Net.Security.SslStream]::new($tcp.GetStream(), $false, { $true })
            $ssl.AuthenticateAsClient('localhost')
            [System.Security.Cryptography.X509Certificates.X509Certificate2]::new($ssl.RemoteCertificate).Thumbprint
        } finally { $tcp.Dispose() }
    }
}

AfterAll {
    Stop-SmaWebService -ErrorAction Ignore
    Remove-SmaTestStore
}

Describe 'Start-SmaWebService' {
    BeforeAll {
        $script:service = Start-SmaWebService -Port 0 -WithWorker -WorkerName web1 -InformationVariable said -InformationAction SilentlyContinue
    }

    It 'starts the server as its own process, listening over HTTPS, and prints its self-signed certificate''s thumbprint' {
        $service.ProcessId | Should -Not -Be $PID
        (Get-Process -Id $service.ProcessId).HasExited | Should -BeFalse
        $service.Url | Should -BeLike 'https://*:*/00000000-0000-0000-0000-000000000000/'
        $service.SelfSigned | Should -BeTrue
        $service.Thumbprint | Should -Match '^[0-9A-F]{40}$'
        Get-PresentedThumbprint $service.Port | Should -Be $service.Thumbprint
        "$said" | Should -BeLike "*$($service.Thumbprint)*"
        $kept = if ($env:SMA_TEST_PG) { Get-ChildItem "$env:XDG_DATA_HOME/sma/*.webservice/certificate.pfx" } else { Get-Item "$env:SMA_STORE.webservice/certificate.pfx" }
        @($kept).Count | Should -Be 1
    }

    It 'is listed by Get-SmaWebService' {
        $listed = @(Get-SmaWebService)
        $listed.ProcessId | Should -Contain $service.ProcessId
        ($listed | Where-Object ProcessId -eq $service.ProcessId).Worker | Should -Be 'web1'
        (Get-SmaRunbookWorkerDeployment).Name | Should -Contain 'web1'
    }

    It 'serves SMA''s clients: a runbook started over HTTP runs in the server''s worker, recorded as started by the account' {
        $runbook = (Invoke-Sma "Runbooks?`$filter=RunbookName eq 'Greet'").d.results[0]
        $body = @{ parameters = @(@{ __metadata = @{ type = 'Orchestrator.ResourceModel.NameValuePair' }; Name = 'Name'; Value = 'web' }) } | ConvertTo-Json -Depth 5
        $jobId = (Invoke-Sma "Runbooks(guid'$($runbook.RunbookID)')/Start" -Method Post -Body $body).d.Start
        Wait-Until { (Invoke-Sma "Jobs(guid'$jobId')").d.JobStatus -eq 'Completed' } -Because 'the job completes'
        $job = Get-SmaJob -Id $jobId
        $job.StartedBy | Should -Be 'ops'
        $job.Worker | Should -Be 'web1'
        (Get-SmaJobOutput -Id $jobId -Stream Output).StreamText | Should -Be "Hello web from $($service.ProcessId)"
        $streams = Invoke-Sma "JobStreams/GetStreamItems?jobId='$jobId'&streamType='Output'" -Atom
        @($streams).Count | Should -BeGreaterThan 0
    }

    It 'refuses a reader''s start and a wrong password with OData errors, changing nothing' {
        $runbookId = (Get-SmaRunbook -Name Greet).RunbookID
        $before = @(Get-SmaJob).Count
        $denied = { Invoke-Sma "Runbooks(guid'$runbookId')/Start" -Method Post -Body '{"parameters":[]}' -Credential $viewer } | Should -Throw -PassThru
        $denied.Exception.Response.StatusCode.value__ | Should -Be 403
        ($denied.ErrorDetails.Message | ConvertFrom-Json).error.code | Should -Be 'AccessDenied'
        $wrong = [pscredential]::new('ops', (ConvertTo-SecureString 'not-the-password' -AsPlainText -Force))
        $refused = { Invoke-Sma 'Jobs' -Credential $wrong } | Should -Throw -PassThru
        $refused.Exception.Response.StatusCode.value__ | Should -Be 401
        @(Get-SmaJob).Count | Should -Be $before
    }

    It 'sees an account change at the next request' {
        Set-SmaWebServiceAccount -Name viewer -Enabled $false
        try {
            { Invoke-Sma 'Jobs' -Credential $viewer } | Should -Throw
        } finally {
            Set-SmaWebServiceAccount -Name viewer -Enabled $true
        }
        (Invoke-Sma 'Runbooks' -Credential $viewer).d.results.RunbookName | Should -Contain 'Greet'
    }
}

Describe 'Stop-SmaWebService' {
    It 'stops the server: its process ends, it is no longer listed, and a restart keeps the certificate' {
        $stopped = Stop-SmaWebService -ProcessId $service.ProcessId -PassThru
        $stopped.ProcessId | Should -Be $service.ProcessId
        Get-Process -Id $service.ProcessId -ErrorAction Ignore | Should -BeNullOrEmpty
        @(Get-SmaWebService).ProcessId | Should -Not -Contain $service.ProcessId

        $again = Start-SmaWebService -Port 0 -InformationAction SilentlyContinue
        try {
            $again.Thumbprint | Should -Be $service.Thumbprint
        } finally {
            Stop-SmaWebService
        }
        @(Get-SmaWebService).Count | Should -Be 0
    }
}

Describe 'A Ctrl+C in the shell that started the server' {
    # A terminal sends Ctrl+C as SIGINT to its whole foreground process group. Here the shell that starts the server
    # runs in a session and process group of its own (setsid), as a terminal's foreground job does.
    It 'stops the shell''s command but not the server, which has left that session' -Skip:(-not $IsLinux -or -not (Get-Command setsid -ErrorAction Ignore)) {
        $pidFile = Join-Path $TestDrive 'server.pid'
        $script = Join-Path $TestDrive 'shell.ps1'
        Set-Content $script @"
Import-Module '$env:SMA_TEST_MODULE'
(Start-SmaWebService -Port 0 -Http -InformationAction SilentlyContinue).ProcessId | Set-Content '$pidFile'
Start-Sleep -Seconds 300
"@
        # A shell in a terminal takes Ctrl+C; one started from a background job inherits SIGINT ignored (as a CI runner
        # may start the tests), and would never stop: env gives it the default handling a terminal's shell has.
        $pwsh = @((Get-Command env).Source, '--default-signal=INT') + @(Get-PwshCommand)
        $shell = Start-Process -FilePath (Get-Command setsid).Source -ArgumentList ($pwsh + @('-NoProfile', '-NonInteractive', '-File', $script)) `
            -PassThru -RedirectStandardOutput (Join-Path $TestDrive 'shell.log') -RedirectStandardError (Join-Path $TestDrive 'shell.err')
        $serverId = $null
        try {
            Wait-Until { (Test-Path $pidFile) -and "$(Get-Content $pidFile -ErrorAction Ignore)".Trim() } -TimeoutSeconds 90 -Because 'the shell to start the server'
            $serverId = [int]"$(Get-Content $pidFile)".Trim()
            (Get-Process -Id $serverId).HasExited | Should -BeFalse

            & kill -INT -- "-$($shell.Id)"   # the terminal's Ctrl+C: the shell's whole process group
            $shell.WaitForExit(60000) | Should -BeTrue -Because 'the Ctrl+C stops the shell''s Start-Sleep'

            Get-Process -Id $serverId -ErrorAction Ignore | Should -Not -BeNullOrEmpty
            @(Get-SmaWebService).ProcessId | Should -Contain $serverId
        }
        finally {
            if (-not $shell.HasExited) { Stop-Process -Id $shell.Id -Force -ErrorAction Ignore }
            if ($serverId) { Stop-SmaWebService -ProcessId $serverId -ErrorAction Ignore }
        }
    }
}
