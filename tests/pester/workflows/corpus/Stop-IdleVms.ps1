<#
.SYNOPSIS
    Stops idle virtual machines host by host. $PSPersistPreference makes every activity persist; when the quota of
    stops for this run is reached the runbook asks the service to suspend its own job (Suspend-SmaJob), which takes
    effect at the next persisting activity. Resumed, it goes on with the next VM; none is stopped twice.
.DESCRIPTION
    Corpus: a while loop around a foreach, $PSPersistPreference = $true, Suspend-SmaJob -Id $PSPrivateMetadata.JobId
    from inside the job, SMA cmdlets with -WebServiceEndpoint. Each stopped VM leaves a file in -LogPath.
#>
workflow Stop-IdleVms
{
    param(
        [Parameter(Mandatory = $true)] [string] $LogPath,
        [int] $Quota = 3
    )

    $hosts = @{ hv01 = @('vm1', 'vm2'); hv02 = @('vm3', 'vm4') }
    $names = @($hosts.Keys | Sort-Object)
    $index = 0
    $stopped = 0
    while ($index -lt $names.Count)
    {
        $hostName = $names[$index]
        foreach ($vm in $hosts[$hostName])
        {
            if ($stopped -eq $Quota)
            {
                Suspend-SmaJob -Id $PSPrivateMetadata.JobId -WebServiceEndpoint 'https://localhost' | Out-Null
            }
            $PSPersistPreference = $true
            New-Item -ItemType File -Path (Join-Path $LogPath "$hostName.$vm-$([guid]::NewGuid().ToString('n'))") | Out-Null
            $PSPersistPreference = $false
            $stopped++
            "stopped $vm on $hostName"
        }
        $index++
    }
    "$stopped VMs stopped"
}
