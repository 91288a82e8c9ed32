<#
.SYNOPSIS
    Refused at import: Windows PowerShell Workflow ran a nested workflow on remote computers with -PSComputerName,
    which has no translation; the import names the call's line.
#>
workflow Set-RemoteRegistry
{
    param([string[]] $Computers = @('srv1', 'srv2'))

    workflow Set-Value
    {
        param([string] $Name, [string] $Value)
        "set $Name to $Value"
    }

    Write-Verbose "setting the value on $($Computers.Count) computers"
    Set-Value -Name 'AuditLevel' -Value '3' -PSComputerName $Computers
}
