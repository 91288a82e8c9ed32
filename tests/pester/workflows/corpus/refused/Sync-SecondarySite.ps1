<#
.SYNOPSIS
    The other half of the cycle (see Sync-PrimarySite).
#>
workflow Sync-SecondarySite
{
    param([int] $Depth = 0)
    "secondary at depth $Depth"
    if ($Depth -lt 3)
    {
        Sync-PrimarySite -Depth ($Depth + 1)
    }
}
