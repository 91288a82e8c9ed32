<#
.SYNOPSIS
    Removes snapshots older than the retention; a snapshot locked by a backup job makes the InlineScript that
    removes it throw, which suspends the job at the throw's line.
.DESCRIPTION
    Corpus: throw inside an InlineScript that reads $Using: variables; the job ends Suspended with the InlineScript's
    own line in StatusDetails and JobException, and no Error record besides.
#>
workflow Remove-StaleSnapshots
{
    param(
        [string[]] $Snapshots = @('snap-01', 'snap-02-locked', 'snap-03'),
        [int] $RetentionDays = 14
    )

    foreach ($snapshot in $Snapshots)
    {
        $age = InlineScript {
            if ($Using:snapshot -like '*-locked') { throw "Snapshot $Using:snapshot is locked by a backup job" }
            $Using:RetentionDays * 2
        }
        "removed $snapshot ($age days old)"
    }
    'not reached'
}
