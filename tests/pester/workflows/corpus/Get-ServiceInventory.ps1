<#
.SYNOPSIS
    Lists the services a server role needs and warns about those missing from the server's inventory.
.DESCRIPTION
    Corpus: a param block with attributes (Mandatory, ValidateSet, ValidateRange, defaults), [CmdletBinding()],
    [OutputType()], a switch assigned to a variable, Write-Verbose, Write-Warning and Write-Output.
#>
workflow Get-ServiceInventory
{
    [CmdletBinding()]
    [OutputType([string])]
    param(
        [Parameter(Mandatory = $true)]
        [ValidateSet('Web', 'Sql', 'File')]
        [string] $Role,

        [ValidateRange(1, 10)]
        [int] $MaxServices = 3,

        [string[]] $Installed = @('W3SVC', 'WAS')
    )

    Write-Verbose -Message "Building the inventory for role $Role"
    $required = switch ($Role)
    {
        'Web'  { 'W3SVC', 'WAS', 'IISADMIN', 'WMSVC' }
        'Sql'  { 'MSSQLSERVER', 'SQLSERVERAGENT' }
        'File' { 'LanmanServer' }
    }
    $required = $required | Select-Object -First $MaxServices

    foreach ($service in $required)
    {
        if ($Installed -contains $service)
        {
            Write-Output "$service installed"
        }
        else
        {
            Write-Warning -Message "$service is missing on the $Role server"
        }
    }
    Write-Verbose "Checked $($required.Count) services"
    "inventory of $Role done"
}
