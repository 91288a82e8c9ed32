using System.Management.Automation;
using Sma.Cmdlets.Infrastructure;
using Sma.Engine.Model;

namespace Sma.Cmdlets.Commands;

/// <summary>
/// How many jobs entered each of the ten statuses in each hour (-Hours) or day (-Days) of a range, counted from the
/// status history, for all runbooks or those named by -RunbookName. One row per slice, oldest first, zeros included.
/// </summary>
[Cmdlet(VerbsCommon.Get, "SmaJobSummary", DefaultParameterSetName = ByHours)]
[OutputType(typeof(JobSummaryRow))]
public sealed class GetSmaJobSummaryCommand : SummaryCmdlet
{
    protected override void Process() => PerItem(() => WriteObject(Dashboard.Summarize(Range, RunbookName), enumerateCollection: true));
}
