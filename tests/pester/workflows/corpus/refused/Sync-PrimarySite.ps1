<#
.SYNOPSIS
    Half of a cycle: Sync-PrimarySite calls Sync-SecondarySite inline, which calls Sync-PrimarySite inline. Each
    imports; starting either is refused before a job exists.
#>
workflow Sync-PrimarySite
{
    param([int] $Depth = 0)
    "primary at depth $Depth"
    Sync-SecondarySite -Depth ($Depth + 1)
}
