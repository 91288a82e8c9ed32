<#
.SYNOPSIS
    Reports a cluster's virtual machines: an InlineScript builds objects from the inventory, the workflow filters
    them and a second InlineScript summarises them.
.DESCRIPTION
    Corpus: InlineScript with $Using: of arrays of hashtables and of objects, returning [pscustomobject]s and a
    hashtable that the workflow uses as live objects (properties, methods), a checkpoint with objects in variables.
#>
workflow Get-VmReport
{
    param(
        [string] $Cluster = 'CL01',
        [int] $MinMemoryGB = 4
    )

    $inventory = @(
        @{ Name = 'vm-app1'; MemoryGB = 8; State = 'Running' }
        @{ Name = 'vm-db1'; MemoryGB = 16; State = 'Running' }
        @{ Name = 'vm-test'; MemoryGB = 2; State = 'Off' }
    )
    $vms = InlineScript {
        foreach ($vm in $Using:inventory)
        {
            [pscustomobject]@{ Name = $vm.Name; Cluster = $Using:Cluster; MemoryGB = $vm.MemoryGB; Running = $vm.State -eq 'Running' }
        }
    }
    "$($vms.Count) VMs, first is $($vms[0].GetType().Name)"
    $big = $vms | Where-Object { $_.MemoryGB -ge $MinMemoryGB }
    foreach ($vm in $big)
    {
        "$($vm.Cluster)/$($vm.Name): $($vm.MemoryGB) GB"
    }
    $summary = InlineScript {
        $running = @($Using:vms | Where-Object Running).Count
        @{ Running = $running; Stopped = $Using:vms.Count - $running }
    }
    "running $($summary.Running), stopped $($summary.Stopped) ($($summary.GetType().Name))"
    Checkpoint-Workflow
    $total = ($vms | Measure-Object -Property MemoryGB -Sum).Sum
    "total memory $total GB"
}
