<#
.SYNOPSIS
    Updates servers one by one with a checkpoint after each, so a suspended (or recovered) job never updates a
    server twice: Suspend-SmaJob stops it at the next checkpoint and Resume-SmaJob continues with the next server.
#>
param(
    [string[]] $Servers = @('web1', 'web2', 'web3'),
    [int] $SecondsEach = 1
)

$done = 0
foreach ($server in $Servers) {
    if ($Servers.IndexOf($server) -lt $done) { continue }   # updated before the checkpoint this job resumed from
    Start-Sleep -Seconds $SecondsEach                         # the real work would go here
    "Updated $server"
    $done++
    Checkpoint-Workflow                                       # saves $done: a resume goes on from here
}
"Updated $done server(s)"
