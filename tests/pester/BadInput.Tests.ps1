# The bad-input table (DESIGN §8): every bad input is a terminating ErrorRecord with a stable ErrorId, the right
# category, a message that names the offending thing and says what to do — and the store is left unchanged.

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
    $bin = Join-Path $SmaTestFolder 'Binary.ps1'
    [IO.File]::WriteAllBytes($bin, [byte[]](0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13))
    function Get-Fingerprint { $r = Test-SmaStore; "$($r.Integrity)|$($r.Runbooks)|$($r.Jobs)|$($r.StreamRecords)|$($r.Checkpoints)" }
}

AfterAll {
    Stop-TestJobs
    Remove-SmaTestStore
}

Describe 'Bad input' {
    It '<Case>: <ErrorId> (<Category>)' -ForEach @(
        @{ Case = 'an unknown runbook'; ErrorId = 'RunbookNotFound'; Category = 'ObjectNotFound'; Names = 'NoSuchRunbook'; Hint = 'Import-SmaRunbook'; Script = { Start-SmaRunbook -Name NoSuchRunbook } }
        @{ Case = 'an unknown runbook id'; ErrorId = 'RunbookNotFound'; Category = 'ObjectNotFound'; Names = '00000000-0000-0000-0000-00000000abcd'; Hint = 'Get-SmaRunbook'; Script = { Start-SmaRunbook -Id '00000000-0000-0000-0000-00000000abcd' } }
        @{ Case = 'an unpublished runbook'; ErrorId = 'RunbookNotPublished'; Category = 'InvalidOperation'; Names = 'Draft1'; Hint = 'Publish-SmaRunbook'; Script = { Start-SmaRunbook -Name Draft1 } }
        @{ Case = 'an unknown parameter'; ErrorId = 'UnknownParameter'; Category = 'InvalidArgument'; Names = "'Colour'"; Hint = 'Its parameters are: Name, Count'; Script = { Start-SmaRunbook Typed -Parameters @{ Name = 'a'; Colour = 'red' } } }
        @{ Case = 'a missing mandatory parameter'; ErrorId = 'MissingMandatoryParameter'; Category = 'InvalidArgument'; Names = "'Name'"; Hint = 'pass it in -Parameters'; Script = { Start-SmaRunbook Typed -Parameters @{ Count = 2 } } }
        @{ Case = 'a value of the wrong type'; ErrorId = 'InvalidParameterValue'; Category = 'InvalidArgument'; Names = "'Count'"; Hint = '[Int32]'; Script = { Start-SmaRunbook Typed -Parameters @{ Name = 'a'; Count = 'lots' } } }
        @{ Case = 'a parameter given twice'; ErrorId = 'DuplicateParameter'; Category = 'InvalidArgument'; Names = "'Count'"; Hint = 'more than once'; Script = { Start-SmaRunbook Typed -Parameters @{ Name = 'a'; Count = 1; N = 2 } } }
        @{ Case = 'a cycle of child runbooks'; ErrorId = 'ChildRunbookCycle'; Category = 'InvalidOperation'; Names = 'CycleA -> CycleB -> CycleA'; Hint = 'start it as a separate job with Start-SmaRunbook'; Script = { Start-SmaRunbook -Name CycleA } }
        @{ Case = 'a runbook calling itself inline'; ErrorId = 'ChildRunbookCycle'; Category = 'InvalidOperation'; Names = 'Selfish -> Selfish'; Hint = 'No job was created'; Script = { Start-SmaRunbook -Name Selfish -Parameters @{ N = 2 } } }
        @{ Case = 'an unpublished child runbook'; ErrorId = 'ChildRunbookNotPublished'; Category = 'InvalidOperation'; Names = 'CallsDraft -> Draft1'; Hint = "Publish-SmaRunbook -Name 'Draft1'"; Script = { Start-SmaRunbook -Name CallsDraft } }
        @{ Case = 'a malformed job id'; ErrorId = 'InvalidJobId'; Category = 'InvalidArgument'; Names = 'not-a-guid'; Hint = 'a job id is a GUID'; Script = { Get-SmaJob -Id 'not-a-guid' } }
        @{ Case = 'an unknown job id'; ErrorId = 'JobNotFound'; Category = 'ObjectNotFound'; Names = '11111111-2222-3333-4444-555555555555'; Hint = 'Get-SmaJob'; Script = { Stop-SmaJob -Id '11111111-2222-3333-4444-555555555555' } }
        @{ Case = 'stopping a Completed job'; ErrorId = 'InvalidJobStateTransition'; Category = 'InvalidOperation'; Names = 'is Completed'; Hint = 'left unchanged'; Script = { Stop-SmaJob -Id $completed } }
        @{ Case = 'suspending a Completed job'; ErrorId = 'InvalidJobStateTransition'; Category = 'InvalidOperation'; Names = 'Suspend-SmaJob'; Hint = 'left unchanged'; Script = { Suspend-SmaJob -Id $completed } }
        @{ Case = 'resuming a Running job'; ErrorId = 'InvalidJobStateTransition'; Category = 'InvalidOperation'; Names = 'is Running'; Hint = 'left unchanged'; Script = { Resume-SmaJob -Id $running } }
        @{ Case = 'removing a running job'; ErrorId = 'JobNotFinished'; Category = 'InvalidOperation'; Names = 'is Running'; Hint = 'Stop it first'; Script = { Remove-SmaJob -Id $running -Confirm:$false } }
        @{ Case = 'a syntax error'; ErrorId = 'RunbookSyntaxError'; Category = 'ParserError'; Names = 'Line 2, column'; Hint = 'nothing was imported'; Script = { Import-SmaRunbook -Path (Write-File 'Broken.ps1' "'ok'`nif (`$x -eq {") } }
        @{ Case = 'an empty runbook file'; ErrorId = 'RunbookFileEmpty'; Category = 'InvalidData'; Names = 'Empty.ps1'; Hint = 'needs PowerShell source'; Script = { Import-SmaRunbook -Path (Write-File 'Empty.ps1' '') } }
        @{ Case = 'a binary runbook file'; ErrorId = 'RunbookFileNotText'; Category = 'InvalidData'; Names = 'Binary.ps1'; Hint = 'must be PowerShell source'; Script = { Import-SmaRunbook -Path $bin } }
        @{ Case = 'a missing runbook file'; ErrorId = 'RunbookFileNotFound'; Category = 'ObjectNotFound'; Names = 'Missing.ps1'; Hint = 'does not exist'; Script = { Import-SmaRunbook -Path (Join-Path $SmaTestFolder 'Missing.ps1') } }
        @{ Case = 'SMA workflow source'; ErrorId = 'WorkflowSourceNotSupported'; Category = 'NotImplemented'; Names = "'Flow'"; Hint = 'RunbookType Workflow'; Script = { Import-SmaRunbook -Path (Write-File 'Flow.ps1' "workflow Flow { 'x' }") } }
        @{ Case = 'a runbook name with a quote'; ErrorId = 'InvalidRunbookName'; Category = 'InvalidArgument'; Names = "Bob's"; Hint = 'letters, digits'; Script = { Import-SmaRunbook -Path (Write-File 'q.ps1' "'x'") -Name "Bob's" } }
        @{ Case = 'a runbook name with SQL in it'; ErrorId = 'InvalidRunbookName'; Category = 'InvalidArgument'; Names = 'DROP TABLE'; Hint = 'letters, digits'; Script = { Import-SmaRunbook -Path (Write-File 's.ps1' "'x'") -Name "x'); DROP TABLE jobs; --" } }
        @{ Case = 'a runbook that exists'; ErrorId = 'RunbookAlreadyExists'; Category = 'ResourceExists'; Names = "'Typed'"; Hint = 'Edit-SmaRunbook'; Script = { Import-SmaRunbook -Path (Write-File 'Typed.ps1' "'x'") } }
        @{ Case = 'a second draft without -Overwrite'; ErrorId = 'RunbookDraftExists'; Category = 'ResourceExists'; Names = "'Draft1'"; Hint = '-Overwrite'; Script = { Edit-SmaRunbook -Name Draft1 -Path (Write-File 'd2.ps1' "'x'") } }
        @{ Case = 'publishing without a draft'; ErrorId = 'RunbookHasNoDraft'; Category = 'InvalidOperation'; Names = "'Typed'"; Hint = 'Edit-SmaRunbook'; Script = { Publish-SmaRunbook -Name Typed } }
        @{ Case = 'an unknown runbook version'; ErrorId = 'RunbookVersionNotFound'; Category = 'ObjectNotFound'; Names = '22222222-0000-0000-0000-000000000000'; Hint = 'runbook version'; Script = { Get-SmaRunbookDefinition -VersionId '22222222-0000-0000-0000-000000000000' } }
        @{ Case = 'configuring an unknown runbook'; ErrorId = 'RunbookNotFound'; Category = 'ObjectNotFound'; Names = 'Ghost'; Hint = 'Get-SmaRunbook'; Script = { Set-SmaRunbookConfiguration -Name Ghost -LogVerbose $true } }
        @{ Case = 'a remote endpoint'; ErrorId = 'RemoteEndpointNotSupported'; Category = 'NotImplemented'; Names = 'sma.contoso.com'; Hint = 'omit -WebServiceEndpoint'; Script = { Get-SmaJob -WebServiceEndpoint 'https://sma.contoso.com' -Port 9090 } }
        @{ Case = 'a store in a missing folder'; ErrorId = 'StoreFolderMissing'; Category = 'ObjectNotFound'; Names = 'no/such/folder'; Hint = 'Create it'; Script = { Get-SmaJob -StorePath (Join-Path $SmaTestFolder 'no/such/folder/sma.db') } }
        @{ Case = 'a store in a read-only place'; ErrorId = 'StoreUnavailable'; Category = 'ResourceUnavailable'; Names = '/sys/sma-test.db'; Hint = 'cannot be opened'; Script = { Get-SmaJob -StorePath '/sys/sma-test.db' } }
        @{ Case = 'a corrupt store file'; ErrorId = 'StoreNotRecognized'; Category = 'InvalidData'; Names = 'corrupt.db'; Hint = 'SMA_STORE'; Script = { Get-SmaJob -StorePath "$other/corrupt.db" } }
        @{ Case = 'another application''s database'; ErrorId = 'StoreNotRecognized'; Category = 'InvalidData'; Names = 'foreign.db'; Hint = 'another application'; Script = { Get-SmaJob -StorePath "$other/foreign.db" } }
        @{ Case = 'a store from a newer version'; ErrorId = 'StoreSchemaTooNew'; Category = 'InvalidData'; Names = 'newer.db'; Hint = 'Update the Sma module'; Script = { Get-SmaJob -StorePath "$other/newer.db" } }
        @{ Case = 'an invalid worker name'; ErrorId = 'InvalidWorkerName'; Category = 'InvalidArgument'; Names = 'bad name!'; Hint = 'letters, digits'; Script = { Start-SmaWorker -Name 'bad name!' } }
        @{ Case = 'stopping a worker that is not running'; ErrorId = 'WorkerNotRunning'; Category = 'ObjectNotFound'; Names = "'Nobody'"; Hint = 'Get-SmaRunbookWorkerDeployment'; Script = { Stop-SmaWorker -Name Nobody } }
        @{ Case = 'an admin change with no setting'; ErrorId = 'NoAdminSettingGiven'; Category = 'InvalidArgument'; Names = 'Set-SmaAdminConfiguration'; Hint = '-MaxJobRecords'; Script = { Set-SmaAdminConfiguration -Confirm:$false } }
        @{ Case = 'a negative -MaxJobRecords'; ErrorId = 'ParameterArgumentValidationError'; Category = 'InvalidData'; Names = 'MaxJobRecords'; Hint = '0'; Script = { Set-SmaAdminConfiguration -MaxJobRecords -5 -Confirm:$false } }
        @{ Case = 'an out-of-range -First'; ErrorId = 'ParameterArgumentValidationError'; Category = 'InvalidData'; Names = 'First'; Hint = '0'; Script = { Get-SmaJob -First 0 } }
        @{ Case = 'an unknown $env:SMA_ISOLATION'; ErrorId = 'InvalidIsolation'; Category = 'InvalidArgument'; Names = "'Fiber'"; Hint = 'use Thread'; Script = { $env:SMA_ISOLATION = 'Fiber'; try { Start-SmaRunbook Typed -Parameters @{ Name = 'a' } } finally { Remove-Item Env:SMA_ISOLATION } } }
        @{ Case = 'an unknown -Isolation'; ErrorId = 'ParameterArgumentValidationError'; Category = 'InvalidData'; Names = 'Fiber'; Hint = 'Thread,Process'; Script = { Set-SmaSessionOption -Isolation Fiber } }
        @{ Case = 'an unknown -Stream'; ErrorId = 'ParameterArgumentValidationError'; Category = 'InvalidData'; Names = 'Bogus'; Hint = 'Output'; Script = { Get-SmaJobOutput -Id $completed -Stream Bogus } }
    ) {
        $before = Get-Fingerprint
        $files = Get-ChildItem $other -File | ForEach-Object { "$($_.Name)=$((Get-FileHash $_.FullName).Hash)" }
        $err = Get-TerminatingError $Script
        $err | Should -Not -BeNullOrEmpty -Because 'bad input must be a terminating error'
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
