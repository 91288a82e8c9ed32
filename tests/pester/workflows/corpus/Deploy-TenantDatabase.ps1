<#
.SYNOPSIS
    Creates a tenant's database with the SQL admin credential from the asset store. The work is done by the child
    runbook New-TenantDatabase, which calls Grant-DatabaseLogin: three runbooks deep, the PSCredential passed along.
.DESCRIPTION
    Corpus: Get-AutomationPSCredential, inline child runbooks three deep (workflow -> workflow -> workflow) with a
    [pscredential] parameter, objects returned from children. With -RequireApproval the grandchild suspends the job
    the first time (a checkpoint inside a child): resumed, the call statement here runs again.
#>
workflow Deploy-TenantDatabase
{
    [CmdletBinding()]
    param(
        [Parameter(Mandatory = $true)] [string] $Tenant,
        [Parameter(Mandatory = $true)] [string] $LogPath,
        [bool] $RequireApproval = $false
    )

    $credential = Get-AutomationPSCredential -Name 'SqlAdmin'
    New-Item -ItemType File -Path (Join-Path $LogPath "deploy-$([guid]::NewGuid().ToString('n'))") | Out-Null
    Write-Verbose "Deploying the database of $Tenant as $($credential.UserName)"
    $database = New-TenantDatabase -Tenant $Tenant -Credential $credential -LogPath $LogPath -RequireApproval $RequireApproval
    "database $($database.Name) on $($database.Server)"
    "login $($database.Login.Login) is $($database.Login.Role) (password of $($database.Login.PasswordLength) characters, $($database.Login.CredentialType))"
}
