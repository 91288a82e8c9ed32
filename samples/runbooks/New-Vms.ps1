<#
.SYNOPSIS
    Creates VMs one after another with a checkpoint after each: suspended, resumed or recovered after a crash, it
    never creates a VM twice.
.DESCRIPTION
    Stands in for a provisioning runbook: each "VM" is a file in -Folder, and creating one that exists fails the
    job. Suspend the job while it runs (Suspend-SmaJob: it suspends at its next checkpoint), resume it
    (Resume-SmaJob), and it continues with the next VM of the loop.
#>
param(
    [Parameter(Mandatory)]
    [string] $Folder,

    [string[]] $Names = @('vm1', 'vm2', 'vm3', 'vm4', 'vm5'),

    [double] $SecondsPerVm = 1
)

foreach ($name in $Names) {
    Start-Sleep -Milliseconds (1000 * $SecondsPerVm)   # creating a VM takes a while
    New-Item -ItemType File -Path (Join-Path $Folder $name) -ErrorAction Stop | Out-Null
    "created $name"
    Checkpoint-Workflow
}
"all $($Names.Count) VMs created"
