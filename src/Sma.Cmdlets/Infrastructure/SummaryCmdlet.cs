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

    /// <summary>Covers the last N hours (1 to 720), one slice per UTC hour, the current hour last. The default is 24.</summary>
    [Parameter(ParameterSetName = ByHours)]
    [ValidateRange(1, SummaryRange.MaxHours)]
    public int Hours { get; set; } = 24;

    /// <summary>Covers the last N days (1 to 365), one slice per UTC day, today last.</summary>
    [Parameter(Mandatory = true, ParameterSetName = ByDays)]
    [ValidateRange(1, SummaryRange.MaxDays)]
    public int Days { get; set; }

    /// <summary>
    /// Counts only the jobs of runbooks with this name (any case; wildcards allowed); all runbooks when omitted. A name
    /// without wildcards that no runbook and no job has is a non-terminating error (RunbookNotFound) and gives no rows;
    /// a pattern that matches nothing gives zeros. Jobs of a removed runbook still count under its name.
    /// </summary>
    [Parameter]
    [SupportsWildcards]
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
