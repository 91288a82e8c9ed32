using System.Management.Automation;
using Sma.Cmdlets.Infrastructure;

namespace Sma.Cmdlets.Commands;

/// <summary>
/// The job summary as a chart for the terminal: a line per hour or day with the main counts and a bar of the jobs
/// that ended in it, then the totals of every status. Plain text lines of at most 79 characters.
/// </summary>
[Cmdlet(VerbsCommon.Show, "SmaDashboard", DefaultParameterSetName = ByHours)]
[OutputType(typeof(string))]
public sealed class ShowSmaDashboardCommand : SummaryCmdlet
{
    protected override void Process() => PerItem(() => WriteObject(Dashboard.RenderText(Range, RunbookName), enumerateCollection: true));
}
