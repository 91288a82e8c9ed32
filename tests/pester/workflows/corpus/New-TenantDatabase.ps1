<#
.SYNOPSIS
    Child runbook of Deploy-TenantDatabase: creates the database and has Grant-DatabaseLogin grant its login.
#>
workflow New-TenantDatabase
{
    [OutputType([pscustomobject])]
    param(
        [Parameter(Mandatory = $true)] [string] $Tenant,
        [Parameter(Mandatory = $true)] [pscredential] $Credential,
        [Parameter(Mandatory = $true)] [string] $LogPath,
        [bool] $RequireApproval = $false
    )

    $name = "db_$($Tenant.ToLowerInvariant())"
    Write-Verbose "Creating $name as $($Credential.UserName)"
    $login = Grant-DatabaseLogin -Database $name -Credential $Credential -Role 'db_owner' -LogPath $LogPath -RequireApproval $RequireApproval
    [pscustomobject]@{ Name = $name; Server = 'sql01'; Login = $login }
}
