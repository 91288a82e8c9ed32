using System.Management.Automation;
using Sma.Engine.Services;

namespace Sma.Cmdlets.Infrastructure;

/// <summary>
/// Shared shape of Get-SmaJobSummary, Show-SmaDashboard and Export-SmaDashboard: the range (-Hours, the default, or
/// -Days; UTC hours or days, the current one last) and the runbooks (-RunbookName; all when omitted).
/// </summary>
public abstract class SummaryCmdlet : SmaCmdlet
{
    protected const string ByHours = "ByHours";
    protected const string ByDays = "ByDays";

    private SummaryRange? _range;

    #region Parameters

    /// <summary>The last N hours, by hour (UTC hours; the current hour is the last). The default is 24.</summary>
    [Parameter(ParameterSetName = ByHours)]
    [ValidateRange(1, SummaryRange.MaxHours)]
    public int Hours { get; set; } = 24;

    /// <summary>The last N days, by day (UTC days; today is the last).</summary>
    [Parameter(Mandatory = true, ParameterSetName = ByDays)]
    [ValidateRange(1, SummaryRange.MaxDays)]
    public int Days { get; set; }

    /// <summary>
    /// Only jobs of runbooks with this name (any case; wildcards allowed). All runbooks when omitted. A name without
    /// wildcards that no runbook and no job has is a non-terminating RunbookNotFound error.
    /// </summary>
    [Parameter]
    [ArgumentCompleter(typeof(RunbookNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string? RunbookName { get; set; }

    #endregion

    /// <summary>The range the parameters ask for, fixed at the first use in this call.</summary>
    protected SummaryRange Range => _range ??= ParameterSetName == ByDays
        ? SummaryRange.LastDays(Days, DateTime.UtcNow)
        : SummaryRange.LastHours(Hours, DateTime.UtcNow);

    protected DashboardService Dashboard => new(Runtime);
}
