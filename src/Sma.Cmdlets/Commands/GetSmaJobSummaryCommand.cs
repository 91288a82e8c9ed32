using System.Management.Automation;
using Sma.Cmdlets.Infrastructure;
using Sma.Engine.Model;

namespace Sma.Cmdlets.Commands;

/// <summary>Counts, per hour or per day, how many jobs entered each status.</summary>
/// <remarks>
/// <para>
/// Get-SmaJobSummary returns one row per time slice, oldest first: by default the last 24 UTC hours (-Hours), or the
/// last N UTC days with -Days, the current slice last. Each row counts how many times jobs entered each of the ten
/// statuses (Queued, Starting, Running, Completed, Failed, Stopping, Stopped, Suspending, Suspended, Resuming) during
/// the slice, computed from the status history, plus Total. Empty slices are included with zeros. A job that runs again
/// after a resume enters Running twice and is counted twice.
/// </para>
/// <para>
/// These are the numbers behind SMA's portal dashboard; Show-SmaDashboard draws them in the terminal and
/// Export-SmaDashboard as an HTML page.
/// </para>
/// </remarks>
/// <returns>
/// Summary rows: SliceStart and SliceEnd (UTC), RunbookName (the -RunbookName given, or empty), a count for each
/// status, and Total.
/// </returns>
/// <seealso cref="ShowSmaDashboardCommand"/>
/// <seealso cref="ExportSmaDashboardCommand"/>
/// <seealso cref="GetSmaJobHistoryCommand"/>
[Cmdlet(VerbsCommon.Get, "SmaJobSummary", DefaultParameterSetName = ByHours)]
[OutputType(typeof(JobSummaryRow))]
public sealed class GetSmaJobSummaryCommand : SummaryCmdlet
{
    protected override bool WorksRemotely => true;

    protected override void Process() =>
        PerItem(() => WriteObject(Remote?.Summarize(Range, RunbookName) ?? Dashboard.Summarize(Range, RunbookName), enumerateCollection: true));
}
