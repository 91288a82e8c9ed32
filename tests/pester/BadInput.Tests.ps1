# The bad-input table (DESIGN §8): every bad input is an ErrorRecord with a stable ErrorId, the right category, a
# message that names the offending thing and says what to do — and the store is left unchanged. Per-item failures
# (not found, a state that refuses the request, a file that cannot be imported: Terminating = $false) are
# non-terminating errors, so a pipeline goes on with its other items (DESIGN §6); invalid parameter values and input
# that makes the whole command meaningless are terminating.

BeforeAll {
    . $PSScriptRoot/TestHelpers.ps1
    Initialize-SmaTestStore
    function Write-File([string] $Name, [string] $Text) { $p = Join-Path $SmaTestFolder $Name; Set-Content -Path $p -Value $Text; $p }
    New-TestRunbook -Name Typed -Source "param([Parameter(Mandatory)][string]`$Name, [Alias('N')][int]`$Count = 1) `"`$Name `$Count`"" | Out-Null
    New-TestRunbook -Name Draft1 -Source "'draft'" -Draft | Out-Null
    New-TestRunbook -Name Spinner -Source "while (`$true) { Start-Sleep -Milliseconds 20 }" | Out-Null
    # Inline child runbooks that cannot run: a cycle through a child, a runbook calling itself, a draft-only child.
    New-TestRunbook -Name CycleA -Source "'a'; CycleB" | Out-Null
    New-TestRunbook -Name CycleB -Source "'b'; CycleA" | Out-Null
    New-TestRunbook -Name Selfish -Source "param([int] `$N) if (`$N -gt 0) { Selfish -N (`$N - 1) }" | Out-Null
    New-TestRunbook -Name CallsDraft -Source "'calling'; Draft1" | Out-Null
    $completed = Start-SmaRunbook Typed -Parameters @{ Name = 'done' } -Wait
    $running = Start-SmaRunbook Spinner
    Wait-TestJobStatus -Id $running -Status Running | Out-Null

    # Store files for the store-level rows, made by a child process that has let go of them.
    $other = Join-Path $SmaTestFolder 'other'
    New-Item -ItemType Directory $other | Out-Null
    Invoke-ChildPwsh "`$env:SMA_STORE = '$other/newer.db'; Get-SmaRunbook | Out-Null; `$env:SMA_STORE = '$other/foreign.db'; Get-SmaRunbook | Out-Null" | Out-Null
    function Set-HeaderInt([string] $Path, [int] $Offset, [int] $Value) {
        # SQLite keeps user_version at byte 60 and application_id at byte 68 of its header, big-endian.
        $bytes = [IO.File]::ReadAllBytes($Path)
        [byte[]] $be = [BitConverter]::GetBytes($Value); [Array]::Reverse($be)
        [Array]::Copy($be, 0, $bytes, $Offset, 4)
        [IO.File]::WriteAllBytes($Path, $bytes)
    }
    Set-HeaderInt "$other/newer.db" 60 99
    Set-HeaderInt "$other/foreign.db" 68 0x12345678
    Set-Content "$other/corrupt.db" ('not a database ' * 200)
    # A store whose secrets another key encrypts (its first process had $env:SMA_KEY set): this session's key is refused.
    $keyed = New-Item -ItemType Directory (Join-Path $SmaTestFolder 'keyed')
    Invoke-ChildPwsh "`$env:SMA_STORE = '$keyed/keyed.db'; `$env:SMA_KEY = [Convert]::ToBase64String([byte[]]::new(32)); Set-SmaVariable -Name K -Value 1 -Encrypted" | Out-Null
    $bin = Join-Path $SmaTestFolder 'Binary.ps1'
    [IO.File]::WriteAllBytes($bin, [byte[]](0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13))
    # Schedules: one with a link (to link twice, and to try changing), one expired, one spare.
    Set-SmaSchedule -Name Nightly -ScheduleType DailySchedule -StartTime '2030-01-01 02:00' -TimeZone UTC | Out-Null
    Set-SmaSchedule -Name Ended -ScheduleType DailySchedule -StartTime '2020-01-01 09:00' -ExpiryTime '2020-02-01 09:00' -TimeZone UTC | Out-Null
    Set-SmaSchedule -Name Spare -Cron '0 3 * * *' -TimeZone UTC | Out-Null
    Start-SmaRunbook Typed -ScheduleName Nightly -Parameters @{ Name = 'nightly' } -WarningAction SilentlyContinue | Out-Null
    function Get-Fingerprint {
        $r = Test-SmaStore
        $schedules = @(Get-SmaSchedule | ForEach-Object { "$($_.Name)@$($_.LastModifiedTime.Ticks)" }) -join ','
        "$($r.Integrity)|$($r.Runbooks)|$($r.Jobs)|$($r.StreamRecords)|$($r.Checkpoints)|$schedules|$(@(Get-SmaScheduledRunbook).Count)|$(Get-AssetFingerprint)"
    }
    # Assets and modules, for the rows about them: every name with its last change.
    $env:SMA_MODULES_FOLDER = Join-Path $SmaTestFolder 'modules'
    function Get-AssetFingerprint {
        @(Get-SmaVariable) + @(Get-SmaCredential) + @(Get-SmaConnection) + @(Get-SmaCertificate) |
            ForEach-Object { "$($_.Name)@$($_.LastModifiedTime.Ticks)" }
        Get-SmaModule | ForEach-Object { "$($_.ModuleName)@$($_.StoreVersion)" }
        (Get-SmaConnectionType).Name
        Get-SmaWebServiceAccount | ForEach-Object { "account:$($_.Name)/$($_.Role)/$($_.IsEnabled)@$($_.LastModifiedTime.Ticks)" }
    }
    $accountPassword = ConvertTo-SecureString 'a-long-enough-password' -AsPlainText -Force
    New-SmaWebServiceAccount -Name Existing -Password $accountPassword -Role Reader | Out-Null
    # A port something else listens on, for the web service that cannot start.
    $taken = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Any, 0)
    $taken.Start()
    $takenPort = $taken.LocalEndpoint.Port
    # This machine as another one would reach it, on a port where nothing listens (one just given back).
    $closedEndpoint = "https://$(Get-NonLoopbackAddress)"
    $released = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Any, 0)
    $released.Start(); $closedPort = $released.LocalEndpoint.Port; $released.Stop()
    Set-SmaVariable -Name IntVar -Value 1
    New-SmaConnection -Name Existing -ConnectionTypeName Generic | Out-Null
    $credential = [pscredential]::new('user', (ConvertTo-SecureString 'pw-123' -AsPlainText -Force))
    $mods = New-Item -ItemType Directory (Join-Path $SmaTestFolder 'badmods')
    function New-ModuleFolder([string] $Name, [hashtable] $Files) {
        $folder = New-Item -ItemType Directory (Join-Path $mods $Name) -Force
        foreach ($file in $Files.Keys) { Set-Content (Join-Path $folder $file) $Files[$file] }
        $folder.FullName
    }
    $json = '{ "ConnectionTypeName": "RequiredType", "ConnectionFields": [ { "Name": "Token", "TypeName": "System.String", "IsEncrypted": true, "IsOptional": false } ] }'
    Import-SmaModule -Path (New-ModuleFolder Requires @{ 'Requires.psm1' = 'function Get-Required { 1 }'; 'Requires-Automation.json' = $json }) | Out-Null
    Compress-Archive -Path (New-ModuleFolder NoManifest @{ 'readme.txt' = 'no module here'; 'Other.psm1' = 'function Get-Other { }' }) -DestinationPath "$mods/NoManifest.zip"
    Set-Content "$mods/NotAZip.zip" 'plain text, not a zip'
    $badJson = New-ModuleFolder BadJson @{ 'BadJson.psm1' = 'function Get-BadJson { }'; 'BadJson-Automation.json' = '{ "ConnectionFields": [] }' }
    $takesGeneric = New-ModuleFolder TakesGeneric @{ 'TakesGeneric.psm1' = 'function Get-X { }'; 'TakesGeneric-Automation.json' = '{ "ConnectionTypeName": "Generic", "ConnectionFields": [] }' }
    $badManifest = New-ModuleFolder BadManifest @{ 'BadManifest.psd1' = "@{ ModuleVersion = '1.0'" }
    $badName = New-ModuleFolder 'Bad Name' @{ 'Bad Name.psm1' = 'function Get-Y { }' }
    $rsa = [Security.Cryptography.RSA]::Create(2048)
    $certificate = [Security.Cryptography.X509Certificates.CertificateRequest]::new('CN=BadInput', $rsa, 'SHA256', [Security.Cryptography.RSASignaturePadding]::Pkcs1).CreateSelfSigned([DateTimeOffset]::Now, [DateTimeOffset]::Now.AddDays(1))
    [IO.File]::WriteAllBytes("$mods/cert.pfx", $certificate.Export('Pkcs12', 'right-password'))
    Set-Content "$mods/notcert.cer" 'this is not a certificate'
}

AfterAll {
    if ($taken) { $taken.Stop() }
    Stop-TestJobs
    Remove-Item Env:SMA_MODULES_FOLDER -ErrorAction Ignore
    Remove-SmaTestStore
}

Describe 'Bad input' {
    It '<Case>: <ErrorId> (<Category>)' -ForEach @(
        @{ Case = 'an unknown runbook'; Terminating = $false; ErrorId = 'RunbookNotFound'; Category = 'ObjectNotFound'; Names = 'NoSuchRunbook'; Hint = 'Import-SmaRunbook'; Script = { Start-SmaRunbook -Name NoSuchRunbook } }
        @{ Case = 'an unknown runbook id'; Terminating = $false; ErrorId = 'RunbookNotFound'; Category = 'ObjectNotFound'; Names = '00000000-0000-0000-0000-00000000abcd'; Hint = 'Get-SmaRunbook'; Script = { Start-SmaRunbook -Id '00000000-0000-0000-0000-00000000abcd' } }
        @{ Case = 'an unpublished runbook'; ErrorId = 'RunbookNotPublished'; Category = 'InvalidOperation'; Names = 'Draft1'; Hint = 'Publish-SmaRunbook'; Script = { Start-SmaRunbook -Name Draft1 } }
        @{ Case = 'an unknown parameter'; ErrorId = 'UnknownParameter'; Category = 'InvalidArgument'; Names = "'Colour'"; Hint = 'Its parameters are: Name, Count'; Script = { Start-SmaRunbook Typed -Parameters @{ Name = 'a'; Colour = 'red' } } }
        @{ Case = 'a missing mandatory parameter'; ErrorId = 'MissingMandatoryParameter'; Category = 'InvalidArgument'; Names = "'Name'"; Hint = 'pass it in -Parameters'; Script = { Start-SmaRunbook Typed -Parameters @{ Count = 2 } } }
        @{ Case = 'a value of the wrong type'; ErrorId = 'InvalidParameterValue'; Category = 'InvalidArgument'; Names = "'Count'"; Hint = '[Int32]'; Script = { Start-SmaRunbook Typed -Parameters @{ Name = 'a'; Count = 'lots' } } }
        @{ Case = 'a parameter given twice'; ErrorId = 'DuplicateParameter'; Category = 'InvalidArgument'; Names = "'Count'"; Hint = 'more than once'; Script = { Start-SmaRunbook Typed -Parameters @{ Name = 'a'; Count = 1; N = 2 } } }
        @{ Case = 'a cycle of child runbooks'; ErrorId = 'ChildRunbookCycle'; Category = 'InvalidOperation'; Names = "CycleA -> CycleB -> CycleA ('CycleA' calls 'CycleB' on line 1, 'CycleB' calls 'CycleA' on line 1)"; Hint = 'start it as a separate job with Start-SmaRunbook'; Script = { Start-SmaRunbook -Name CycleA } }
        @{ Case = 'a runbook calling itself inline'; ErrorId = 'ChildRunbookCycle'; Category = 'InvalidOperation'; Names = "Selfish -> Selfish ('Selfish' calls 'Selfish' on line 1)"; Hint = 'No job was created'; Script = { Start-SmaRunbook -Name Selfish -Parameters @{ N = 2 } } }
        @{ Case = 'an unpublished child runbook'; ErrorId = 'ChildRunbookNotPublished'; Category = 'InvalidOperation'; Names = 'CallsDraft -> Draft1'; Hint = "Publish-SmaRunbook -Name 'Draft1'"; Script = { Start-SmaRunbook -Name CallsDraft } }
        @{ Case = 'a malformed job id'; ErrorId = 'InvalidJobId'; Category = 'InvalidArgument'; Names = 'not-a-guid'; Hint = 'a job id is a GUID'; Script = { Get-SmaJob -Id 'not-a-guid' } }
        @{ Case = 'an unknown job id'; Terminating = $false; ErrorId = 'JobNotFound'; Category = 'ObjectNotFound'; Names = '11111111-2222-3333-4444-555555555555'; Hint = 'Get-SmaJob'; Script = { Stop-SmaJob -Id '11111111-2222-3333-4444-555555555555' } }
        @{ Case = 'stopping a Completed job'; Terminating = $false; ErrorId = 'InvalidJobStateTransition'; Category = 'InvalidOperation'; Names = 'is Completed'; Hint = 'left unchanged'; Script = { Stop-SmaJob -Id $completed } }
        @{ Case = 'suspending a Completed job'; Terminating = $false; ErrorId = 'InvalidJobStateTransition'; Category = 'InvalidOperation'; Names = 'Suspend-SmaJob'; Hint = 'left unchanged'; Script = { Suspend-SmaJob -Id $completed } }
        @{ Case = 'resuming a Running job'; Terminating = $false; ErrorId = 'InvalidJobStateTransition'; Category = 'InvalidOperation'; Names = 'is Running'; Hint = 'left unchanged'; Script = { Resume-SmaJob -Id $running } }
        @{ Case = 'removing a running job'; Terminating = $false; ErrorId = 'JobNotFinished'; Category = 'InvalidOperation'; Names = 'is Running'; Hint = 'Stop it first'; Script = { Remove-SmaJob -Id $running -Confirm:$false } }
        @{ Case = 'a syntax error'; Terminating = $false; ErrorId = 'RunbookSyntaxError'; Category = 'ParserError'; Names = 'Line 2, column'; Hint = 'nothing was imported'; Script = { Import-SmaRunbook -Path (Write-File 'Broken.ps1' "'ok'`nif (`$x -eq {") } }
        @{ Case = 'an empty runbook file'; Terminating = $false; ErrorId = 'RunbookFileEmpty'; Category = 'InvalidData'; Names = 'Empty.ps1'; Hint = 'needs PowerShell source'; Script = { Import-SmaRunbook -Path (Write-File 'Empty.ps1' '') } }
        @{ Case = 'a binary runbook file'; Terminating = $false; ErrorId = 'RunbookFileNotText'; Category = 'InvalidData'; Names = 'Binary.ps1'; Hint = 'must be PowerShell source'; Script = { Import-SmaRunbook -Path $bin } }
        @{ Case = 'a missing runbook file'; Terminating = $false; ErrorId = 'RunbookFileNotFound'; Category = 'ObjectNotFound'; Names = 'Missing.ps1'; Hint = 'does not exist'; Script = { Import-SmaRunbook -Path (Join-Path $SmaTestFolder 'Missing.ps1') } }
        @{ Case = 'script after a workflow'; Terminating = $false; ErrorId = 'WorkflowScriptOutsideWorkflow'; Category = 'ParserError'; Names = 'line 4'; Hint = 'Move that code into the workflow'; Script = { Import-SmaRunbook -Path (Write-File 'Flow.ps1' "workflow Flow {`n  'x'`n}`nMeasure-Command { Flow }") } }
        @{ Case = 'a Workflow keyword outside a workflow'; Terminating = $false; ErrorId = 'WorkflowKeywordOutsideWorkflow'; Category = 'ParserError'; Names = "'parallel' at line 3"; Hint = 'Move it into the workflow'; Script = { Import-SmaRunbook -Path (Write-File 'Keyword.ps1' "workflow Keyword {`n  function Inner {`n    parallel { 'x' }`n  }`n}") } }
        @{ Case = 'a workflow call shape with no translation'; Terminating = $false; ErrorId = 'WorkflowUnsupportedShape'; Category = 'NotImplemented'; Names = "-PSComputerName on the call to 'Inner'"; Hint = 'run the activities inside it remotely'; Script = { Import-SmaRunbook -Path (Write-File 'Shape.ps1' "workflow Shape {`n  workflow Inner { 'x' }`n  Inner -PSComputerName srv1`n}") } }
        @{ Case = 'several workflows and none named'; Terminating = $false; ErrorId = 'WorkflowEntryNotFound'; Category = 'InvalidArgument'; Names = "'First', 'Second'"; Hint = '-Name'; Script = { Import-SmaRunbook -Path (Write-File 'Both.ps1' "workflow First { 1 }`nworkflow Second { 2 }") } }
        @{ Case = 'a runbook name with a quote'; ErrorId = 'InvalidRunbookName'; Category = 'InvalidArgument'; Names = "Bob's"; Hint = 'letters, digits'; Script = { Import-SmaRunbook -Path (Write-File 'q.ps1' "'x'") -Name "Bob's" } }
        @{ Case = 'a runbook name with SQL in it'; ErrorId = 'InvalidRunbookName'; Category = 'InvalidArgument'; Names = 'DROP TABLE'; Hint = 'letters, digits'; Script = { Import-SmaRunbook -Path (Write-File 's.ps1' "'x'") -Name "x'); DROP TABLE jobs; --" } }
        @{ Case = 'a runbook that exists'; Terminating = $false; ErrorId = 'RunbookAlreadyExists'; Category = 'ResourceExists'; Names = "'Typed'"; Hint = 'Edit-SmaRunbook'; Script = { Import-SmaRunbook -Path (Write-File 'Typed.ps1' "'x'") } }
        @{ Case = 'a second draft without -Overwrite'; Terminating = $false; ErrorId = 'RunbookDraftExists'; Category = 'ResourceExists'; Names = "'Draft1'"; Hint = '-Overwrite'; Script = { Edit-SmaRunbook -Name Draft1 -Path (Write-File 'd2.ps1' "'x'") } }
        @{ Case = 'publishing without a draft'; Terminating = $false; ErrorId = 'RunbookHasNoDraft'; Category = 'InvalidOperation'; Names = "'Typed'"; Hint = 'Edit-SmaRunbook'; Script = { Publish-SmaRunbook -Name Typed } }
        @{ Case = 'an unknown runbook version'; Terminating = $false; ErrorId = 'RunbookVersionNotFound'; Category = 'ObjectNotFound'; Names = '22222222-0000-0000-0000-000000000000'; Hint = 'runbook version'; Script = { Get-SmaRunbookDefinition -VersionId '22222222-0000-0000-0000-000000000000' } }
        @{ Case = 'configuring an unknown runbook'; Terminating = $false; ErrorId = 'RunbookNotFound'; Category = 'ObjectNotFound'; Names = 'Ghost'; Hint = 'Get-SmaRunbook'; Script = { Set-SmaRunbookConfiguration -Name Ghost -LogVerbose $true } }
        @{ Case = 'a remote endpoint for a worker, which runs on this machine'; ErrorId = 'RemoteEndpointNotSupported'; Category = 'InvalidArgument'; Names = 'Start-SmaWorker'; Hint = 'shares the server''s store'; Script = { Start-SmaWorker -Name W9 -WebServiceEndpoint 'https://sma.contoso.com' -Port 9090 } }
        @{ Case = 'a remote endpoint for the web service accounts'; ErrorId = 'RemoteEndpointNotSupported'; Category = 'InvalidArgument'; Names = 'Get-SmaWebServiceAccount'; Hint = 'run it on the server'; Script = { Get-SmaWebServiceAccount -WebServiceEndpoint 'https://sma.contoso.com' -Port 9090 } }
        @{ Case = 'a remote endpoint for a store check'; ErrorId = 'RemoteEndpointNotSupported'; Category = 'InvalidArgument'; Names = 'Test-SmaStore'; Hint = 'run Test-SmaStore on the server'; Script = { Test-SmaStore -WebServiceEndpoint 'https://sma.contoso.com' -Port 9090 } }
        @{ Case = 'a web service endpoint that is no URL'; ErrorId = 'InvalidWebServiceEndpoint'; Category = 'InvalidArgument'; Names = 'ftp://sma.contoso.com'; Hint = 'https://server'; Script = { Get-SmaJob -WebServiceEndpoint 'ftp://sma.contoso.com' } }
        @{ Case = 'a web service that does not answer'; ErrorId = 'WebServiceUnreachable'; Category = 'ConnectionError'; Names = $closedEndpoint; Hint = 'Get-SmaWebService'; Script = { Get-SmaJob -WebServiceEndpoint $closedEndpoint -Port $closedPort } }
        @{ Case = 'a store in a missing folder'; ErrorId = 'StoreFolderMissing'; Category = 'ObjectNotFound'; Names = 'no/such/folder'; Hint = 'Create it'; Script = { Get-SmaJob -StorePath (Join-Path $SmaTestFolder 'no/such/folder/sma.db') } }
        @{ Case = 'a store in a read-only place'; ErrorId = 'StoreUnavailable'; Category = 'ResourceUnavailable'; Names = '/sys/sma-test.db'; Hint = 'cannot be opened'; Script = { Get-SmaJob -StorePath '/sys/sma-test.db' } }
        @{ Case = 'a corrupt store file'; ErrorId = 'StoreNotRecognized'; Category = 'InvalidData'; Names = 'corrupt.db'; Hint = 'SMA_STORE'; Script = { Get-SmaJob -StorePath "$other/corrupt.db" } }
        @{ Case = 'another application''s database'; ErrorId = 'StoreNotRecognized'; Category = 'InvalidData'; Names = 'foreign.db'; Hint = 'another application'; Script = { Get-SmaJob -StorePath "$other/foreign.db" } }
        @{ Case = 'a secret key that is not the store''s'; ErrorId = 'SecretKeyMismatch'; Category = 'SecurityError'; Names = 'keyed.db'; Hint = 'same key'; Script = { Set-SmaVariable -Name K2 -Value 2 -Encrypted -StorePath "$keyed/keyed.db" } }
        @{ Case = 'a PostgreSQL server that cannot be reached'; ErrorId = 'StoreUnavailable'; Category = 'ResourceUnavailable'; Names = 'PostgreSQL 127.0.0.1:1/sma'; Hint = 'cannot be opened'; Script = { Get-SmaJob -StorePath 'postgresql://sma@127.0.0.1:1/sma' } }
        @{ Case = 'a postgresql:// URI without a host'; ErrorId = 'StoreUnavailable'; Category = 'ResourceUnavailable'; Names = 'postgresql://'; Hint = 'postgresql://user@host'; Script = { Get-SmaJob -StorePath 'postgresql:///sma' } }
        @{ Case = 'a store from a newer version'; ErrorId = 'StoreSchemaTooNew'; Category = 'InvalidData'; Names = 'newer.db'; Hint = 'Update the Sma module'; Script = { Get-SmaJob -StorePath "$other/newer.db" } }
        @{ Case = 'an invalid worker name'; ErrorId = 'InvalidWorkerName'; Category = 'InvalidArgument'; Names = 'bad name!'; Hint = 'letters, digits'; Script = { Start-SmaWorker -Name 'bad name!' } }
        @{ Case = 'stopping a worker that is not running'; Terminating = $false; ErrorId = 'WorkerNotRunning'; Category = 'ObjectNotFound'; Names = "'Nobody'"; Hint = 'Get-SmaRunbookWorkerDeployment'; Script = { Stop-SmaWorker -Name Nobody } }
        @{ Case = 'an admin change with no setting'; ErrorId = 'NoAdminSettingGiven'; Category = 'InvalidArgument'; Names = 'Set-SmaAdminConfiguration'; Hint = '-MaxJobRecords'; Script = { Set-SmaAdminConfiguration -Confirm:$false } }
        @{ Case = 'a negative -MaxJobRecords'; ErrorId = 'ParameterArgumentValidationError'; Category = 'InvalidData'; Names = 'MaxJobRecords'; Hint = '0'; Script = { Set-SmaAdminConfiguration -MaxJobRecords -5 -Confirm:$false } }
        @{ Case = 'an out-of-range -First'; ErrorId = 'ParameterArgumentValidationError'; Category = 'InvalidData'; Names = 'First'; Hint = '0'; Script = { Get-SmaJob -First 0 } }
        @{ Case = 'an unknown connection type'; ErrorId = 'ConnectionTypeNotFound'; Category = 'ObjectNotFound'; Names = "'NoSuchType'"; Hint = 'Import-SmaModule'; Script = { New-SmaConnection -Name C1 -ConnectionTypeName NoSuchType } }
        @{ Case = 'a connection that exists'; ErrorId = 'ConnectionAlreadyExists'; Category = 'ResourceExists'; Names = "'Existing'"; Hint = 'Set-SmaConnectionFieldValue'; Script = { New-SmaConnection -Name existing -ConnectionTypeName Generic } }
        @{ Case = 'an unknown connection field'; ErrorId = 'UnknownConnectionField'; Category = 'InvalidArgument'; Names = "'Colour'"; Hint = 'Its fields are'; Script = { New-SmaConnection -Name C2 -ConnectionTypeName Generic -ConnectionFieldValues @{ Colour = 'red' } } }
        @{ Case = 'a missing required connection field'; ErrorId = 'MissingConnectionField'; Category = 'InvalidArgument'; Names = "'Token'"; Hint = '-ConnectionFieldValues'; Script = { New-SmaConnection -Name C3 -ConnectionTypeName RequiredType } }
        @{ Case = 'a connection field value of the wrong type'; ErrorId = 'InvalidConnectionFieldValue'; Category = 'InvalidArgument'; Names = "'Port'"; Hint = '[System.Int32]'; Script = { New-SmaConnection -Name C4 -ConnectionTypeName Generic -ConnectionFieldValues @{ Port = 'lots' } } }
        @{ Case = 'a field of a connection that does not exist'; ErrorId = 'ConnectionNotFound'; Category = 'ObjectNotFound'; Names = "'Ghost'"; Hint = 'New-SmaConnection'; Script = { Set-SmaConnectionFieldValue -ConnectionName Ghost -ConnectionFieldName Port -Value 1 } }
        @{ Case = 'a value of another type for a variable'; ErrorId = 'VariableTypeMismatch'; Category = 'InvalidArgument'; Names = "'IntVar'"; Hint = '-Force'; Script = { Set-SmaVariable -Name IntVar -Value 'text' } }
        @{ Case = 'encrypting an existing variable'; ErrorId = 'VariableEncryptionFixed'; Category = 'InvalidOperation'; Names = "'IntVar'"; Hint = 'Remove-SmaVariable'; Script = { Set-SmaVariable -Name IntVar -Value 2 -Encrypted } }
        @{ Case = 'a variable value SMA cannot hold'; ErrorId = 'InvalidVariableValue'; Category = 'InvalidArgument'; Names = "'Numbers'"; Hint = 'hashtable'; Script = { Set-SmaVariable -Name Numbers -Value @(1, 2) } }
        @{ Case = 'an asset name with a wildcard'; ErrorId = 'InvalidAssetName'; Category = 'InvalidArgument'; Names = "'a*b'"; Hint = '128 characters'; Script = { Set-SmaCredential -Name 'a*b' -Value $credential } }
        @{ Case = 'a module zip without a manifest'; ErrorId = 'ModuleManifestMissing'; Category = 'InvalidData'; Names = 'NoManifest.zip'; Hint = 'NoManifest.psd1'; Script = { Import-SmaModule -Path "$mods/NoManifest.zip" } }
        @{ Case = 'a module file that is not a zip'; ErrorId = 'ModuleFileInvalid'; Category = 'InvalidData'; Names = 'NotAZip.zip'; Hint = 'not a .zip'; Script = { Import-SmaModule -Path "$mods/NotAZip.zip" } }
        @{ Case = 'a missing module file'; ErrorId = 'ModuleFileNotFound'; Category = 'ObjectNotFound'; Names = 'Missing.zip'; Hint = 'does not exist'; Script = { Import-SmaModule -Path "$mods/Missing.zip" } }
        @{ Case = 'a module manifest with a syntax error'; ErrorId = 'ModuleManifestInvalid'; Category = 'InvalidData'; Names = 'BadManifest.psd1'; Hint = 'data file'; Script = { Import-SmaModule -Path $badManifest } }
        @{ Case = 'a module name with a space'; ErrorId = 'InvalidModuleName'; Category = 'InvalidArgument'; Names = "'Bad Name'"; Hint = 'letters, digits'; Script = { Import-SmaModule -Path $badName } }
        @{ Case = 'a connection type file without a type name'; ErrorId = 'ConnectionTypeFileInvalid'; Category = 'InvalidData'; Names = 'BadJson-Automation.json'; Hint = 'ConnectionTypeName'; Script = { Import-SmaModule -Path $badJson } }
        @{ Case = 'a module taking the built-in connection type'; ErrorId = 'ConnectionTypeExists'; Category = 'ResourceExists'; Names = "'Generic'"; Hint = 'built in'; Script = { Import-SmaModule -Path $takesGeneric } }
        @{ Case = 'a .pfx with a wrong password'; ErrorId = 'CertificatePasswordInvalid'; Category = 'SecurityError'; Names = 'cert.pfx'; Hint = '-Password'; Script = { Set-SmaCertificate -Name Cert -Path "$mods/cert.pfx" -Password (ConvertTo-SecureString 'wrong' -AsPlainText -Force) } }
        @{ Case = 'a missing certificate file'; ErrorId = 'CertificateFileNotFound'; Category = 'ObjectNotFound'; Names = 'nocert.pfx'; Hint = 'does not exist'; Script = { Set-SmaCertificate -Name Cert -Path "$mods/nocert.pfx" } }
        @{ Case = 'a file that is not a certificate'; ErrorId = 'CertificateFileInvalid'; Category = 'InvalidData'; Names = 'notcert.cer'; Hint = '.pfx (PKCS #12)'; Script = { Set-SmaCertificate -Name Cert -Path "$mods/notcert.cer" } }
        @{ Case = 'an unknown $env:SMA_ISOLATION'; ErrorId = 'InvalidIsolation'; Category = 'InvalidArgument'; Names = "'Fiber'"; Hint = 'use Thread'; Script = { $env:SMA_ISOLATION = 'Fiber'; try { Start-SmaRunbook Typed -Parameters @{ Name = 'a' } } finally { Remove-Item Env:SMA_ISOLATION } } }
        @{ Case = 'an unknown -Isolation'; ErrorId = 'ParameterArgumentValidationError'; Category = 'InvalidData'; Names = 'Fiber'; Hint = 'Thread,Process'; Script = { Set-SmaSessionOption -Isolation Fiber } }
        @{ Case = 'an unknown -Stream'; ErrorId = 'ParameterArgumentValidationError'; Category = 'InvalidData'; Names = 'Bogus'; Hint = 'Output'; Script = { Get-SmaJobOutput -Id $completed -Stream Bogus } }
        @{ Case = 'a one-time schedule in the past'; ErrorId = 'ScheduleStartInPast'; Category = 'InvalidArgument'; Names = "'Past'"; Hint = 'in the future'; Script = { Set-SmaSchedule -Name Past -ScheduleType OneTimeSchedule -StartTime (Get-Date).AddMinutes(-5) } }
        @{ Case = 'an expiry before the start'; ErrorId = 'ScheduleExpiryBeforeStart'; Category = 'InvalidArgument'; Names = "'Backwards'"; Hint = '-ExpiryTime after the -StartTime'; Script = { Set-SmaSchedule -Name Backwards -ScheduleType DailySchedule -StartTime '2031-01-02 09:00' -ExpiryTime '2031-01-01 09:00' } }
        @{ Case = 'an invalid cron expression'; ErrorId = 'InvalidCronExpression'; Category = 'InvalidArgument'; Names = "'61 * * * *'"; Hint = 'five fields'; Script = { Set-SmaSchedule -Name BadCron -Cron '61 * * * *' } }
        @{ Case = 'an unknown time zone'; ErrorId = 'UnknownTimeZone'; Category = 'InvalidArgument'; Names = "'Mars/Olympus_Mons'"; Hint = "'Europe/Berlin'"; Script = { Set-SmaSchedule -Name Martian -ScheduleType DailySchedule -StartTime '2031-01-01 09:00' -TimeZone Mars/Olympus_Mons } }
        @{ Case = 'a DayInterval below 1'; ErrorId = 'ParameterArgumentValidationError'; Category = 'InvalidData'; Names = 'DayInterval'; Hint = '1'; Script = { Set-SmaSchedule -Name Zero -ScheduleType DailySchedule -StartTime '2031-01-01 09:00' -DayInterval 0 } }
        @{ Case = 'a schedule name with a wildcard'; ErrorId = 'InvalidScheduleName'; Category = 'InvalidArgument'; Names = "'Nightly?'"; Hint = 'no wildcard characters'; Script = { Set-SmaSchedule -Name 'Nightly?' -ScheduleType DailySchedule -StartTime '2031-01-01 09:00' } }
        @{ Case = 'an unknown schedule in -ScheduleName'; ErrorId = 'ScheduleNotFound'; Category = 'ObjectNotFound'; Names = "'NoSuchSchedule'"; Hint = 'Set-SmaSchedule'; Script = { Start-SmaRunbook Typed -ScheduleName NoSuchSchedule -Parameters @{ Name = 'a' } } }
        @{ Case = 'linking a runbook to a schedule twice'; ErrorId = 'RunbookAlreadyScheduled'; Category = 'ResourceExists'; Names = "'Typed'"; Hint = 'Remove-SmaScheduledRunbook'; Script = { Start-SmaRunbook Typed -ScheduleName Nightly -Parameters @{ Name = 'again' } } }
        @{ Case = 'a bad parameter in a schedule link'; ErrorId = 'UnknownParameter'; Category = 'InvalidArgument'; Names = "'Colour'"; Hint = 'No link was created'; Script = { Start-SmaRunbook Typed -ScheduleName Spare -Parameters @{ Name = 'a'; Colour = 'red' } } }
        @{ Case = 'linking to an expired schedule'; ErrorId = 'ScheduleExpired'; Category = 'InvalidOperation'; Names = "'Ended'"; Hint = 'Set-SmaSchedule'; Script = { Start-SmaRunbook Typed -ScheduleName Ended -Parameters @{ Name = 'a' } } }
        @{ Case = '-Wait with -ScheduleName'; ErrorId = 'ScheduleNameWithWait'; Category = 'InvalidArgument'; Names = "'Spare'"; Hint = 'Omit -Wait'; Script = { Start-SmaRunbook Typed -ScheduleName Spare -Parameters @{ Name = 'a' } -Wait } }
        @{ Case = 'changing an existing schedule''s type'; ErrorId = 'ScheduleCannotChange'; Category = 'InvalidOperation'; Names = "'Nightly'"; Hint = 'Remove-SmaSchedule'; Script = { Set-SmaSchedule -Name Nightly -ScheduleType OneTimeSchedule -StartTime '2030-01-01 02:00' -TimeZone UTC } }
        @{ Case = 'changing an existing schedule''s start time'; ErrorId = 'ScheduleCannotChange'; Category = 'InvalidOperation'; Names = 'start time (2030-01-01 02:00:00Z, not 2030-01-01 03:00:00Z)'; Hint = 'Remove-SmaSchedule'; Script = { Set-SmaSchedule -Name Nightly -ScheduleType DailySchedule -StartTime '2030-01-01 03:00' -TimeZone UTC -Description 'moved' } }
        @{ Case = 'changing an existing schedule''s expiry'; ErrorId = 'ScheduleCannotChange'; Category = 'InvalidOperation'; Names = 'expiry time'; Hint = 'Remove-SmaSchedule'; Script = { Set-SmaSchedule -Name Nightly -ScheduleType DailySchedule -StartTime '2030-01-01 02:00' -ExpiryTime '2031-01-01' -TimeZone UTC } }
        @{ Case = 'making an existing schedule a cron one'; ErrorId = 'ScheduleCannotChange'; Category = 'InvalidOperation'; Names = 'type (DailySchedule, not CronSchedule)'; Hint = 'Remove-SmaSchedule'; Script = { Set-SmaSchedule -Name Nightly -Cron '0 2 * * *' -TimeZone UTC } }
        @{ Case = 'a schedule change with nothing to change'; ErrorId = 'NoScheduleChangeGiven'; Category = 'InvalidArgument'; Names = "'Nightly'"; Hint = '-Description or -IsEnabled'; Script = { Set-SmaSchedule -Name Nightly } }
        @{ Case = 'an account that exists'; ErrorId = 'AccountAlreadyExists'; Category = 'ResourceExists'; Names = "'existing'"; Hint = 'Set-SmaWebServiceAccount'; Script = { New-SmaWebServiceAccount -Name existing -Password $accountPassword -Role Operator } }
        @{ Case = 'an account name with a space'; ErrorId = 'InvalidAccountName'; Category = 'InvalidArgument'; Names = "'two words'"; Hint = 'ASCII letters, digits'; Script = { New-SmaWebServiceAccount -Name 'two words' -Password $accountPassword -Role Reader } }
        @{ Case = 'a short account password'; ErrorId = 'PasswordTooShort'; Category = 'InvalidArgument'; Names = "'shorty'"; Hint = 'at least 12 characters'; Script = { New-SmaWebServiceAccount -Name shorty -Password (ConvertTo-SecureString 'short' -AsPlainText -Force) -Role Reader } }
        @{ Case = 'a short new password'; ErrorId = 'PasswordTooShort'; Category = 'InvalidArgument'; Names = "'Existing'"; Hint = 'at least 12 characters'; Script = { Set-SmaWebServiceAccount -Name Existing -Password (ConvertTo-SecureString 'short' -AsPlainText -Force) } }
        @{ Case = 'an account change with nothing to change'; ErrorId = 'NoAccountChangeGiven'; Category = 'InvalidArgument'; Names = "'Existing'"; Hint = '-Role, -Password'; Script = { Set-SmaWebServiceAccount -Name Existing } }
        @{ Case = 'changing an unknown account'; Terminating = $false; ErrorId = 'AccountNotFound'; Category = 'ObjectNotFound'; Names = "'Ghost'"; Hint = 'New-SmaWebServiceAccount'; Script = { Set-SmaWebServiceAccount -Name Ghost -Role Operator } }
        @{ Case = 'removing an unknown account'; Terminating = $false; ErrorId = 'AccountNotFound'; Category = 'ObjectNotFound'; Names = "'Ghost'"; Hint = 'Get-SmaWebServiceAccount'; Script = { Remove-SmaWebServiceAccount -Name Ghost -Confirm:$false } }
        @{ Case = 'getting an unknown account'; Terminating = $false; ErrorId = 'AccountNotFound'; Category = 'ObjectNotFound'; Names = "'Ghost'"; Hint = 'Get-SmaWebServiceAccount'; Script = { Get-SmaWebServiceAccount -Name Ghost } }
        @{ Case = 'stopping a web service that is not running'; Terminating = $false; ErrorId = 'WebServiceNotRunning'; Category = 'ObjectNotFound'; Names = 'process id 1'; Hint = 'Get-SmaWebService'; Script = { Stop-SmaWebService -ProcessId 1 } }
        @{ Case = 'stopping a web service on a port where none runs'; Terminating = $false; ErrorId = 'WebServiceNotRunning'; Category = 'ObjectNotFound'; Names = 'on port 1'; Hint = 'Get-SmaWebService'; Script = { Stop-SmaWebService -Port 1 } }
        @{ Case = 'starting a web service for another machine'; ErrorId = 'RemoteEndpointNotSupported'; Category = 'InvalidArgument'; Names = 'sma.contoso.com'; Hint = 'run it on the server itself'; Script = { Start-SmaWebService -WebServiceEndpoint 'https://sma.contoso.com' -Port 0 } }
        @{ Case = 'a web service certificate that does not exist'; ErrorId = 'WebServiceCertificateInvalid'; Category = 'InvalidData'; Names = 'nocert.pfx'; Hint = 'omit -Certificate'; Script = { Start-SmaWebService -Port 0 -Certificate "$mods/nocert.pfx" } }
        @{ Case = 'a web service certificate with a wrong password'; ErrorId = 'WebServiceCertificateInvalid'; Category = 'InvalidData'; Names = 'cert.pfx'; Hint = 'its password'; Script = { Start-SmaWebService -Port 0 -Certificate "$mods/cert.pfx" -CertificatePassword (ConvertTo-SecureString 'wrong' -AsPlainText -Force) } }
        @{ Case = 'a web service on a port in use'; ErrorId = 'WebServiceDidNotStart'; Category = 'OpenError'; Names = 'exited with code 1'; Hint = 'in use'; Script = { Start-SmaWebService -Port $takenPort } }
        @{ Case = 'disabling an unknown schedule'; ErrorId = 'ScheduleNotFound'; Category = 'ObjectNotFound'; Names = "'Ghost'"; Hint = 'Get-SmaSchedule'; Script = { Set-SmaSchedule -Name Ghost -IsEnabled $false } }
    ) {
        $before = Get-Fingerprint
        $files = Get-ChildItem $other -File | ForEach-Object { "$($_.Name)=$((Get-FileHash $_.FullName).Hash)" }
        $report = Get-ErrorReport $Script
        $report | Should -Not -BeNullOrEmpty -Because 'bad input must be an error'
        $report.Terminating | Should -Be ($Terminating -ne $false) -Because 'per-item failures are non-terminating, the rest terminating'
        $err = $report.Error
        $err.FullyQualifiedErrorId | Should -BeLike "$ErrorId,*"
        $err.CategoryInfo.Category | Should -Be $Category
        $err.Exception.Message | Should -BeLike "*$Names*" -Because 'the message names the offending thing'
        $err.Exception.Message | Should -BeLike "*$Hint*" -Because 'the message says what to do'
        Get-Fingerprint | Should -Be $before -Because 'the store is left unchanged'
        (Get-ChildItem $other -File | ForEach-Object { "$($_.Name)=$((Get-FileHash $_.FullName).Hash)" }) | Should -Be $files -Because 'foreign files are never modified'
    }

    It 'leaves the store healthy' {
        (Test-SmaStore).Integrity | Should -Be 'ok'
    }
}

Describe 'Runbooks that misbehave get a clear outcome' {
    It 'exit 3 fails the job with the code' {
        New-TestRunbook -Name Exits -Source "'before'; exit 3" | Out-Null
        $job = Start-SmaRunbook Exits -Wait
        $job.JobStatus | Should -Be 'Failed'
        $job.StatusDetails | Should -BeLike '*exited with code 3*'
    }

    It 'Read-Host fails the job at once' {
        New-TestRunbook -Name Asks -Source "Read-Host 'password?'" | Out-Null
        (Start-SmaRunbook Asks -Wait -Timeout 60).StatusDetails | Should -BeLike '*Read-Host*pass the value as a runbook parameter*'
    }

    It 'a job that loops forever can be stopped' {
        Stop-SmaJob -Id $running
        (Wait-SmaJob -Id $running -Timeout 60).JobStatus | Should -Be 'Stopped'
    }

    It 'a huge parameter value round-trips' {
        New-TestRunbook -Name Big -Source 'param([string] $Blob) "$($Blob.Length) $($Blob.Substring(0, 5))"' | Out-Null
        $blob = 'abcde' * 1MB
        $job = Start-SmaRunbook Big -Parameters @{ Blob = $blob } -Wait
        (Get-SmaJobOutput -Id $job -Stream Output).StreamText | Should -Be "$($blob.Length) abcde"
        (Get-SmaJob -Id $job).JobParameters.Blob.Length | Should -Be $blob.Length
    }

    It 'names and values with quotes and SQL fragments round-trip exactly' {
        $nasty = "x'); DROP TABLE jobs; -- `"quoted`" %_* \ ``"
        $runbook = Import-SmaRunbook -Path (Write-File 'Echo.ps1' 'param([string] $Text) $Text') -Description $nasty -Tags $nasty -Publish
        $runbook.Description | Should -BeExactly $nasty
        (Get-SmaRunbook Echo).Tags | Should -BeExactly $nasty
        $job = Start-SmaRunbook Echo -Parameters @{ Text = $nasty } -Wait
        (Get-SmaJobOutput -Id $job -Stream Output).StreamText | Should -BeExactly $nasty
        (Get-SmaJobOutput -Id $job -Stream Output).Value | Should -BeExactly $nasty
        (Get-SmaJob -Id $job).JobParameters.Text | Should -BeExactly $nasty
        @(Get-SmaJob -RunbookName $nasty).Count | Should -Be 0
        (Test-SmaStore).Integrity | Should -Be 'ok'
    }
}
