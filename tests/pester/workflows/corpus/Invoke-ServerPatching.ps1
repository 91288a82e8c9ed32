<#
.SYNOPSIS
    Applies the month's patches server by server, taking a checkpoint after each patch. When the maintenance
    window closes (here: after the patch named by -PauseAfter) the runbook suspends itself; resumed, it goes on
    with the next patch of the same server - no patch is applied twice.
.DESCRIPTION
    Corpus: nested foreach loops with Checkpoint-Workflow in the inner one, Suspend-Workflow inside both loops,
    a counter that survives the suspension. Each applied patch leaves a file in -LogPath.
#>
workflow Invoke-ServerPatching
{
    param(
        [Parameter(Mandatory = $true)] [string[]] $Servers,
        [Parameter(Mandatory = $true)] [string] $LogPath,
        [string] $PauseAfter = ''
    )

    $patches = 'KB1001', 'KB1002'
    $applied = 0
    foreach ($server in $Servers)
    {
        Write-Verbose "Patching $server"
        foreach ($patch in $patches)
        {
            New-Item -ItemType File -Path (Join-Path $LogPath "$server.$patch-$([guid]::NewGuid().ToString('n'))") | Out-Null
            $applied++
            "$server $patch applied"
            if ("$server/$patch" -eq $PauseAfter)
            {
                Write-Warning "Maintenance window closed after $server $patch; suspending"
                Suspend-Workflow
            }
            else
            {
                Checkpoint-Workflow
            }
        }
        "$server rebooted"
    }
    "$applied patches applied"
}
