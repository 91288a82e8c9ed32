using Dapper;
using Npgsql;
using Sma.Engine.Model;
using Sma.Engine.Scheduling;

namespace Sma.Engine.Store.PostgreSql;

public sealed partial class PostgresStore : IScheduleStore
{
    private const string ScheduleColumns =
        "schedule_id, name, schedule_type, start_time, expiry_time, interval, days_of_week, cron, time_zone, description, " +
        "is_enabled, creation_time, last_modified_time";

    private const string LinkSelect =
        "SELECT l.link_id, l.schedule_id, s.name AS schedule_name, l.runbook_id, r.name AS runbook_name, l.working_directory, " +
        "l.next_run, l.last_run, l.last_job_id, l.last_missed, l.missed_count, l.creation_time " +
        "FROM schedule_links l JOIN schedules s ON s.schedule_id = l.schedule_id JOIN runbooks r ON r.runbook_id = l.runbook_id";

    public ScheduleRecord? FindSchedule(string name) => Read(c =>
        c.QuerySingleOrDefault<ScheduleRow>($"SELECT {ScheduleColumns} FROM schedules WHERE name = @name", new { name })?.ToRecord());

    public IReadOnlyList<ScheduleRecord> ListSchedules() => Read(c =>
        c.Query<ScheduleRow>($"SELECT {ScheduleColumns} FROM schedules ORDER BY name").Select(r => r.ToRecord()).ToList());

    public ScheduleRecord CreateSchedule(NewSchedule schedule) => Write(tx =>
    {
        var c = tx.Connection!;
        if (c.ExecuteScalar<long>("SELECT count(*) FROM schedules WHERE name = @Name", new { schedule.Name }, tx) > 0)
            throw SmaErrors.ScheduleAlreadyExists(schedule.Name);
        var d = schedule.Definition;
        var now = Now();
        var id = Guid.NewGuid().ToString();
        c.Execute(
            $"INSERT INTO schedules ({ScheduleColumns}) VALUES (@id, @Name, @type, @start, @expiry, @Interval, @days, @Cron, " +
            "@TimeZone, @Description, 1, @now, @now)",
            new
            {
                id,
                schedule.Name,
                type = d.Type.ToString(),
                start = Ticks(d.StartTime),
                expiry = d.ExpiryTime is { } e ? Ticks(e) : (long?)null,
                d.Interval,
                days = d.DaysText,
                d.Cron,
                d.TimeZone,
                schedule.Description,
                now,
            }, tx);
        return ScheduleById(c, tx, id)!;
    });

    public ScheduleRecord UpdateSchedule(Guid scheduleId, ScheduleChanges changes) => Write(tx =>
    {
        var c = tx.Connection!;
        var id = scheduleId.ToString();
        var current = ScheduleById(c, tx, id) ?? throw SmaErrors.ScheduleNotFound(scheduleId.ToString());
        c.Execute(
            "UPDATE schedules SET description = @description, is_enabled = @enabled::int, last_modified_time = @now WHERE schedule_id = @id",
            new
            {
                description = changes.SetDescription ? changes.Description : current.Description,
                enabled = changes.IsEnabled ?? current.IsEnabled,
                now = Now(),
                id,
            }, tx);
        if (changes.SetLinksNextRun)
            c.Execute("UPDATE schedule_links SET next_run = @next WHERE schedule_id = @id",
                new { next = changes.LinksNextRun is { } n ? Ticks(n) : (long?)null, id }, tx);
        return ScheduleById(c, tx, id)!;
    });

    public bool RemoveSchedule(Guid scheduleId) => Write(tx =>
        tx.Connection!.Execute("DELETE FROM schedules WHERE schedule_id = @id", new { id = scheduleId.ToString() }, tx) > 0);

    public ScheduleLinkRecord CreateLink(NewScheduleLink link) => Write(tx =>
    {
        var c = tx.Connection!;
        var names = c.QuerySingleOrDefault<(string Schedule, string Runbook)>(
            "SELECT s.name, r.name FROM schedules s, runbooks r WHERE s.schedule_id = @schedule AND r.runbook_id = @runbook",
            new { schedule = link.ScheduleId.ToString(), runbook = link.RunbookId.ToString() }, tx);
        if (names.Schedule is null)
            throw SmaErrors.ScheduleNotFound(link.ScheduleId.ToString());
        if (c.ExecuteScalar<long>(
                "SELECT count(*) FROM schedule_links WHERE schedule_id = @schedule AND runbook_id = @runbook",
                new { schedule = link.ScheduleId.ToString(), runbook = link.RunbookId.ToString() }, tx) > 0)
            throw SmaErrors.RunbookAlreadyScheduled(names.Runbook, names.Schedule);
        var id = Guid.NewGuid().ToString();
        c.Execute(
            "INSERT INTO schedule_links (link_id, schedule_id, runbook_id, working_directory, next_run, creation_time) " +
            "VALUES (@id, @schedule, @runbook, @WorkingDirectory, @next, @now)",
            new
            {
                id,
                schedule = link.ScheduleId.ToString(),
                runbook = link.RunbookId.ToString(),
                link.WorkingDirectory,
                next = link.NextRun is { } n ? Ticks(n) : (long?)null,
                now = Now(),
            }, tx);
        c.Execute(
            "INSERT INTO schedule_link_parameters (link_id, ordinal, name, value_xml, secret, display) " +
            "VALUES (@id, @Ordinal, @Name, @ValueXml, @Secret, @Display)",
            link.Parameters.Select((p, i) => new { id, Ordinal = i, p.Name, p.ValueXml, p.Secret, p.Display }), tx);
        return Links(c, tx, " WHERE l.link_id = @id", new { id })[0];
    });

    public IReadOnlyList<ScheduleLinkRecord> ListLinks(Guid? runbookId, Guid? scheduleId) => Read(c =>
        Links(c, null,
            " WHERE (@runbook IS NULL OR l.runbook_id = @runbook) AND (@schedule IS NULL OR l.schedule_id = @schedule) " +
            "ORDER BY r.name, s.name",
            new { runbook = runbookId?.ToString(), schedule = scheduleId?.ToString() }));

    public bool RemoveLink(Guid linkId) => Write(tx =>
        tx.Connection!.Execute("DELETE FROM schedule_links WHERE link_id = @id", new { id = linkId.ToString() }, tx) > 0);

    public DateTime? EarliestNextRun() => Read(c =>
        Utc(c.ExecuteScalar<long?>("SELECT min(next_run) FROM schedule_links")));

    public IReadOnlyList<DueLink> DueLinks(DateTime now, int max) => Read(c =>
    {
        var links = Links(c, null, " WHERE l.next_run <= @now ORDER BY l.next_run LIMIT @max", new { now = Ticks(now), max });
        var schedules = new Dictionary<Guid, ScheduleRecord>();
        foreach (var id in links.Select(l => l.ScheduleId).Distinct())
            if (ScheduleById(c, null, id.ToString()) is { } schedule)
                schedules[id] = schedule;
        return links.Where(l => schedules.ContainsKey(l.ScheduleId)).Select(l => new DueLink(l, schedules[l.ScheduleId])).ToList();
    });

    public Job? CreateScheduledJob(NewJob job, OccurrenceClaim claim) => Write(tx =>
    {
        var c = tx.Connection!;
        var link = claim.LinkId.ToString();
        var occurrence = Ticks(claim.OccurrenceTime);
        // The link's row lock is held from here, so this check and the writes below are one step on every machine.
        if (c.ExecuteScalar<long?>("SELECT next_run FROM schedule_links WHERE link_id = @link FOR UPDATE", new { link }, tx) != occurrence)
            return null;
        var now = Now();
        var claimed = c.Execute(
            "INSERT INTO schedule_occurrences (link_id, occurrence_time, outcome, job_id, recorded_time, worker, details) " +
            "VALUES (@link, @occurrence, @outcome, @job, @now, @Worker, @details) ON CONFLICT DO NOTHING",
            new
            {
                link, occurrence, outcome = nameof(OccurrenceOutcome.Started), job = job.JobId.ToString(), now, claim.Worker,
                details = job.Details,
            }, tx);
        var next = claim.NextRun is { } n ? Ticks(n) : (long?)null;
        if (claimed == 0)
        {
            // Already handled (the link was set back to it): move on rather than offer it again.
            c.Execute("UPDATE schedule_links SET next_run = @next WHERE link_id = @link", new { next, link }, tx);
            return null;
        }
        var created = InsertNewJob(tx.Connection!, tx, job, now);
        c.Execute(
            "UPDATE schedule_links SET next_run = @next, last_run = @occurrence, last_job_id = @job WHERE link_id = @link",
            new { next, occurrence, job = job.JobId.ToString(), link }, tx);
        return created;
    });

    public bool RecordSkipped(SkippedOccurrences skipped) => Write(tx =>
    {
        var c = tx.Connection!;
        var link = skipped.LinkId.ToString();
        if (c.ExecuteScalar<long?>("SELECT next_run FROM schedule_links WHERE link_id = @link FOR UPDATE", new { link }, tx)
            != Ticks(skipped.ExpectedNextRun))
            return false;
        var first = Ticks(skipped.First);
        var claimed = c.Execute(
            "INSERT INTO schedule_occurrences (link_id, occurrence_time, outcome, through_time, occurrence_count, recorded_time, " +
            "worker, details) VALUES (@link, @first, @outcome, @last, @Count, @now, @Worker, @Details) ON CONFLICT DO NOTHING",
            new
            {
                link, first, outcome = skipped.Outcome.ToString(), last = Ticks(skipped.Last), skipped.Count, now = Now(),
                skipped.Worker, skipped.Details,
            }, tx);
        // A conflict means the first of them was handled already (the link was set back to it): only move on.
        var missed = skipped.Outcome == OccurrenceOutcome.Missed && claimed > 0;
        c.Execute(
            "UPDATE schedule_links SET next_run = @next, last_missed = CASE WHEN @missed THEN @last ELSE last_missed END, " +
            "missed_count = missed_count + CASE WHEN @missed THEN @Count ELSE 0 END WHERE link_id = @link",
            new { next = skipped.NextRun is { } n ? Ticks(n) : (long?)null, missed, last = Ticks(skipped.Last), skipped.Count, link }, tx);
        return claimed > 0;
    });

    public IReadOnlyList<ScheduleOccurrence> ReadOccurrences(Guid? scheduleId, Guid? runbookId, int max) => Read(c =>
        c.Query<OccurrenceRow>(
                "SELECT s.name AS schedule_name, r.name AS runbook_name, o.occurrence_time, o.outcome, o.through_time, " +
                "o.occurrence_count, o.job_id, o.recorded_time, o.worker, o.details FROM schedule_occurrences o " +
                "JOIN schedule_links l ON l.link_id = o.link_id JOIN schedules s ON s.schedule_id = l.schedule_id " +
                "JOIN runbooks r ON r.runbook_id = l.runbook_id " +
                "WHERE (@schedule IS NULL OR l.schedule_id = @schedule) AND (@runbook IS NULL OR l.runbook_id = @runbook) " +
                "ORDER BY o.recorded_time DESC, o.occurrence_time DESC LIMIT @max",
                new { schedule = scheduleId?.ToString(), runbook = runbookId?.ToString(), max })
            .Select(r => r.ToModel())
            .ToList());

    public int PurgeOccurrences(DateTime cutoff, int max) => Write(tx =>
        tx.Connection!.Execute(
            "DELETE FROM schedule_occurrences WHERE (link_id, occurrence_time) IN " +
            "(SELECT link_id, occurrence_time FROM schedule_occurrences WHERE recorded_time < @cutoff LIMIT @max)",
            new { cutoff = Ticks(cutoff), max }, tx));

    private ScheduleRecord? ScheduleById(NpgsqlConnection c, NpgsqlTransaction? tx, string id) =>
        c.QuerySingleOrDefault<ScheduleRow>($"SELECT {ScheduleColumns} FROM schedules WHERE schedule_id = @id", new { id }, tx)?.ToRecord();

    private List<ScheduleLinkRecord> Links(NpgsqlConnection c, NpgsqlTransaction? tx, string where, object args)
    {
        var rows = c.Query<LinkRow>(LinkSelect + where, args, tx).ToList();
        var parameters = rows.ToDictionary(r => r.LinkId, _ => new List<StoredParameter>());
        foreach (var chunk in rows.Select(r => r.LinkId).Chunk(IdChunk))
            foreach (var p in c.Query<ParameterRow>(
                         "SELECT link_id AS job_id, ordinal, name, value_xml, secret, display FROM schedule_link_parameters " +
                         "WHERE link_id = ANY(@chunk) ORDER BY link_id, ordinal", new { chunk }, tx))
                parameters[p.JobId].Add(p.ToModel());
        return rows.Select(r => r.ToRecord(parameters[r.LinkId])).ToList();
    }
}
