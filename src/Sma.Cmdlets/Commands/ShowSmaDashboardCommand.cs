using System.Management.Automation;
using Sma.Cmdlets.Infrastructure;

namespace Sma.Cmdlets.Commands;

/// <summary>Shows the job summary as a text chart in the terminal.</summary>
/// <remarks>
/// <para>
/// Show-SmaDashboard draws what Get-SmaJobSummary counts: a title with the range, one line per UTC hour or day with the
/// main counts (Queued, Running, Completed, Failed, Stopped) and a bar of the jobs that ended in it (Completed, Failed,
/// Stopped), then the totals of all ten statuses.
/// </para>
/// <para>
/// The chart is plain text lines of at most 79 characters with no colour, so it reads the same in a terminal, a CI log
/// or a file.
/// </para>
/// </remarks>
/// <returns>The chart, one string per line.</returns>
/// <seealso cref="GetSmaJobSummaryCommand"/>
/// <seealso cref="ExportSmaDashboardCommand"/>
[Cmdlet(VerbsCommon.Show, "SmaDashboard", DefaultParameterSetName = ByHours)]
[OutputType(typeof(string))]
public sealed class ShowSmaDashboardCommand : SummaryCmdlet
{
    protected override bool WorksRemotely => true;

    protected override void Process() =>
        PerItem(() => WriteObject(Remote?.RenderText(Range, RunbookName) ?? Dashboard.RenderText(Range, RunbookName), enumerateCollection: true));
}
