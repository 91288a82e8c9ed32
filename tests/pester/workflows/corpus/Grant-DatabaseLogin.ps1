<#
.SYNOPSIS
    Grandchild runbook: grants the credential's login a role on the database. When approval is required and not yet
    given (variable asset TenantApprovalGiven), it records the request and suspends the job.
#>
workflow Grant-DatabaseLogin
{
    param(
        [Parameter(Mandatory = $true)] [string] $Database,
        [Parameter(Mandatory = $true)] [pscredential] $Credential,
        [ValidateSet('db_owner', 'db_datareader')] [string] $Role = 'db_datareader',
        [Parameter(Mandatory = $true)] [string] $LogPath,
        [bool] $RequireApproval = $false
    )

    New-Item -ItemType File -Path (Join-Path $LogPath "grant-$([guid]::NewGuid().ToString('n'))") | Out-Null
    if ($RequireApproval -and -not (Get-AutomationVariable -Name 'TenantApprovalGiven'))
    {
        Write-Warning "Granting $Role on $Database waits for approval"
        Suspend-Workflow
    }
    $length = InlineScript {
        $secret = $Using:Credential
        $secret.GetNetworkCredential().Password.Length
    }
    [pscustomobject]@{
        Login          = $Credential.UserName
        Role           = $Role
        PasswordLength = $length
        CredentialType = $Credential.GetType().Name
    }
}
