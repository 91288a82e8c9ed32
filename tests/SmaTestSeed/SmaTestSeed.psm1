<#
.SYNOPSIS
    Test and benchmark seeding (never part of the Sma module's surface): writes jobs as if they had run, with a
    status history at given times, through the engine's SeedService of the Sma module loaded in this session.
.DESCRIPTION
    Import the Sma module first. The engine lives in the module's private AssemblyLoadContext (DESIGN §3), where type
    literals do not reach, so its types are looked up there by name. Each history starts Queued, follows the
    transition table and never goes back in time (the SeedService refuses anything else with InvalidSeedJob).
#>

Set-StrictMode -Version 3.0

# The Sma.Engine assembly of the loaded Sma module; a first Sma command loads it if nothing has yet.
function Get-SmaEngineAssembly {
    $find = {
        [System.Runtime.Loader.AssemblyLoadContext]::All | Where-Object Name -EQ 'Sma.Engine' |
            ForEach-Object { $_.Assemblies } | Where-Object { $_.GetName().Name -eq 'Sma.Engine' } | Select-Object -First 1
    }
    $engine = & $find
    if (-not $engine) {
        if (-not (Get-Module Sma)) { throw 'Import the Sma module before seeding jobs.' }
        $null = Get-SmaAdminConfiguration
        $engine = & $find
    }
    return $engine
}

<#
.SYNOPSIS
    Writes seeded jobs: one per call or pipeline object (-RunbookName, -Status, -Time, ...), or -Count synthetic jobs
    with realistic histories spread over the last -Days days (benchmarks). Pipeline input is written in transactions
    of 1,000 jobs. -PassThru returns the jobs written.
#>
function Add-SmaSeedJob {
    [CmdletBinding(DefaultParameterSetName = 'History')]
    param(
        # The runbook the job ran (published; the job refers to its published version).
        [Parameter(Mandatory, ParameterSetName = 'History', ValueFromPipelineByPropertyName)]
        [string] $RunbookName,

        # The statuses the job entered, in order, starting with Queued (portal names).
        [Parameter(Mandatory, ParameterSetName = 'History', ValueFromPipelineByPropertyName)]
        [ValidateSet('Queued', 'Starting', 'Running', 'Completed', 'Failed', 'Stopping', 'Stopped', 'Suspending', 'Suspended', 'Resuming')]
        [string[]] $Status,

        # When it entered each status (one time per status).
        [Parameter(Mandatory, ParameterSetName = 'History', ValueFromPipelineByPropertyName)]
        [datetime[]] $Time,

        # Parameter values stored with the job.
        [Parameter(ParameterSetName = 'History', ValueFromPipelineByPropertyName)]
        [System.Collections.IDictionary] $Parameters,

        # Output records (text) the job wrote when it entered Running.
        [Parameter(ParameterSetName = 'History', ValueFromPipelineByPropertyName)]
        [string[]] $Output,

        # The worker that ran it.
        [Parameter(ParameterSetName = 'History', ValueFromPipelineByPropertyName)]
        [string] $Worker,

        # The job's StatusDetails.
        [Parameter(ParameterSetName = 'History', ValueFromPipelineByPropertyName)]
        [string] $StatusDetails,

        # Synthetic: this many jobs over the runbooks of -SpreadOver (published), the last -Days days.
        [Parameter(Mandatory, ParameterSetName = 'Synthetic')]
        [ValidateRange(1, 100000000)]
        [int] $Count,

        [Parameter(Mandatory, ParameterSetName = 'Synthetic')]
        [string[]] $SpreadOver,

        [Parameter(ParameterSetName = 'Synthetic')]
        [ValidateRange(1, 3650)]
        [int] $Days = 30,

        # The store (default: $env:SMA_STORE or the per-user default, as the Sma cmdlets).
        [string] $StorePath,

        [switch] $PassThru
    )

    begin {
        $store = if ($StorePath) { $PSCmdlet.GetUnresolvedProviderPathFromPSPath($StorePath) } else { $null }
        $engine = Get-SmaEngineAssembly
        $store = $engine.GetType('Sma.Engine.Services.EndpointResolver', $true)::ResolveStorePath($null, $store)
        $runtime = $engine.GetType('Sma.Engine.SmaRuntime', $true)::ForStore($store)
        $service = $engine.GetType('Sma.Engine.Services.SeedService', $true)::new($runtime)
        $statusType = $engine.GetType('Sma.Engine.Model.JobStatus', $true)
        $seedStatusType = $engine.GetType('Sma.Engine.Store.SeedStatus', $true)
        $requestType = $engine.GetType('Sma.Engine.Services.SeedRequest', $true)
        $newList = { param([type] $ItemType) Write-Output -NoEnumerate ([System.Collections.Generic.List`1].MakeGenericType($ItemType)::new()) }
        $pending = & $newList $requestType
        $flush = {
            if ($pending.Count -eq 0) { return }
            $ids = $service.Seed($pending)
            $pending.Clear()
            if ($PassThru) { Get-SmaJob -Id ([string[]]@($ids | ForEach-Object { "$_" })) -StorePath $store }
        }
    }

    process {
        if ($PSCmdlet.ParameterSetName -eq 'Synthetic') {
            $service.SeedSynthetic($Count, [string[]] $SpreadOver, $Days, 1, $null)
            return
        }
        if ($Status.Count -ne $Time.Count) {
            throw "Add-SmaSeedJob: $($Status.Count) statuses but $($Time.Count) times for runbook '$RunbookName'; give one time per status."
        }
        $history = & $newList $seedStatusType
        for ($i = 0; $i -lt $Status.Count; $i++) {
            $history.Add($seedStatusType::new([Enum]::Parse($statusType, $Status[$i], $true), $Time[$i]))
        }
        $request = $requestType::new($RunbookName, $history)
        if ($Parameters) { $request.Parameters = $Parameters }
        if ($Output) { $request.Output = [string[]] $Output }
        if ($Worker) { $request.Worker = $Worker }
        if ($StatusDetails) { $request.StatusDetails = $StatusDetails }
        $pending.Add($request)
        if ($pending.Count -ge 1000) { & $flush }
    }

    end {
        & $flush
    }
}

Export-ModuleMember -Function Add-SmaSeedJob
