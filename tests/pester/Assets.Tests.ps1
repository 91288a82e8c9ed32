# Assets (DESIGN §10, §4.6): variables, credentials, connections, certificates; the activities jobs read them with;
# secrets encrypted at rest and kept out of every record, checkpoint and status detail of the jobs that read them.

BeforeAll {
    . $PSScriptRoot/TestHelpers.ps1
    Initialize-SmaTestStore
    $env:SMA_MODULES_FOLDER = Join-Path $SmaTestFolder 'modules'

    function Hash([string] $Text) { [Convert]::ToHexString([Security.Cryptography.SHA256]::HashData([Text.Encoding]::UTF8.GetBytes($Text))) }
    function Secure([string] $Text) { ConvertTo-SecureString $Text -AsPlainText -Force }

    # Every readable form of each secret, as Parameters.Tests.ps1 searches: plain, UTF-16, hex and base64; and as
    # CliXml writes it (XML escapes, PowerShell's _xHHHH_ encoding), since records and checkpoints are CliXml.
    function Find-SecretInStore([string[]] $Secrets, [byte[][]] $Blobs = @()) {
        $content = Get-SmaTestStoreContent
        foreach ($secret in $Secrets) {
            $utf8 = [Text.Encoding]::UTF8.GetBytes($secret)
            $utf16 = [Text.Encoding]::Unicode.GetBytes($secret)
            $forms = @(
                $secret
                [Text.Encoding]::Latin1.GetString($utf16)
                [Convert]::ToHexString($utf8), [Convert]::ToHexString($utf8).ToLowerInvariant()
                [Convert]::ToHexString($utf16), [Convert]::ToHexString($utf16).ToLowerInvariant()
                [Convert]::ToBase64String($utf8), [Convert]::ToBase64String($utf16)
                $secret.Replace('&', '&amp;').Replace('<', '&lt;').Replace('>', '&gt;')
                ([Management.Automation.PSSerializer]::Serialize($secret) -replace '(?s)^.*<S>(.*)</S>.*$', '$1')
            )
            foreach ($form in $forms) { if ($content.Contains($form)) { "'$secret' as '$form'" } }
        }
        foreach ($blob in $Blobs) {
            # As raw bytes (a file) or as hex (a dump of a database's bytea).
            if ($content.Contains([Text.Encoding]::Latin1.GetString($blob)) -or $content.Contains([Convert]::ToHexString($blob).ToLowerInvariant())) {
                "a binary secret of $($blob.Length) bytes"
            }
        }
    }

    # A self-signed certificate with its private key, as a .pfx with a password and as a .cer.
    $script:rsa = [Security.Cryptography.RSA]::Create(2048)
    $request = [Security.Cryptography.X509Certificates.CertificateRequest]::new(
        'CN=Sma Asset Test', $rsa, [Security.Cryptography.HashAlgorithmName]::SHA256, [Security.Cryptography.RSASignaturePadding]::Pkcs1)
    $script:certificate = $request.CreateSelfSigned([DateTimeOffset]::UtcNow.AddDays(-1), [DateTimeOffset]::UtcNow.AddDays(90))
    $script:pfxPassword = 'Pfx-Pa55word!x'
    $script:pfx = Join-Path $SmaTestFolder 'signing.pfx'
    [IO.File]::WriteAllBytes($pfx, $certificate.Export('Pkcs12', $pfxPassword))
    $script:cer = Join-Path $SmaTestFolder 'signing.cer'
    [IO.File]::WriteAllBytes($cer, $certificate.Export('Cert'))
    $script:privateKey = $rsa.ExportPkcs8PrivateKey()

    $script:password = 'Tr0ub4dor&3-horse'
    $script:pin = '90817263'
    $script:fieldSecret = 'Conn<Secret>_x41"'
}

AfterAll {
    Stop-TestJobs
    Remove-Item Env:SMA_MODULES_FOLDER -ErrorAction Ignore
    Remove-SmaTestStore
}

Describe 'Variables' {
    It 'keeps <Type> values as they were set' -ForEach @(
        @{ Type = 'String'; Value = 'hello'; Check = { $args[0] | Should -BeExactly 'hello' } }
        @{ Type = 'Int'; Value = 42; Check = { $args[0] | Should -Be 42; $args[0] | Should -BeOfType [int] } }
        @{ Type = 'Bool'; Value = $true; Check = { $args[0] | Should -BeTrue; $args[0] | Should -BeOfType [bool] } }
        @{ Type = 'DateTime'; Value = [datetime]'2024-05-01T10:30:00'; Check = { $args[0] | Should -Be ([datetime]'2024-05-01T10:30:00') } }
        @{ Type = 'Hashtable'; Value = @{ Region = 'west'; Size = 3 }; Check = { $args[0].Region | Should -Be 'west'; $args[0].Size | Should -Be 3 } }
    ) {
        $variable = Set-SmaVariable -Name "Var$Type" -Value $Value -Description "a $Type" -PassThru
        $variable.Name | Should -Be "Var$Type"
        $variable.IsEncrypted | Should -BeFalse
        & $Check (Get-SmaVariable -Name "Var$Type").Value
        $shown = Get-SmaVariable -Name "var$($Type.ToLower())"
        $shown.PSObject.Properties.Name | Should -Be @('VariableID', 'Name', 'Value', 'IsEncrypted', 'Description', 'CreationTime', 'LastModifiedTime')
        $shown.Description | Should -Be "a $Type"
    }

    It 'updates a value of the same type, keeping the id, the creation time and the description' {
        $before = Get-SmaVariable VarInt
        Set-SmaVariable -Name varint -Value 43
        $after = Get-SmaVariable VarInt
        $after.Value | Should -Be 43
        $after.Name | Should -BeExactly 'VarInt' -Because 'names are unique in any case; the first spelling stays'
        $after.VariableID | Should -Be $before.VariableID
        $after.CreationTime | Should -Be $before.CreationTime
        $after.LastModifiedTime | Should -BeGreaterThan $before.LastModifiedTime
        $after.Description | Should -Be 'a Int'
    }

    It 'refuses a value of another type unless -Force, changing nothing' {
        $err = Get-TerminatingError { Set-SmaVariable -Name VarInt -Value 'forty' }
        $err.FullyQualifiedErrorId | Should -BeLike 'VariableTypeMismatch,*'
        $err.Exception.Message | Should -BeLike "*'VarInt' holds a value of type Int*of type String*-Force*"
        (Get-SmaVariable VarInt).Value | Should -Be 43
        Set-SmaVariable -Name VarInt -Value 'forty' -Force
        (Get-SmaVariable VarInt).Value | Should -BeExactly 'forty'
    }

    It 'stores an encrypted variable without showing its value' {
        $variable = Set-SmaVariable -Name SecretPin -Value $pin -Encrypted -Description 'the pin' -PassThru
        $variable.IsEncrypted | Should -BeTrue
        $variable.Value | Should -BeNullOrEmpty
        (Get-SmaVariable SecretPin).Value | Should -BeNullOrEmpty
        (Get-SmaVariable SecretPin | Format-Table | Out-String) | Should -BeLike '*(encrypted)*'
        (Get-SmaVariable SecretPin | Format-List * | Out-String) | Should -Not -BeLike "*$pin*"
    }

    It 'fixes encryption at creation, as SMA does' {
        $err = Get-TerminatingError { Set-SmaVariable -Name VarString -Value 'x' -Encrypted }
        $err.FullyQualifiedErrorId | Should -BeLike 'VariableEncryptionFixed,*'
        $err.Exception.Message | Should -BeLike "*'VarString' is not encrypted*Remove-SmaVariable*"
        (Get-SmaVariable VarString).Value | Should -Be 'hello'
        (Get-TerminatingError { Set-SmaVariable -Name SecretPin -Value '1' -Encrypted:$false }).FullyQualifiedErrorId | Should -BeLike 'VariableEncryptionFixed,*'
        Set-SmaVariable -Name SecretPin -Value $pin  # no -Encrypted: it stays encrypted
        (Get-SmaVariable SecretPin).IsEncrypted | Should -BeTrue
    }

    It 'lists by wildcard and reports a missing name without stopping the pipeline' {
        (Get-SmaVariable -Name 'Var*').Name | Should -Be @('VarBool', 'VarDateTime', 'VarHashtable', 'VarInt', 'VarString')
        @(Get-SmaVariable -Name 'Nothing*').Count | Should -Be 0
        $found = Get-SmaVariable -Name VarBool, Missing, VarString -ErrorVariable problems -ErrorAction SilentlyContinue
        $found.Name | Should -Be @('VarBool', 'VarString')
        $problems.Count | Should -Be 1
        $problems[0].FullyQualifiedErrorId | Should -BeLike 'VariableNotFound,*'
        $problems[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
    }

    It 'removes through the pipeline; -WhatIf removes nothing; a missing name is a non-terminating error' {
        Set-SmaVariable -Name Temp1 -Value 1
        Set-SmaVariable -Name Temp2 -Value 2
        Get-SmaVariable 'Temp*' | Remove-SmaVariable -WhatIf
        @(Get-SmaVariable 'Temp*').Count | Should -Be 2
        Get-SmaVariable 'Temp*' | Remove-SmaVariable -Confirm:$false
        @(Get-SmaVariable 'Temp*').Count | Should -Be 0
        Remove-SmaVariable -Name Temp1 -ErrorVariable problems -ErrorAction SilentlyContinue
        $problems[0].FullyQualifiedErrorId | Should -BeLike 'VariableNotFound,*'
    }
}

Describe 'Credentials' {
    It 'stores a credential and never shows its password' {
        $credential = [pscredential]::new('deploy@contoso', (Secure $password))
        $shown = Set-SmaCredential -Name DeployAccount -Value $credential -Description 'deploys' -PassThru
        $shown.UserName | Should -Be 'deploy@contoso'
        $read = Get-SmaCredential -Name deployaccount
        $read.PSObject.Properties.Name | Should -Be @('CredentialID', 'Name', 'UserName', 'Description', 'CreationTime', 'LastModifiedTime')
        ($read | Format-List * | Out-String) | Should -Not -BeLike "*$password*"
        ($read | Format-Table | Out-String) | Should -BeLike '*deploy@contoso*'
    }

    It 'replaces a credential and removes it' {
        Set-SmaCredential -Name Spare -Value ([pscredential]::new('a', (Secure 'first-pass')))
        Set-SmaCredential -Name Spare -Value ([pscredential]::new('b', (Secure 'second-pass')))
        (Get-SmaCredential Spare).UserName | Should -Be 'b'
        Remove-SmaCredential -Name Spare -Confirm:$false
        Get-SmaCredential Spare -ErrorVariable problems -ErrorAction SilentlyContinue
        $problems[0].FullyQualifiedErrorId | Should -BeLike 'CredentialNotFound,*'
    }
}

Describe 'Connections' {
    It 'creates a Generic connection; encrypted fields show ********' {
        $connection = New-SmaConnection -Name Box -ConnectionTypeName Generic -Description 'a server' -ConnectionFieldValues @{
            ComputerName = 'srv01'; Port = '5986'; UserName = 'admin'; Password = $fieldSecret
        }
        $connection.ConnectionTypeName | Should -Be 'Generic'
        $connection.ConnectionFieldValues.ComputerName | Should -Be 'srv01'
        $connection.ConnectionFieldValues.Port | Should -Be 5986
        $connection.ConnectionFieldValues.Port | Should -BeOfType [int] -Because 'values are converted to the field type'
        $connection.ConnectionFieldValues.Password | Should -Be '********'
        (Get-SmaConnection Box | Format-List * | Out-String) | Should -Not -BeLike "*$fieldSecret*"
    }

    It 'changes one field, and lists by type' {
        Set-SmaConnectionFieldValue -ConnectionName Box -ConnectionFieldName port -Value 5985
        (Get-SmaConnection -Name Box).ConnectionFieldValues.Port | Should -Be 5985
        (Get-SmaConnection -ConnectionTypeName Generic).Name | Should -Contain 'Box'
        @(Get-SmaConnection -ConnectionTypeName NoSuchType).Count | Should -Be 0
    }

    It 'refuses an unknown field and a value of the wrong type, changing nothing' {
        $err = Get-TerminatingError { Set-SmaConnectionFieldValue -ConnectionName Box -ConnectionFieldName Colour -Value red }
        $err.FullyQualifiedErrorId | Should -BeLike 'UnknownConnectionField,*'
        $err.Exception.Message | Should -BeLike "*no field named 'Colour'*ComputerName, Port, Uri, UserName, Password*"
        $err = Get-TerminatingError { Set-SmaConnectionFieldValue -ConnectionName Box -ConnectionFieldName Port -Value 'many' }
        $err.FullyQualifiedErrorId | Should -BeLike 'InvalidConnectionFieldValue,*'
        (Get-SmaConnection -Name Box).ConnectionFieldValues.Port | Should -Be 5985
    }

    It 'lists the built-in type and its fields' {
        $generic = Get-SmaConnectionType -Name Generic
        $generic.ModuleName | Should -BeNullOrEmpty
        (Get-SmaConnectionField -ConnectionTypeName Generic).Name | Should -Be @('ComputerName', 'Port', 'Uri', 'UserName', 'Password')
        (Get-SmaConnectionField Generic | Where-Object IsEncrypted).Name | Should -Be 'Password'
        (Get-SmaConnectionType -Name 'Gen*' | Get-SmaConnectionField).Count | Should -Be 5 -Because 'types flow through the pipeline'
        Get-SmaConnectionField -ConnectionTypeName Nope -ErrorVariable problems -ErrorAction SilentlyContinue
        $problems[0].FullyQualifiedErrorId | Should -BeLike 'ConnectionTypeNotFound,*'
    }

    It 'removes a connection' {
        New-SmaConnection -Name Gone -ConnectionTypeName Generic | Out-Null
        Get-SmaConnection Gone | Remove-SmaConnection -Confirm:$false
        Get-SmaConnection Gone -ErrorVariable problems -ErrorAction SilentlyContinue
        $problems[0].FullyQualifiedErrorId | Should -BeLike 'ConnectionNotFound,*'
    }
}

Describe 'Certificates' {
    It 'stores a .pfx with its password: thumbprint, subject and expiry, never the key' {
        $shown = Set-SmaCertificate -Name SigningCert -Path $pfx -Password (Secure $pfxPassword) -Description 'signs' -PassThru
        $shown.Thumbprint | Should -Be $certificate.Thumbprint
        $shown.Subject | Should -Be 'CN=Sma Asset Test'
        $shown.HasPrivateKey | Should -BeTrue
        $shown.ExpiryTime | Should -Be $certificate.NotAfter.ToUniversalTime()
        (Get-SmaCertificate SigningCert).PSObject.Properties.Name | Should -Not -Contain 'PrivateKey'
    }

    It 'stores a .cer (public only)' {
        $shown = Set-SmaCertificate -Name PublicCert -Path $cer -PassThru
        $shown.HasPrivateKey | Should -BeFalse
        $shown.Thumbprint | Should -Be $certificate.Thumbprint
    }

    It 'refuses a wrong password and keeps what was stored' {
        $err = Get-TerminatingError { Set-SmaCertificate -Name SigningCert -Path $pfx -Password (Secure 'wrong') }
        $err.FullyQualifiedErrorId | Should -BeLike 'CertificatePasswordInvalid,*'
        (Get-SmaCertificate SigningCert).Description | Should -Be 'signs'
    }

    It 'removes a certificate' {
        Remove-SmaCertificate -Name PublicCert -Confirm:$false
        @(Get-SmaCertificate).Name | Should -Be @('SigningCert')
    }
}

Describe 'A job reads its assets' {
    BeforeAll {
        Set-SmaVariable -Name PlainText -Value 'visible'
        Set-SmaVariable -Name Counter -Value 1
        Set-SmaRunbookConfiguration -Name (New-TestRunbook -Name ReadsAssets -RunbookType Workflow -Source @'
param([string] $PasswordHash, [string] $PinHash, [string] $FieldHash, [string] $Thumbprint)
function Hash([string] $Text) { [Convert]::ToHexString([Security.Cryptography.SHA256]::HashData([Text.Encoding]::UTF8.GetBytes($Text))) }
$plain = Get-AutomationVariable -Name PlainText
$pin = Get-AutomationVariable -Name SecretPin
$credential = Get-AutomationPSCredential -Name DeployAccount
$password = $credential.GetNetworkCredential().Password
$connection = Get-AutomationConnection -Name Box
$certificate = Get-AutomationCertificate -Name SigningCert
"plain=$plain"
"user=$($credential.UserName)"
"password-ok=$((Hash $password) -eq $PasswordHash)"
"pin-ok=$((Hash $pin) -eq $PinHash)"
"field-ok=$((Hash $connection.Password) -eq $FieldHash)"
"connection=$($connection.ComputerName):$($connection.Port) $($connection.GetType().Name)"
"certificate-ok=$($certificate.HasPrivateKey -and $certificate.Thumbprint -eq $Thumbprint)"
"signature=$([Security.Cryptography.X509Certificates.RSACertificateExtensions]::GetRSAPrivateKey($certificate).SignData([byte[]](1, 2, 3), 'SHA256', [Security.Cryptography.RSASignaturePadding]::Pkcs1).Length)"
Set-AutomationVariable -Name Counter -Value 2
# Secrets written carelessly, on every stream, in an object and in the checkpoint below
"leak $password | $pin | $($connection.Password)"
Write-Warning "warning $password"
Write-Verbose "verbose $pin"
Write-Host "host $($connection.Password)"
Write-Error "error $password"
[pscustomobject]@{ Secret = $password; Pin = $pin }
$connection
Remove-Variable -Name credential   # the checkpoint then holds secrets only as plain strings
Suspend-Workflow
"resumed $password | $pin"
Write-Warning "again $($connection.Password)"
"counter=$(Get-AutomationVariable -Name Counter)"
'@).RunbookName -LogVerbose $true
        $script:job = Start-SmaRunbook -Name ReadsAssets -Wait -Parameters @{
            PasswordHash = Hash $password; PinHash = Hash $pin; FieldHash = Hash $fieldSecret; Thumbprint = $certificate.Thumbprint
        }
        $script:secrets = @($password, $pin, $fieldSecret, $pfxPassword)
    }

    It 'gets every asset, live, and sets a variable' {
        $job.JobStatus | Should -Be 'Suspended' -Because "$($job.StatusDetails) $($job.JobException)"
        $text = (Get-SmaJobOutput -Id $job -Stream Output).StreamText
        $text[0..7] | Should -Be @(
            'plain=visible', 'user=deploy@contoso', 'password-ok=True', 'pin-ok=True', 'field-ok=True',
            'connection=srv01:5985 Hashtable', 'certificate-ok=True', 'signature=256')
        (Get-SmaVariable Counter).Value | Should -Be 2
    }

    It 'masks the secrets in every record''s text' {
        $records = Get-SmaJobOutput -Id $job
        $records.StreamText | Should -Contain 'leak ******** | ******** | ********'
        ($records | Where-Object StreamTypeName -EQ Warning).StreamText | Should -Be 'warning ********'
        ($records | Where-Object StreamTypeName -EQ Verbose).StreamText | Should -Be 'verbose ********'
        ($records | Where-Object StreamTypeName -EQ Information).StreamText | Should -Be 'host ********'
        ($records | Where-Object StreamTypeName -EQ Error).StreamText | Should -BeLike 'error *********'
        foreach ($secret in $secrets) { ($records.StreamText -join "`n") | Should -Not -BeLike "*$secret*" }
        ((Get-SmaJobHistory -Id $job).StreamText -join "`n") | Should -Not -Match ([regex]::Escape($password))
    }

    It 'keeps objects holding a secret encrypted, readable back with the key' {
        $object = (Get-SmaJobOutput -Id $job -Stream Output | Where-Object StreamText -Like '@{Secret=*').Value
        $object.Secret | Should -Be $password -Because 'the value is decrypted for a session that has the store''s key'
    }

    It 'has no secret in the store file or its WAL while suspended (records and checkpoint)' {
        Find-SecretInStore -Secrets $secrets -Blobs (, [byte[]] $privateKey[40..80]) | Should -BeNullOrEmpty
    }

    It 'still masks after resuming (on a fresh runspace), and completes' {
        Resume-SmaJob -Id $job
        $ended = Wait-SmaJob -Id $job -Timeout 60
        $ended.JobStatus | Should -Be 'Completed' -Because "$($ended.StatusDetails) $($ended.JobException)"
        $text = (Get-SmaJobOutput -Id $job).StreamText
        $text | Should -Contain 'resumed ******** | ********'
        $text | Should -Contain 'again ********'
        $text | Should -Contain 'counter=2'
        ($text | Where-Object { $_ -eq 'plain=visible' }).Count | Should -Be 1 -Because 'output before the checkpoint is written once'
        Find-SecretInStore -Secrets $secrets -Blobs (, [byte[]] $privateKey[40..80]) | Should -BeNullOrEmpty
    }

    It 'masks a secret in a terminating error (StatusDetails, JobException, history)' {
        New-TestRunbook -Name ThrowsSecret -Source "`$p = (Get-AutomationPSCredential DeployAccount).GetNetworkCredential().Password`nthrow `"cannot log on with `$p`"" | Out-Null
        $failed = Start-SmaRunbook ThrowsSecret -Wait
        $failed.JobStatus | Should -Be 'Failed'
        $failed.StatusDetails | Should -BeLike 'cannot log on with *********'
        $failed.JobException | Should -Not -BeLike "*$password*"
        ((Get-SmaJobHistory -Id $failed -StatusOnly).Details -join ' ') | Should -Not -BeLike "*$password*"
        Find-SecretInStore -Secrets $secrets | Should -BeNullOrEmpty
    }

    It 'keeps the key out of the store, owner-only' -Skip:$IsWindows {
        (Get-Item $env:SMA_KEY_FILE).UnixFileMode | Should -Be ([IO.UnixFileMode]'UserRead, UserWrite')
    }
}

Describe 'Activities resolve assets when they run' {
    It 'names a missing asset in a terminating error, at the runbook''s line' {
        New-TestRunbook -Name NeedsLate -Source "'start'`n`$v = Get-AutomationVariable -Name LateVariable`n`"late=`$v`"" | Out-Null
        $job = Start-SmaRunbook NeedsLate -Wait
        $job.JobStatus | Should -Be 'Failed'
        $job.StatusDetails | Should -BeLike "Variable 'LateVariable' was not found*Set-SmaVariable*(line 2,*"
        (Get-SmaJobOutput -Id $job -Stream Output).StreamText | Should -Be 'start' -Because 'nothing after the call ran'
    }

    It 'finds an asset added after the runbook was imported' {
        Set-SmaVariable -Name LateVariable -Value 'here now'
        $job = Start-SmaRunbook NeedsLate -Wait
        $job.JobStatus | Should -Be 'Completed'
        (Get-SmaJobOutput -Id $job -Stream Output).StreamText | Should -Be @('start', 'late=here now')
    }

    It 'suspends a Workflow runbook on a missing asset; resumed after the asset is added, it completes' {
        New-TestRunbook -Name NeedsLateCredential -RunbookType Workflow -Source "'start'`nCheckpoint-Workflow`n`$c = Get-AutomationPSCredential -Name LateCredential`n`"user=`$(`$c.UserName)`"" | Out-Null
        $job = Start-SmaRunbook NeedsLateCredential -Wait
        $job.JobStatus | Should -Be 'Suspended'
        $job.StatusDetails | Should -BeLike "*Credential 'LateCredential' was not found*"
        Set-SmaCredential -Name LateCredential -Value ([pscredential]::new('late-user', (Secure 'late-pass')))
        Resume-SmaJob -Id $job
        $ended = Wait-SmaJob -Id $job -Timeout 60
        $ended.JobStatus | Should -Be 'Completed'
        (Get-SmaJobOutput -Id $job -Stream Output).StreamText | Should -Be @('start', 'user=late-user')
    }

    It 'lets a runbook catch the error by its ErrorId' {
        New-TestRunbook -Name Catches -Source @'
try { Get-AutomationPSCredential -Name NoSuchCredential } catch { "caught $($_.FullyQualifiedErrorId) $($_.CategoryInfo.Category)" }
try { Set-AutomationVariable -Name NotThere -Value 1 } catch { "caught $($_.FullyQualifiedErrorId)" }
try { Set-AutomationVariable -Name PlainText -Value 5 } catch { "caught $($_.FullyQualifiedErrorId)" }
try { Get-AutomationConnection -Name NoSuchConnection } catch { "caught $($_.FullyQualifiedErrorId)" }
try { Get-AutomationCertificate -Name NoSuchCertificate } catch { "caught $($_.FullyQualifiedErrorId)" }
'@ | Out-Null
        $job = Start-SmaRunbook Catches -Wait
        $job.JobStatus | Should -Be 'Completed'
        (Get-SmaJobOutput -Id $job -Stream Output).StreamText | Should -Be @(
            'caught CredentialNotFound,Get-AutomationPSCredential ObjectNotFound'
            'caught VariableNotFound,Set-AutomationVariable'
            'caught VariableTypeMismatch,Set-AutomationVariable'
            'caught ConnectionNotFound,Get-AutomationConnection'
            'caught CertificateNotFound,Get-AutomationCertificate')
        (Get-SmaVariable PlainText).Value | Should -Be 'visible'
    }
}

Describe 'SMA''s checkpoint sample, as a script runbook' {
    It 'suspends on the runtime error, and the resumed job reads the variable and completes, writing earlier output once' {
        Set-SmaVariable -Name HasBeenSuspended -Value $false
        New-TestRunbook -Name CheckpointSample -RunbookType Workflow -Source @'
'Starting the runbook'
Set-AutomationVariable -Name HasBeenSuspended -Value $false
Checkpoint-Workflow
$suspended = Get-AutomationVariable -Name HasBeenSuspended
if (-not $suspended) {
    Set-AutomationVariable -Name HasBeenSuspended -Value $true
    Get-Item -Path '/no/such/path/for/sma' -ErrorAction Stop   # a runtime error: the job suspends
}
'Finished the runbook'
'@ | Out-Null
        $job = Start-SmaRunbook CheckpointSample -Wait
        $job.JobStatus | Should -Be 'Suspended'
        $job.JobException | Should -BeLike '*no/such/path*'
        (Get-SmaVariable HasBeenSuspended).Value | Should -BeTrue
        Resume-SmaJob -Id $job
        $ended = Wait-SmaJob -Id $job -Timeout 60
        $ended.JobStatus | Should -Be 'Completed'
        (Get-SmaJobOutput -Id $job -Stream Output).StreamText | Should -Be @('Starting the runbook', 'Finished the runbook')
    }
}
