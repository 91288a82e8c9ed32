# The examples of Get-Help (src/Sma.Cmdlets/Help/Examples) are real: each parses, names only parameters its
# commands have, and runs without an error. Each cmdlet's examples run in order, in one child pwsh for all of them,
# against a copy of one fixture store holding the sample runbooks (published) and one ended job each of Hello,
# Write-Streams and Fail, in a folder with copies of the sample runbook files.

BeforeDiscovery {
    . $PSScriptRoot/HelpChecks.ps1
    $files = Get-SmaExampleFiles
}

BeforeAll {
    . $PSScriptRoot/TestHelpers.ps1
    . $PSScriptRoot/HelpChecks.ps1
    Initialize-SmaTestStore
    $samples = (Resolve-Path (Join-Path $PSScriptRoot '../../samples/runbooks')).Path
    $sampleModules = (Resolve-Path (Join-Path $PSScriptRoot '../../samples/modules')).Path

    # The module's commands, looked up once (Get-Command per call is slow): an alias stands for its cmdlet.
    $smaCommands = @{}
    foreach ($command in Get-Command -Module Sma -CommandType Cmdlet, Alias) {
        $smaCommands[$command.Name] = if ($command -is [System.Management.Automation.AliasInfo]) { $command.ResolvedCommand } else { $command }
    }

    # Examples that cannot run unattended, and why; they are still parsed and their parameters checked.
    $notRun = @{
        'Start-SmaWorker' = 'Start-SmaWorker blocks until the worker is stopped, and example 2 needs pwsh on the PATH'
    }
    # What some examples need besides the common fixture (run after it, in the cmdlet's own copy of the store).
    $schedules = @'
Set-SmaSchedule -Name 'Nightly' -ScheduleType DailySchedule -StartTime '2030-01-01 02:00' -TimeZone UTC | Out-Null
Set-SmaSchedule -Name 'Sunday night' -StartTime '2030-01-06 23:00' -WeekInterval 1 -DaysOfWeek Sunday -TimeZone UTC | Out-Null
Set-SmaSchedule -Name 'Weekday report' -Cron '0 9 * * MON-FRI' -TimeZone 'Europe/Berlin' | Out-Null
Start-SmaRunbook -Name Hello -ScheduleName 'Nightly' -Parameters @{ Name = 'night shift' } -WarningAction Ignore | Out-Null
Start-SmaRunbook -Name Hello -ScheduleName 'Weekday report' -Parameters @{ Name = 'day shift' } -WarningAction Ignore | Out-Null
'@
    # Set-ups made of parts: here-strings joined into lines.
    # The asset and web service examples read their secrets as a CI pipeline would, from environment variables (never
    # a prompt). The accounts' passwords have the 12 characters New-SmaWebServiceAccount asks for.
    $secrets = @'
$env:DEPLOY_PASSWORD = 'Example-Deploy-Pa55'
$env:WEBFARM_PASSWORD = 'Example-WebFarm-Pa55'
$env:CONTOSO_API_KEY = 'example-contoso-api-key'
$env:API_TOKEN = 'example-api-token'
$env:SIGNING_PFX_PASSWORD = 'Example-Pfx-Pa55'
$env:SMA_OPS_PASSWORD = 'Example-Ops-Pa55word'
$env:SVC_SMA_PASSWORD = 'Example-Svc-Pa55word'
$env:SMA_PFX_PASSWORD = 'Example-Tls-Pfx-Pa55'
'@
    # The sample module ContosoTools (connection type ContosoApi) copied into the folder, and imported.
    $contosoFolder = @'
Copy-Item -Path (Join-Path $sampleModules 'ContosoTools') -Destination . -Recurse
'@
    $contosoTools = ($contosoFolder, @'
Import-SmaModule -Path ./ContosoTools | Out-Null
'@) -join "`n"
    # WebFarm (Generic) and ContosoProd (ContosoApi, with the optional Port).
    $connections = ($secrets, $contosoTools, @'
New-SmaConnection -Name WebFarm -ConnectionTypeName Generic -ConnectionFieldValues @{
    ComputerName = 'web01.contoso.com'; Port = 5986; UserName = 'deploy'; Password = $env:WEBFARM_PASSWORD } | Out-Null
New-SmaConnection -Name ContosoProd -ConnectionTypeName ContosoApi -ConnectionFieldValues @{
    Server = 'api.contoso.com'; ApiKey = $env:CONTOSO_API_KEY; Port = 8443 } | Out-Null
'@) -join "`n"
    # Certificate files made here (self-signed, ECDSA: quick to make), so that no key material is shipped: a .pfx
    # protected by -Password ($env:SIGNING_PFX_PASSWORD unless given) or a .cer, valid for a year unless -NotAfter says
    # otherwise.
    $certificateMaker = @'
function New-ExampleCertificateFile([string] $Subject, [string] $Path, [DateTimeOffset] $NotAfter = [DateTimeOffset]::UtcNow.AddYears(1), [string] $Password = $env:SIGNING_PFX_PASSWORD) {
    $key = [System.Security.Cryptography.ECDsa]::Create([System.Security.Cryptography.ECCurve+NamedCurves]::nistP256)
    try {
        $request = [System.Security.Cryptography.X509Certificates.CertificateRequest]::new($Subject, $key, [System.Security.Cryptography.HashAlgorithmName]::SHA256)
        $certificate = $request.CreateSelfSigned($NotAfter.AddYears(-1), $NotAfter)
        $bytes = if ($Path -like '*.pfx') { $certificate.Export('Pfx', $Password) } else { $certificate.Export('Cert') }
        [System.IO.File]::WriteAllBytes((Join-Path $PWD $Path), $bytes)
        $certificate.Dispose()
    }
    finally { $key.Dispose() }
}
'@
    $certificateFiles = ($secrets, $certificateMaker, @'
New-ExampleCertificateFile -Subject 'CN=Contoso Code Signing' -Path signing.pfx
New-ExampleCertificateFile -Subject 'CN=Partner CA' -Path partner-ca.cer
'@) -join "`n"
    # In the store: SigningCert (with its private key), PartnerCA, one that expires within 30 days and one expired.
    $certificates = ($certificateFiles, @'
New-ExampleCertificateFile -Subject 'CN=Contoso Staging' -Path staging.cer -NotAfter ([DateTimeOffset]::UtcNow.AddDays(10))
New-ExampleCertificateFile -Subject 'CN=Contoso Old Partner' -Path old-partner.cer -NotAfter ([DateTimeOffset]::UtcNow.AddDays(-10))
$pfxPassword = ConvertTo-SecureString $env:SIGNING_PFX_PASSWORD -AsPlainText -Force
Set-SmaCertificate -Name SigningCert -Path ./signing.pfx -Password $pfxPassword | Out-Null
Set-SmaCertificate -Name PartnerCA -Path ./partner-ca.cer | Out-Null
Set-SmaCertificate -Name StagingTls -Path ./staging.cer | Out-Null
Set-SmaCertificate -Name OldPartnerCA -Path ./old-partner.cer | Out-Null
Remove-Variable pfxPassword
'@) -join "`n"
    $variables = @'
Set-SmaVariable -Name MaxServers -Value 5 -Description 'How many servers a run patches' | Out-Null
Set-SmaVariable -Name PatchWindow -Value @{ Start = '22:00'; Hours = 4 } | Out-Null
Set-SmaVariable -Name ReportRecipients -Value 'ops@contoso.com' | Out-Null
Set-SmaVariable -Name ReportRuns -Value 0 | Out-Null
Set-SmaVariable -Name TempBuildNumber -Value 42 | Out-Null
Set-SmaVariable -Name TempLastRun -Value ([DateTime]::UtcNow) | Out-Null
'@
    $credentials = ($secrets, @'
$password = ConvertTo-SecureString $env:DEPLOY_PASSWORD -AsPlainText -Force
Set-SmaCredential -Name DeployAccount -Value ([pscredential]::new('contoso\deploy', $password)) -Description 'Deploys the web farm' | Out-Null
Set-SmaCredential -Name OldBackupAccount -Value ([pscredential]::new('contoso\backup', $password)) | Out-Null
Set-SmaCredential -Name OldReportAccount -Value ([pscredential]::new('contoso\reporter', $password)) | Out-Null
Remove-Variable password
'@) -join "`n"
    # Remove-SmaModule: ContosoTools with a connection of its type, and a module without one, FabrikamTools.
    $modules = ($connections, @'
New-Item -ItemType Directory -Path ./FabrikamTools | Out-Null
Set-Content -Path ./FabrikamTools/FabrikamTools.psm1 -Value 'function Get-FabrikamStatus { "ok" }'
Import-SmaModule -Path ./FabrikamTools | Out-Null
'@) -join "`n"
    # The web service accounts: ops (Operator), admin (Administrator), the dashboard's CONTOSO\svc-sma (Reader) and a
    # disabled one, old-dashboard.
    $accounts = ($secrets, @'
$password = ConvertTo-SecureString $env:SMA_OPS_PASSWORD -AsPlainText -Force
New-SmaWebServiceAccount -Name ops -Role Operator -Password $password | Out-Null
New-SmaWebServiceAccount -Name admin -Role Administrator -Password $password -Description 'Runbook authors' | Out-Null
New-SmaWebServiceAccount -Name 'CONTOSO\svc-sma' -Role Reader -Password $password -Description 'Dashboard reader' | Out-Null
New-SmaWebServiceAccount -Name old-dashboard -Role Reader -Password $password | Out-Null
Set-SmaWebServiceAccount -Name old-dashboard -Enabled $false
Remove-Variable password
'@) -join "`n"
    # The web service examples start servers on free ports (-Port 0: no clash with another server on this machine);
    # every server still running after a cmdlet's examples is stopped before the next cmdlet's set-up.
    $webService = @'
Start-SmaWebService -Port 0 -InformationAction Ignore | Out-Null
'@
    $setup = @{
        'New-SmaWebServiceAccount'     = $secrets
        'Get-SmaWebServiceAccount'     = $accounts
        'Set-SmaWebServiceAccount'     = $accounts
        'Remove-SmaWebServiceAccount'  = $accounts
        # Example 2's certificate, sma.contoso.com.pfx, protected by $env:SMA_PFX_PASSWORD.
        'Start-SmaWebService'          = ($secrets, $certificateMaker, @'
New-ExampleCertificateFile -Subject 'CN=sma.contoso.com' -Path sma.contoso.com.pfx -Password $env:SMA_PFX_PASSWORD
'@) -join "`n"
        'Get-SmaWebService'            = $webService
        # Two servers: one that runs the worker web1, and a local one over plain HTTP.
        'Stop-SmaWebService'           = @'
Start-SmaWebService -Port 0 -WithWorker -WorkerName web1 -InformationAction Ignore | Out-Null
Start-SmaWebService -Port 0 -Http -AllowAnonymousLoopback -InformationAction Ignore | Out-Null
'@
        'Get-SmaVariable'              = $variables
        'Set-SmaVariable'              = $secrets
        'Remove-SmaVariable'           = $variables
        'Get-SmaCredential'            = $credentials
        'Set-SmaCredential'            = $secrets
        'Remove-SmaCredential'         = $credentials
        'Get-SmaConnection'            = $connections
        'New-SmaConnection'            = ($secrets, $contosoFolder) -join "`n"
        'Set-SmaConnectionFieldValue'  = $connections
        'Remove-SmaConnection'         = $connections
        'Get-SmaConnectionType'        = $contosoTools
        'Get-SmaConnectionField'       = $contosoTools
        'Get-SmaCertificate'           = $certificates
        'Set-SmaCertificate'           = $certificateFiles
        'Remove-SmaCertificate'        = $certificates
        'Import-SmaModule'             = $contosoFolder
        'Get-SmaModule'                = $contosoTools
        'Remove-SmaModule'             = $modules
        # A dedicated worker W1 on a thread of this process (Start-SmaWorker blocks): cheaper than a process of its own.
        'Stop-SmaWorker'               = @'
$worker = Start-ThreadJob -ScriptBlock { Import-Module $using:env:SMA_TEST_MODULE; Start-SmaWorker -Name W1 }
$deadline = [DateTime]::UtcNow.AddSeconds(60)
while ((Get-SmaRunbookWorkerDeployment -Name W1).Status -ne 'Running') {
    if ([DateTime]::UtcNow -gt $deadline -or $worker.State -notin 'NotStarted', 'Running') { throw "The worker W1 did not start: $($worker | Receive-Job 2>&1)" }
    Start-Sleep -Milliseconds 100
}
'@
        'Get-SmaSchedule'              = $schedules
        'Remove-SmaSchedule'           = $schedules
        'Register-SmaScheduledRunbook' = $schedules
        'Get-SmaScheduledRunbook'      = $schedules
        'Remove-SmaScheduledRunbook'   = $schedules
        # One occurrence that has fired, so the history has a row with a job (this session's worker fires it).
        'Get-SmaScheduleHistory'       = $schedules + @'

Start-SmaRunbook -Name Hello -Parameters @{ Name = 'worker' } -Wait | Out-Null
$linked = $false
while (-not $linked) { # a start a few seconds ahead; again if this process was held up past it before the link was made
    Remove-SmaSchedule -Name 'Patch window' -ErrorAction Ignore
    try {
        Set-SmaSchedule -Name 'Patch window' -ScheduleType OneTimeSchedule -StartTime (Get-Date).AddSeconds(3) | Out-Null
        Register-SmaScheduledRunbook -RunbookName Hello -ScheduleName 'Patch window' -Parameters @{ Name = 'patch' } | Out-Null
        $linked = $true
    }
    catch { if ($_.FullyQualifiedErrorId -notmatch '^(ScheduleStartInPast|ScheduleExpired),') { throw } }
}
$deadline = [DateTime]::UtcNow.AddSeconds(120)
while (-not (Get-SmaScheduleHistory -ScheduleName 'Patch window' | Where-Object JobId)) {
    if ([DateTime]::UtcNow -gt $deadline) { throw 'The schedule Patch window did not fire.' }
    Start-Sleep -Milliseconds 100
}
'@
    }

    # Runs every example of every cmdlet in one fresh pwsh (a hung example cannot hang the suite: the process has a
    # deadline). The fixture is made once and copied: per cmdlet, a new folder with a copy of the store and the
    # sample files, the module imported afresh (Remove-Module closes the previous store and its embedded worker), the
    # cmdlet's own set-up, then its examples in order. Returns @{ 'Cmdlet/index' = @{ Result = 'passed' or the error;
    # Ms = how long it took } }.
    function Invoke-Examples([object[]] $Files) {
        $resultsFile = Join-Path $SmaTestFolder 'results.jsonl'
        $plan = Join-Path $SmaTestFolder 'plan.json'
        @($Files | ForEach-Object { [pscustomobject]@{ Cmdlet = $_.Cmdlet; Path = $_.Path; Setup = $setup[$_.Cmdlet] } }) |
            ConvertTo-Json -Depth 3 | Set-Content -Path $plan
        $script = @"
`$ErrorActionPreference = 'Stop'
`$PSStyle.OutputRendering = 'PlainText'
. '$PSScriptRoot/../../src/Sma.Cmdlets/Help/HelpSources.ps1'
function Use-Folder([string] `$Folder) {
    Set-Location -LiteralPath `$Folder
    `$env:SMA_STORE = Join-Path `$Folder 'sma.db'
    `$env:SMA_KEY_FILE = Join-Path `$Folder 'secret.key'
}
`$fixture = Join-Path '$SmaTestFolder' 'fixture'
`$sampleModules = '$sampleModules' # for the set-ups that copy a sample module into their folder
`$ready = try {
    New-Item -ItemType Directory -Path `$fixture | Out-Null
    Copy-Item -Path '$samples/*.ps1' -Destination `$fixture
    Use-Folder `$fixture
    Import-Module '$env:SMA_TEST_MODULE'
    Get-ChildItem -Path ./*.ps1 | Import-SmaRunbook -Publish | Out-Null
    `$jobs = @(
        Start-SmaRunbook -Name Hello -Parameters @{ Name = 'World' }
        Start-SmaRunbook -Name Write-Streams
        Start-SmaRunbook -Name Fail
    ) | Wait-SmaJob -Timeout 120
    if (@(`$jobs | Where-Object JobStatus -NotIn 'Completed', 'Failed').Count) { throw 'the fixture jobs did not end' }
    Remove-Module Sma # closes the store, so that its file can be copied
    'ready'
}
catch { "the fixture failed: `$_" }
foreach (`$file in Get-Content -Raw '$plan' | ConvertFrom-Json) {
    `$clock = [Diagnostics.Stopwatch]::StartNew()
    `$examples = @((Read-ExampleFile -Path `$file.Path).Examples)
    `$prepared = if (`$ready -ne 'ready') { `$ready } else {
        try {
            `$folder = Join-Path '$SmaTestFolder' `$file.Cmdlet
            New-Item -ItemType Directory -Path `$folder | Out-Null
            Copy-Item -Path (Join-Path `$fixture '*') -Exclude '*-shm' -Destination `$folder
            Use-Folder `$folder
            Remove-Module Sma -ErrorAction Ignore
            Import-Module '$env:SMA_TEST_MODULE'
            if (`$file.Setup) { . ([scriptblock]::Create(`$file.Setup)) }
            'ready'
        }
        catch { "the set-up failed: `$_" }
    }
    for (`$index = 1; `$index -le `$examples.Count; `$index++) {
        `$result = if (`$prepared -ne 'ready') { `$prepared } else {
            try {
                # Pester (slow to import) only for the examples that use it.
                if (`$examples[`$index - 1].Code -match '\bShould\b' -and -not (Get-Module Pester)) { Import-Module '$(Join-Path (Get-Module Pester).ModuleBase 'Pester.psd1')' }
                & ([scriptblock]::Create(`$examples[`$index - 1].Code)) | Out-String -Width 200 | Out-Null
                'passed'
            }
            catch { "`$(`$_.FullyQualifiedErrorId): `$_" }
        }
        @{ Key = "`$(`$file.Cmdlet)/`$index"; Result = `$result; Ms = `$clock.ElapsedMilliseconds } | ConvertTo-Json -Compress | Add-Content -Path '$resultsFile'
        `$clock.Restart()
    }
    if (Get-Module Sma) {
        Get-SmaRunbookWorkerDeployment | Where-Object { -not `$_.IsEmbedded -and `$_.Status -eq 'Running' } | Stop-SmaWorker -Wait | Out-Null
        # The tear-down of the web service examples: their servers are processes of their own, which outlive this one.
        Stop-SmaWebService | Out-Null
    }
}
"@
        $file = Join-Path $SmaTestFolder 'run-examples.ps1'
        Set-Content -Path $file -Value $script
        $pwsh = Get-PwshCommand
        $process = Start-Process -FilePath $pwsh[0] -PassThru -RedirectStandardOutput "$file.log" -RedirectStandardError "$file.err" `
            -ArgumentList (@($pwsh | Select-Object -Skip 1) + @('-NoProfile', '-NonInteractive', '-File', $file))
        $finished = $process.WaitForExit(1200000)
        if (-not $finished) { $process.Kill($true) }
        $results = @{}
        foreach ($line in Get-Content -Path $resultsFile -ErrorAction Ignore) {
            $entry = $line | ConvertFrom-Json
            $results[$entry.Key] = $entry
        }
        $script:ExampleRunLog = "$(if (-not $finished) { 'The examples did not finish within 20 minutes. ' })" +
            "$(Get-Content -Raw "$file.err" -ErrorAction Ignore) $(Get-Content -Raw "$file.log" -ErrorAction Ignore)"
        return $results
    }
    $clock = [Diagnostics.Stopwatch]::StartNew()
    $results = Invoke-Examples -Files @(Get-SmaExampleFiles | Where-Object { -not $notRun.ContainsKey($_.Cmdlet) })
    $slowest = @($results.GetEnumerator() | Sort-Object { $_.Value.Ms } -Descending | Select-Object -First 5 |
            ForEach-Object { '{0} {1:N1} s' -f $_.Key, ($_.Value.Ms / 1000) }) -join ', '
    Write-Host "The examples ran in $([int]$clock.Elapsed.TotalSeconds) s; the slowest (with their set-up): $slowest"
    # Each example's result and time, kept with the test results.
    if ($env:SMA_TEST_RESULTS) { Copy-Item (Join-Path $SmaTestFolder 'results.jsonl') (Join-Path $env:SMA_TEST_RESULTS 'help-examples.jsonl') -ErrorAction Ignore }
}

AfterAll {
    # Should the examples' process have been killed or have failed before its tear-down: no server of theirs outlives
    # the test (each cmdlet's store is <cmdlet>/sma.db in the test folder).
    if ($SmaTestFolder) {
        foreach ($store in Get-ChildItem -Path $SmaTestFolder -Filter sma.db -Recurse -ErrorAction Ignore) {
            if (Test-Path "$($store.FullName).webservice") { Stop-SmaWebService -StorePath $store.FullName -ErrorAction Continue }
        }
    }
    Remove-SmaTestStore
}

Describe 'The examples of <Cmdlet>' -ForEach $files {
    It 'example <Index> parses, uses only parameters its commands have, and runs without an error: <Title>' -ForEach $Examples {
        $tokens = $errors = $null
        $ast = [System.Management.Automation.Language.Parser]::ParseInput($Code, [ref] $tokens, [ref] $errors)
        $errors | Should -BeNullOrEmpty -Because 'the example must parse'
        $unknown = foreach ($call in $ast.FindAll({ param($n) $n -is [System.Management.Automation.Language.CommandAst] }, $true)) {
            $command = $smaCommands[[string]$call.GetCommandName()]
            if (-not $command) { continue }
            foreach ($parameter in $call.CommandElements | Where-Object { $_ -is [System.Management.Automation.Language.CommandParameterAst] }) {
                try { $null = $command.ResolveParameter($parameter.ParameterName) }
                catch { "$($command.Name) -$($parameter.ParameterName): $($_.Exception.Message)" }
            }
        }
        $unknown | Should -BeNullOrEmpty -Because 'the example may use only parameters its commands have'
        if ($notRun.ContainsKey($Cmdlet)) { Set-ItResult -Skipped -Because "it is not run: $($notRun[$Cmdlet])"; return }
        $results["$Cmdlet/$Index"].Result | Should -Be 'passed' -Because $ExampleRunLog
    }
}
