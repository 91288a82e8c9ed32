using System.Collections;
using System.Collections.Specialized;
using System.Management.Automation;
using Sma.Engine.Model;
using Sma.Engine.Scheduling;
using Sma.Engine.Store;

namespace Sma.Engine.Services;

/// <summary>
/// Schedules for the cmdlets: create (SMA's Set-SmaSchedule, plus hourly, weekly and cron), describe, enable and
/// disable, remove; link runbooks to them with checked parameter values, list and remove links; read what became of
/// occurrences. The workers fire them (<see cref="Execution.Scheduler"/>).
/// </summary>
public sealed class ScheduleService
{
    private readonly SmaRuntime _runtime;
    private readonly IScheduleStore _store;

    public ScheduleService(SmaRuntime runtime)
    {
        _runtime = runtime;
        _store = runtime.ScheduleStore;
    }

    public ScheduleRecord? Find(string name) => _store.FindSchedule(name);

    public Schedule Get(string name) => ToModel(Find(name) ?? throw SmaErrors.ScheduleNotFound(name), DateTime.UtcNow);

    /// <summary>Schedules whose name matches <paramref name="pattern"/> (wildcards, any case); all when null.</summary>
    public IReadOnlyList<Schedule> List(string? pattern = null)
    {
        var now = DateTime.UtcNow;
        var match = pattern is null ? null : new WildcardPattern(pattern, WildcardOptions.IgnoreCase);
        return _store.ListSchedules().Where(s => match?.IsMatch(s.Name) != false).Select(s => ToModel(s, now)).ToList();
    }

    /// <summary>Checks a new schedule's definition (nothing is written); the cmdlet asks ShouldProcess with it, then <see cref="Create"/>.</summary>
    public ScheduleDefinition Define(ScheduleRequest request) => request.Define(DateTime.UtcNow);

    public Schedule Create(string name, ScheduleDefinition definition, string? description) =>
        ToModel(_store.CreateSchedule(new NewSchedule(name, definition, description)), DateTime.UtcNow);

    /// <summary>
    /// SMA's rule for an existing schedule: only the description (and whether it is enabled) changes. A definition
    /// given again must be the one stored (so a deployment script can run twice); any other is ScheduleCannotChange.
    /// </summary>
    public void CheckUnchanged(ScheduleRecord existing, ScheduleRequest request)
    {
        // The zone and (cron) start stand in for what was not given; a past start is no news for a schedule that exists.
        var given = request.Define(DateTime.UtcNow, existing.Definition.TimeZone, existing.Definition.StartTime, existing: true);
        if (ScheduleRequest.FirstDifference(existing.Definition, given) is { } what)
            throw SmaErrors.ScheduleCannotChange(existing.Name, what);
    }

    /// <summary>
    /// Changes the description and/or enables or disables the schedule. Disabled, its links wait for nothing; enabled
    /// again, they go on from the next occurrence after now (what fell in between is not missed: it was switched off).
    /// </summary>
    public Schedule Update(ScheduleRecord existing, bool setDescription, string? description, bool? enabled)
    {
        var changes = new ScheduleChanges { SetDescription = setDescription, Description = description, IsEnabled = enabled };
        if (enabled is { } on && on != existing.IsEnabled)
        {
            changes = changes with
            {
                SetLinksNextRun = true,
                LinksNextRun = on ? Occurrences.Of(existing.Definition, existing.Name).Next(DateTime.UtcNow, inclusive: true) : null,
            };
        }
        var updated = ToModel(_store.UpdateSchedule(existing.ScheduleId, changes), DateTime.UtcNow);
        _runtime.OnSchedulesChanged();
        return updated;
    }

    /// <summary>Deletes a schedule with its links and their history; the jobs it started stay.</summary>
    public void Remove(ScheduleRecord schedule)
    {
        if (!_store.RemoveSchedule(schedule.ScheduleId))
            throw SmaErrors.ScheduleNotFound(schedule.Name);
        _runtime.OnSchedulesChanged();
    }

    /// <summary>
    /// Links a runbook to a schedule with parameter values, checked and encrypted exactly as for a start
    /// (a bad value is an error and no link is made). The link fires the schedule's next occurrence from now.
    /// </summary>
    public ScheduledRunbook Link(Runbook runbook, string scheduleName, IDictionary? parameters, string? workingDirectory)
    {
        var schedule = Find(scheduleName) ?? throw SmaErrors.ScheduleNotFound(scheduleName);
        var next = Occurrences.Of(schedule.Definition, schedule.Name).Next(DateTime.UtcNow, inclusive: true)
            ?? throw SmaErrors.ScheduleExpired(schedule.Name);
        IReadOnlyList<StoredParameter> stored;
        try
        {
            (_, stored) = new JobService(_runtime).CheckParameters(runbook, parameters);
        }
        catch (SmaException e)
        {
            throw SmaErrors.ForScheduleLink(e);
        }
        var link = _store.CreateLink(new NewScheduleLink(
            schedule.ScheduleId, runbook.RunbookID, stored, workingDirectory, schedule.IsEnabled ? next : null));
        _runtime.OnSchedulesChanged(); // a local scheduler may now have an earlier occurrence to wait for
        return ToModel(link);
    }

    /// <summary>
    /// <see cref="Link"/> with the values as text (the web service's POST JobSchedules), converted to the types the
    /// runbook declares as for a start through the service; a value that does not fit is an error and no link is made.
    /// </summary>
    public ScheduledRunbook LinkWithText(Runbook runbook, string scheduleName, IReadOnlyList<KeyValuePair<string, string?>> values)
    {
        if (Find(scheduleName) is null)
            throw SmaErrors.ScheduleNotFound(scheduleName);
        System.Collections.Hashtable converted;
        try
        {
            converted = new JobService(_runtime).ConvertText(runbook, values);
        }
        catch (SmaException e)
        {
            throw SmaErrors.ForScheduleLink(e);
        }
        return Link(runbook, scheduleName, converted, workingDirectory: null);
    }

    /// <summary>True when some worker (any process) is alive to fire schedules.</summary>
    public bool AnyWorkerAvailable() => new WorkerService(_runtime).AnyAvailable();

    /// <summary>Links whose runbook and schedule names match the patterns (wildcards, any case; null matches all).</summary>
    public IReadOnlyList<ScheduledRunbook> Links(string? runbookPattern, string? schedulePattern)
    {
        var runbooks = runbookPattern is null ? null : new WildcardPattern(runbookPattern, WildcardOptions.IgnoreCase);
        var schedules = schedulePattern is null ? null : new WildcardPattern(schedulePattern, WildcardOptions.IgnoreCase);
        return _store.ListLinks(null, null)
            .Where(l => runbooks?.IsMatch(l.RunbookName) != false && schedules?.IsMatch(l.ScheduleName) != false)
            .Select(ToModel)
            .ToList();
    }

    /// <summary>Removes the link of a runbook to a schedule; ScheduledRunbookNotFound when there is none.</summary>
    public void Unlink(string runbookName, string scheduleName)
    {
        var link = _store.ListLinks(null, null).FirstOrDefault(l =>
                       l.RunbookName.Equals(runbookName, StringComparison.OrdinalIgnoreCase) &&
                       l.ScheduleName.Equals(scheduleName, StringComparison.OrdinalIgnoreCase))
                   ?? throw SmaErrors.ScheduledRunbookNotFound(runbookName, scheduleName);
        if (!_store.RemoveLink(link.LinkId))
            throw SmaErrors.ScheduledRunbookNotFound(runbookName, scheduleName);
        _runtime.OnSchedulesChanged();
    }

    /// <summary>What became of occurrences, newest first, for one schedule and/or runbook (names, exact) or all.</summary>
    public IReadOnlyList<ScheduleOccurrence> History(string? scheduleName, string? runbookName, int max)
    {
        Guid? scheduleId = null, runbookId = null;
        if (scheduleName is not null)
            scheduleId = (Find(scheduleName) ?? throw SmaErrors.ScheduleNotFound(scheduleName)).ScheduleId;
        if (runbookName is not null)
            runbookId = (_runtime.Store.FindRunbook(runbookName) ?? throw SmaErrors.RunbookNotFound(runbookName)).RunbookID;
        return _store.ReadOccurrences(scheduleId, runbookId, max);
    }

    private static Schedule ToModel(ScheduleRecord s, DateTime now)
    {
        var next = Occurrences.Of(s.Definition, s.Name).Next(now, inclusive: true);
        var d = s.Definition;
        return new Schedule
        {
            ScheduleID = s.ScheduleId,
            Name = s.Name,
            ScheduleType = d.Type,
            Description = s.Description,
            StartTime = d.StartTime,
            ExpiryTime = d.ExpiryTime,
            NextRun = s.IsEnabled ? next : null,
            Interval = d.Interval,
            Recurrence = d.Recurrence,
            DaysOfWeek = d.DaysOfWeek?.ToArray(),
            Cron = d.Cron,
            TimeZone = d.TimeZone,
            IsEnabled = s.IsEnabled,
            IsExpired = next is null,
            CreationTime = s.CreationTime,
            LastModifiedTime = s.LastModifiedTime,
        };
    }

    private static ScheduledRunbook ToModel(ScheduleLinkRecord l)
    {
        var shown = new OrderedDictionary(StringComparer.OrdinalIgnoreCase);
        foreach (var p in l.Parameters)
            shown[p.Name] = p.Secret is not null ? p.Display : p.ValueXml is null ? null : PSSerializer.Deserialize(p.ValueXml);
        return new ScheduledRunbook
        {
            JobScheduleId = l.LinkId,
            RunbookName = l.RunbookName,
            RunbookId = l.RunbookId,
            ScheduleName = l.ScheduleName,
            ScheduleId = l.ScheduleId,
            Parameters = shown,
            NextRun = l.NextRun,
            LastRun = l.LastRun,
            LastJobId = l.LastJobId,
            LastMissed = l.LastMissed,
            MissedCount = l.MissedCount,
            CreationTime = l.CreationTime,
        };
    }
}
