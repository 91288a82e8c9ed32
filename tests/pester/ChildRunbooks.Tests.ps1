# Inline child runbooks (DESIGN §11): a runbook calls another published runbook by its name, like a command, and the
# child runs inside the same job. (The refusals — a cycle, an unpublished child — are rows of BadInput.Tests.ps1.)

BeforeAll {
    . $PSScriptRoot/TestHelpers.ps1
    Initialize-SmaTestStore
    function Set-RunbookSource([string] $Name, [string] $Source) {
        # A new published version of an existing runbook.
        $path = Join-Path $SmaTestFolder "$Name-next.ps1"
        Set-Content -Path $path -Value $Source
        Edit-SmaRunbook -Name $Name -Path $path -Overwrite | Out-Null
        Publish-SmaRunbook -Name $Name | Out-Null
    }
    function Get-Texts($Job, [string] $Stream = 'Output') { @(Get-SmaJobOutput -Id $Job -Stream $Stream).StreamText }

    # Three deep: Deploy -> Configure-Server -> Check-Secret, a live PSCredential passed all the way down.
    New-TestRunbook -Name Check-Secret -Source @'
param([Parameter(Mandatory)] [pscredential] $Credential, [string] $Server)
Write-Verbose "checking $Server"
Write-Warning "secret checked on $Server"
Write-Progress -Activity 'checking' -Status $Server
"$Server password is $($Credential.GetNetworkCredential().Password)"
'@ | Out-Null
    New-TestRunbook -Name Configure-Server -Source @'
param([pscredential] $Credential, [string] $Server, [int] $Port = 80)
"configuring $Server"
$checked = Check-Secret -Credential $Credential -Server $Server
"configured $Server on $Port ($checked)"
'@ | Out-Null
    New-TestRunbook -Name Deploy -Source @'
param([string[]] $Servers)
$credential = [pscredential]::new('deployer', (ConvertTo-SecureString 'Pa55-w0rd' -AsPlainText -Force))
foreach ($server in $Servers) {
    $result = Configure-Server -Credential $credential -Server $server -Port 8080
    "deploy saw: $($result -join ' / ')"
}
$positional = Configure-Server $credential 'pos1' 81
"positional: $($positional[-1])"
'@ | Out-Null
    # Logging is the parent's: the children's own settings do not matter inside its job.
    Set-SmaRunbookConfiguration -Name Deploy -LogVerbose $true | Out-Null
    Set-SmaRunbookConfiguration -Name Check-Secret -LogProgress $true | Out-Null
}

AfterAll {
    Stop-TestJobs
    Remove-SmaTestStore
}

Describe 'Calling runbooks from runbooks' {
    It 'runs children three deep with a PSCredential, returning their output to the caller' {
        $job = Start-SmaRunbook Deploy -Parameters @{ Servers = 'web1', 'web2' } -Wait -Timeout 120
        $job.JobStatus | Should -Be 'Completed' -Because $job.JobException
        $output = Get-Texts $job
        $output | Should -Contain 'deploy saw: configuring web1 / configured web1 on 8080 (web1 password is Pa55-w0rd)'
        $output | Should -Contain 'deploy saw: configuring web2 / configured web2 on 8080 (web2 password is Pa55-w0rd)'
        $output | Should -Contain 'positional: configured pos1 on 81 (pos1 password is Pa55-w0rd)'
        # Output the caller captured in a variable is the caller's: it is recorded once, as the caller wrote it.
        $output.Count | Should -Be 3
    }

    It 'records the children''s records in the job''s streams, under the parent''s logging settings' {
        $job = Start-SmaRunbook Deploy -Parameters @{ Servers = 'db1' } -Wait -Timeout 120
        Get-Texts $job Verbose | Should -Be @('checking db1', 'checking pos1')
        Get-Texts $job Warning | Should -Be @('secret checked on db1', 'secret checked on pos1')
        (Get-SmaJob -Id $job).WarningCount | Should -Be 2
        Get-Texts $job Progress | Should -BeNullOrEmpty -Because 'Deploy does not log progress; the child''s setting does not apply'
        # Records keep their order across the runbooks: one sequence for the job.
        $all = @(Get-SmaJobOutput -Id $job)
        $all.StreamRecordId | Should -Be (1..$all.Count)
        $all[0].StreamText | Should -Be 'checking db1'
    }

    It 'lets the caller catch a child''s terminating error, which names the child and its line' {
        New-TestRunbook -Name Fragile -Source "param([int] `$Level)`n'fragile start'`nif (`$Level -gt 1) { throw `"level `$Level is too high`" }`n'fragile ok'" | Out-Null
        New-TestRunbook -Name Careful -Source @'
try {
    Fragile -Level 5
    'not reached'
}
catch {
    "caught: $($_.Exception.Message) at $($_.InvocationInfo.ScriptName):$($_.InvocationInfo.ScriptLineNumber)"
}
Fragile 1
'@ | Out-Null
        $job = Start-SmaRunbook Careful -Wait -Timeout 120
        $job.JobStatus | Should -Be 'Completed'
        Get-Texts $job | Should -Be @('fragile start', 'caught: level 5 is too high at Fragile:3', 'fragile start', 'fragile ok')
    }

    It 'fails the job on a child''s uncaught error, with the child''s name and line in the details' {
        New-TestRunbook -Name Reckless -Source "'calling'`nFragile -Level 9`n'not reached'" | Out-Null
        $job = Start-SmaRunbook Reckless -Wait -Timeout 120
        $job.JobStatus | Should -Be 'Failed'
        $job.StatusDetails | Should -Be "level 9 is too high (runbook 'Fragile', line 3, char 21)"
        $job.JobException | Should -BeLike '*At Fragile:3 char:21*'
        $job.JobException | Should -BeLike '*Fragile: line 3*'
        Get-Texts $job | Should -Be @('calling', 'fragile start')
    }

    It 'names the child''s line in a non-terminating error it writes' {
        New-TestRunbook -Name Grumbles -Source "'one'`nGet-Item -Path /no/such/grumble" | Out-Null
        New-TestRunbook -Name Listens -Source "Grumbles`n'after'" | Out-Null
        $job = Start-SmaRunbook Listens -Wait -Timeout 120
        $job.JobStatus | Should -Be 'Completed'
        $job.ErrorCount | Should -Be 1
        Get-Texts $job Error | Should -BeLike '*/no/such/grumble*At Grumbles:2 char:1*'
    }

    It 'runs a child from a Workflow runbook' {
        New-TestRunbook -Name Flowing -RunbookType Workflow -Source "param([int] `$N = 3)`n`$x = Configure-Server -Server flow -Port `$N -Credential ([pscredential]::new('u', (ConvertTo-SecureString 'wf' -AsPlainText -Force)))`n`$x[-1]" | Out-Null
        $job = Start-SmaRunbook Flowing -Wait -Timeout 120
        $job.JobStatus | Should -Be 'Completed' -Because $job.JobException
        Get-Texts $job | Should -Be 'configured flow on 3 (flow password is wf)'
    }

    It 'prefers a function the runbook defines, and a command of the session, over a runbook of that name' {
        New-TestRunbook -Name Helper -Source "'the Helper runbook'" | Out-Null
        New-TestRunbook -Name Get-Random -Source "'the Get-Random runbook'" | Out-Null
        New-TestRunbook -Name Shadows -Source "function Helper { 'my own helper' }`nHelper`nGet-Random -Minimum 5 -Maximum 6" | Out-Null
        $job = Start-SmaRunbook Shadows -Wait -Timeout 120
        Get-Texts $job | Should -Be @('my own helper', '5')
        Get-SmaJob -Id $job | Get-SmaRunbookDefinition -Children | Should -BeNullOrEmpty

        New-TestRunbook -Name UsesHelper -Source 'helper' | Out-Null
        $job = Start-SmaRunbook UsesHelper -Wait -Timeout 120
        Get-Texts $job | Should -Be 'the Helper runbook' -Because 'names match in any case'
        (Get-SmaJob -Id $job | Get-SmaRunbookDefinition -Children).RunbookName | Should -Be 'Helper'
    }
}

Describe 'The versions a job used' {
    It 'keeps the child versions with the job: a later publish changes new jobs only' {
        New-TestRunbook -Name Leaf -Source "'leaf v1'" | Out-Null
        New-TestRunbook -Name Branch -Source "'branch v1'; Leaf" | Out-Null
        New-TestRunbook -Name Trunk -Source 'Branch' | Out-Null
        $first = Start-SmaRunbook Trunk -Wait -Timeout 120
        Get-Texts $first | Should -Be @('branch v1', 'leaf v1')
        $v1 = @(Get-SmaJob -Id $first | Get-SmaRunbookDefinition -Children)
        $v1.RunbookName | Should -Be @('Branch', 'Leaf')

        Set-RunbookSource Leaf "'leaf v2'"
        $second = Start-SmaRunbook Trunk -Wait -Timeout 120
        Get-Texts $second | Should -Be @('branch v1', 'leaf v2')

        $after = @(Get-SmaJob -Id $first | Get-SmaRunbookDefinition -Children)
        $after.RunbookVersion.RunbookVersionID | Should -Be $v1.RunbookVersion.RunbookVersionID
        $after.Content.Trim() | Should -Be @("'branch v1'; Leaf", "'leaf v1'")
        (@(Get-SmaJob -Id $second | Get-SmaRunbookDefinition -Children) | Where-Object RunbookName -EQ Leaf).Content.Trim() | Should -Be "'leaf v2'"
        # Without -Children: the runbook's own source, as before.
        (Get-SmaJob -Id $first | Get-SmaRunbookDefinition).Content.Trim() | Should -Be 'Branch'
        Get-SmaRunbookDefinition -JobId $first.JobId -Children | Should -HaveCount 2
    }

    It 'lists nothing for a job that called no runbook' {
        New-TestRunbook -Name Alone -Source "'alone'" | Out-Null
        $job = Start-SmaRunbook Alone -Wait -Timeout 120
        Get-SmaJob -Id $job | Get-SmaRunbookDefinition -Children | Should -BeNullOrEmpty
    }

    It 'resumes a job with the child versions of its first run' {
        New-TestRunbook -Name Step -Source "param(`$N) `"step v1 `$N`"" | Out-Null
        New-TestRunbook -Name Pauses -RunbookType Workflow -Source "Step 1`nSuspend-Workflow`nStep 2" | Out-Null
        $job = Start-SmaRunbook Pauses -Wait -Timeout 120
        $job.JobStatus | Should -Be 'Suspended'
        Set-RunbookSource Step "param(`$N) `"step v2 `$N`""
        Resume-SmaJob -Id $job
        (Wait-SmaJob -Id $job -Timeout 120).JobStatus | Should -Be 'Completed'
        Get-Texts $job | Should -Be @('step v1 1', 'step v1 2')
        (Get-Texts (Start-SmaRunbook Step -Parameters @{ N = 3 } -Wait -Timeout 120)) | Should -Be 'step v2 3'
    }

    It 'keeps the version a job ran when the child runbook is removed' {
        New-TestRunbook -Name Ephemeral -Source "'ephemeral'" | Out-Null
        New-TestRunbook -Name CallsEphemeral -Source 'Ephemeral' | Out-Null
        $job = Start-SmaRunbook CallsEphemeral -Wait -Timeout 120
        Remove-SmaRunbook -Name Ephemeral -Confirm:$false
        (Get-SmaJob -Id $job | Get-SmaRunbookDefinition -Children).Content.Trim() | Should -Be "'ephemeral'"
    }
}
