using System.Management.Automation;
using Sma.Cmdlets.Infrastructure;
using Sma.Engine;
using Sma.Engine.Model;

namespace Sma.Cmdlets.Commands;

/// <summary>
/// Lists the links between runbooks and schedules (SMA's job schedules), with their parameter values (secrets masked),
/// the next occurrence each will fire, the last one that started a job and the last one recorded as missed. A runbook
/// or schedule named without wildcards that does not exist is a non-terminating error.
/// </summary>
[Cmdlet(VerbsCommon.Get, "SmaScheduledRunbook")]
[OutputType(typeof(ScheduledRunbook))]
public sealed class GetSmaScheduledRunbookCommand : SmaCmdlet
{
    #region Parameters

    /// <summary>Only links of runbooks with this name; wildcards are allowed.</summary>
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(RunbookNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string? RunbookName { get; set; }

    /// <summary>Only links to schedules with this name; wildcards are allowed.</summary>
    [Parameter(Position = 1, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(ScheduleNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string? ScheduleName { get; set; }

    #endregion

    protected override void Process()
    {
        var exactRunbook = RunbookName is not null && !WildcardPattern.ContainsWildcardCharacters(RunbookName);
        var exactSchedule = ScheduleName is not null && !WildcardPattern.ContainsWildcardCharacters(ScheduleName);
        SmaException? missing = null;
        if (exactRunbook && Runtime.Store.FindRunbook(RunbookName!) is null)
            missing = SmaErrors.RunbookNotFound(RunbookName!);
        else if (exactSchedule && Schedules.Find(ScheduleName!) is null)
            missing = SmaErrors.ScheduleNotFound(ScheduleName!);
        var links = missing is null ? Schedules.Links(Pattern(RunbookName), Pattern(ScheduleName)) : Array.Empty<ScheduledRunbook>();
        if (missing is null && links.Count == 0 && exactRunbook && exactSchedule)
            missing = SmaErrors.ScheduledRunbookNotFound(RunbookName!, ScheduleName!);
        if (missing is not null)
        {
            WriteError(new ErrorRecord(missing, missing.ErrorId, missing.Category, missing.Target));
            return;
        }
        WriteObject(links, enumerateCollection: true);
    }

    private static string? Pattern(string? name) =>
        name is null || WildcardPattern.ContainsWildcardCharacters(name) ? name : WildcardPattern.Escape(name);
}
