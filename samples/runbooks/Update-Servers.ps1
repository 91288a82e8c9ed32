<#
.SYNOPSIS
    Updates servers one by one with a checkpoint after each, so a suspended (or recovered) job never updates a
    server twice: Suspend-SmaJob stops it at the next checkpoint and Resume-SmaJob continues inside the loop with the
    next server (the list is not evaluated again).
#>
param(
    [string[]] $Servers = @('web1', 'web2', 'web3'),
    [int] $SecondsEach = 1
)

$done = 0
foreach ($server in $Servers) {
    Start-Sleep -Seconds $SecondsEach                         # the real work would go here
    "Updated $server"
    $done++
    Checkpoint-Workflow                                       # a resume goes on right after this, with the next server
}
"Updated $done server(s)"
