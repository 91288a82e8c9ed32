using System.Management.Automation;
using Sma.Cmdlets.Infrastructure;
using Sma.Engine;
using Sma.Engine.Model;

namespace Sma.Cmdlets.Commands;

/// <summary>Gets the links between runbooks and schedules.</summary>
/// <remarks>
/// <para>
/// Get-SmaScheduledRunbook lists the links (SMA's job schedules): which runbook each schedule starts, with which
/// parameter values (secrets masked), the next occurrence each will fire (NextRun), the last one that started a job
/// (LastRun, LastJobId), and the last one recorded as missed (LastMissed, MissedCount). -RunbookName and -ScheduleName
/// narrow the list (any case, wildcards allowed); runbooks and schedules can be piped in by those property names.
/// </para>
/// <para>
/// A runbook or schedule named without wildcards that does not exist is a non-terminating error (RunbookNotFound,
/// ScheduleNotFound); with both named exactly, a runbook that is not linked to that schedule is one too
/// (ScheduledRunbookNotFound).
/// </para>
/// </remarks>
/// <returns>
/// Links: RunbookName, ScheduleName, Parameters, NextRun, LastRun, LastJobId, LastMissed, MissedCount (times UTC), and
/// JobScheduleId, RunbookId, ScheduleId, CreationTime.
/// </returns>
/// <seealso cref="RegisterSmaScheduledRunbookCommand"/>
/// <seealso cref="RemoveSmaScheduledRunbookCommand"/>
/// <seealso cref="GetSmaScheduleHistoryCommand"/>
[Cmdlet(VerbsCommon.Get, "SmaScheduledRunbook")]
[OutputType(typeof(ScheduledRunbook))]
public sealed class GetSmaScheduledRunbookCommand : SmaCmdlet
{
    #region Parameters

    /// <summary>
    /// Gets only the links of runbooks with this name (any case; wildcards allowed). Also taken from the pipeline, from
    /// a RunbookName property (runbooks and jobs have one).
    /// </summary>
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(RunbookNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string? RunbookName { get; set; }

    /// <summary>
    /// Gets only the links to schedules with this name (any case; wildcards allowed). Also taken from the pipeline, from
    /// a ScheduleName property.
    /// </summary>
    [Parameter(Position = 1, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(ScheduleNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string? ScheduleName { get; set; }

    #endregion

    protected override bool WorksRemotely => true;

    protected override void Process()
    {
        var exactRunbook = RunbookName is not null && !WildcardPattern.ContainsWildcardCharacters(RunbookName);
        var exactSchedule = ScheduleName is not null && !WildcardPattern.ContainsWildcardCharacters(ScheduleName);
        var remote = Remote;
        SmaException? missing = null;
        if (exactRunbook && (remote is null ? Runtime.Store.FindRunbook(RunbookName!) is null : remote.FindRunbook(RunbookName!) is null))
            missing = SmaErrors.RunbookNotFound(RunbookName!);
        else if (exactSchedule && (remote is null ? Schedules.Find(ScheduleName!) is null : remote.FindSchedule(ScheduleName!) is null))
            missing = SmaErrors.ScheduleNotFound(ScheduleName!);
        var links = missing is not null ? Array.Empty<ScheduledRunbook>()
            : remote is null ? Schedules.Links(Pattern(RunbookName), Pattern(ScheduleName))
            : Matching(remote.ListLinks());
        if (missing is null && links.Count == 0 && exactRunbook && exactSchedule)
            missing = SmaErrors.ScheduledRunbookNotFound(RunbookName!, ScheduleName!);
        if (missing is not null)
        {
            WriteError(new ErrorRecord(missing, missing.ErrorId, missing.Category, missing.Target));
            return;
        }
        WriteObject(links, enumerateCollection: true);
    }

    /// <summary>The links whose names match the parameters, as the local service matches them.</summary>
    private IReadOnlyList<ScheduledRunbook> Matching(IReadOnlyList<ScheduledRunbook> links)
    {
        var runbooks = Pattern(RunbookName) is { } r ? new WildcardPattern(r, WildcardOptions.IgnoreCase) : null;
        var schedules = Pattern(ScheduleName) is { } s ? new WildcardPattern(s, WildcardOptions.IgnoreCase) : null;
        return links.Where(l => runbooks?.IsMatch(l.RunbookName) != false && schedules?.IsMatch(l.ScheduleName) != false).ToList();
    }

    private static string? Pattern(string? name) =>
        name is null || WildcardPattern.ContainsWildcardCharacters(name) ? name : WildcardPattern.Escape(name);
}
