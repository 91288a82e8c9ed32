# Parameters (DESIGN §4.6): checked against param() before a job exists, passed by value,
# JobParameters ordered and case-insensitive, secrets encrypted at rest and masked.

BeforeAll {
    . $PSScriptRoot/TestHelpers.ps1
    Initialize-SmaTestStore
    New-TestRunbook -Name Typed -Source @'
param(
    [Parameter(Mandatory)] [string] $Name,
    [Alias('N')] [int] $Count = 1,
    [hashtable] $Options,
    [datetime] $When,
    [switch] $Loud
)
"$Name|$Count|$($Options.Color)|$($When.Year)|$Loud"
if ($Options) { $Options.Color = 'changed in the job' }
'@ | Out-Null
    # The runbook reports fingerprints of what it received, so its own output never holds a secret.
    New-TestRunbook -Name Secret -Source @'
param([pscredential] $Credential, [securestring] $Pin, [hashtable] $Bag)
function Hash([string] $Text) { [Convert]::ToHexString([Security.Cryptography.SHA256]::HashData([Text.Encoding]::UTF8.GetBytes($Text))) }
"user=$($Credential.UserName)"
"password=$(Hash $Credential.GetNetworkCredential().Password)"
"pin=$(Hash ([Net.NetworkCredential]::new('', $Pin).Password))"
"bagged=$(Hash $Bag.Inner.GetNetworkCredential().Password)"
'@ | Out-Null
    function Hash([string] $Text) { [Convert]::ToHexString([Security.Cryptography.SHA256]::HashData([Text.Encoding]::UTF8.GetBytes($Text))) }
}

AfterAll {
    Remove-SmaTestStore
}

Describe 'Checking parameters against param()' {
    It 'refuses <Case> and creates no job' -ForEach @(
        @{ Case = 'an unknown name'; ErrorId = 'UnknownParameter'; Text = "no parameter named 'Colour'"; Parameters = @{ Name = 'a'; Colour = 'red' } }
        @{ Case = 'a missing mandatory parameter'; ErrorId = 'MissingMandatoryParameter'; Text = "'Name'"; Parameters = @{ Count = 2 } }
        @{ Case = 'a value of the wrong type'; ErrorId = 'InvalidParameterValue'; Text = '[Int32]'; Parameters = @{ Name = 'a'; Count = 'many' } }
        @{ Case = 'a date that is not a date'; ErrorId = 'InvalidParameterValue'; Text = '[DateTime]'; Parameters = @{ Name = 'a'; When = 'someday' } }
        @{ Case = 'a name given twice (by alias)'; ErrorId = 'DuplicateParameter'; Text = 'more than once'; Parameters = @{ Name = 'a'; Count = 1; N = 2 } }
    ) {
        $before = @(Get-SmaJob).Count
        $err = Get-TerminatingError { Start-SmaRunbook -Name Typed -Parameters $Parameters }
        $err.FullyQualifiedErrorId | Should -BeLike "$ErrorId,*"
        $err.CategoryInfo.Category | Should -Be 'InvalidArgument'
        $err.Exception.Message | Should -BeLike "*$Text*"
        $err.Exception.Message | Should -BeLike '*No job was created*'
        @(Get-SmaJob).Count | Should -Be $before
    }

    It 'accepts aliases, case-insensitive names, switches and convertible values' {
        $job = Start-SmaRunbook -Name Typed -Parameters @{ name = 'Ann'; n = '3'; Loud = $true; When = '2024-05-01' } -Wait
        $job.JobStatus | Should -Be 'Completed'
        (Get-SmaJobOutput $job -Stream Output).StreamText | Should -Be 'Ann|3||2024|True'
    }
}

Describe 'JobParameters' {
    BeforeAll {
        $options = @{ Color = 'blue' }
        $job = Start-SmaRunbook -Name Typed -Parameters ([ordered]@{ Options = $options; Count = 2; Name = 'Bob' }) -Wait
    }

    It 'is ordered as the param() block declares and case-insensitive' {
        $job.JobParameters.Keys | Should -Be @('Name', 'Count', 'Options')
        $job.JobParameters['NAME'] | Should -Be 'Bob'
        $job.JobParameters['count'] | Should -Be 2
        $job.JobParameters.Options.Color | Should -Be 'blue'
    }

    It 'passes values by value: the job''s changes do not reach the caller' {
        (Get-SmaJobOutput $job -Stream Output).StreamText | Should -Be 'Bob|2|blue||False'
        $options.Color | Should -Be 'blue'
    }

    It 'keeps the stored values: another session sees the same parameters' {
        $lines = Invoke-ChildPwsh "(Get-SmaJob -Id '$job').JobParameters.GetEnumerator() | ForEach-Object { `"`$(`$_.Key)=`$(`$_.Value)`" }"
        $lines | Should -Be @('Name=Bob', 'Count=2', 'Options=System.Collections.Hashtable')
    }
}

Describe 'Secrets' {
    BeforeAll {
        $password = 'Tr0ub4dor&3-horse'
        $pin = '9081726354'
        $inner = 'Inner-Secret-7788'
        $credential = [pscredential]::new('deploy', (ConvertTo-SecureString $password -AsPlainText -Force))
        $job = Start-SmaRunbook -Name Secret -Wait -Parameters @{
            Credential = $credential
            Pin        = ConvertTo-SecureString $pin -AsPlainText -Force
            Bag        = @{ Inner = [pscredential]::new('x', (ConvertTo-SecureString $inner -AsPlainText -Force)) }
        }
    }

    It 'reach the runbook intact' {
        $job.JobStatus | Should -Be 'Completed'
        (Get-SmaJobOutput $job -Stream Output).StreamText | Should -Be @(
            'user=deploy', "password=$(Hash $password)", "pin=$(Hash $pin)", "bagged=$(Hash $inner)")
    }

    It 'are shown masked in JobParameters' {
        $shown = (Get-SmaJob -Id $job).JobParameters
        $shown.Credential | Should -Be 'PSCredential (UserName: deploy, Password: ********)'
        $shown.Pin | Should -Be '********'
        $shown.Bag | Should -BeLike '*secret*'
        ($shown.Values -join ' ') | Should -Not -Match ([regex]::Escape($password))
    }

    It 'are in no readable form in the store file or its WAL (plain, UTF-16, hex, base64)' {
        $content = Get-SmaTestStoreContent
        $content.Length | Should -BeGreaterThan 1000
        foreach ($secret in $password, $pin, $inner) {
            $utf8 = [Text.Encoding]::UTF8.GetBytes($secret)
            $utf16 = [Text.Encoding]::Unicode.GetBytes($secret)
            $forms = @(
                $secret
                [Text.Encoding]::Latin1.GetString($utf16)
                [Convert]::ToHexString($utf8), [Convert]::ToHexString($utf8).ToLowerInvariant()
                [Convert]::ToHexString($utf16), [Convert]::ToHexString($utf16).ToLowerInvariant()
                [Convert]::ToBase64String($utf8), [Convert]::ToBase64String($utf16)
            )
            foreach ($form in $forms) {
                $content.Contains($form) | Should -BeFalse -Because "'$form' would reveal a secret"
            }
        }
    }

    It 'keeps the key outside the store, owner-only' -Skip:$IsWindows {
        Test-Path $env:SMA_KEY_FILE | Should -BeTrue
        (Get-Item $env:SMA_KEY_FILE).UnixFileMode | Should -Be ([IO.UnixFileMode]'UserRead, UserWrite')
    }
}
