<#
.SYNOPSIS
    Exports the audit log in batches, reporting progress; with debugging on it traces each batch.
.DESCRIPTION
    Corpus: Write-Progress, Write-Debug (with $DebugPreference set), Write-Verbose, Write-Information and Write-Output
    in one workflow, recorded under the runbook's LogProgress/LogVerbose/LogDebug settings.
#>
workflow Export-AuditLog
{
    param([int] $Batches = 3)

    $DebugPreference = 'Continue'
    $exported = 0
    for ($batch = 1; $batch -le $Batches; $batch++)
    {
        Write-Progress -Activity 'Exporting the audit log' -Status "batch $batch of $Batches" -PercentComplete ($batch * 100 / $Batches)
        Write-Debug "batch ${batch}: 100 entries"
        $exported += 100
    }
    Write-Verbose "exported $exported entries"
    Write-Information "audit log exported" -Tags Audit
    "exported $exported entries in $Batches batches"
}
