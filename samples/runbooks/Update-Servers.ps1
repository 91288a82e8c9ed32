<#
.SYNOPSIS
    Updates servers one by one with a checkpoint after each, so a suspended (or recovered) job never updates a
    server twice: Suspend-SmaJob stops it at the next checkpoint and Resume-SmaJob continues right after it, with the
    next server - no progress counter needed.
#>
param(
    [string[]] $Servers = @('web1', 'web2', 'web3'),
    [int] $SecondsEach = 1
)

foreach ($server in $Servers) {
    Start-Sleep -Seconds $SecondsEach                         # the real work would go here
    "Updated $server"
    Checkpoint-Workflow                                       # a resume goes on from here, with the next server
}
"Updated $($Servers.Count) server(s)"
