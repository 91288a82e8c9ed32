using Sma.Engine.Model;
using Sma.Engine.Scheduling;
using Sma.Engine.Services;
using Sma.Engine.Store;

namespace Sma.Engine.Execution;

/// <summary>
/// Fires schedules (DESIGN §10). Every worker runs one, in any process; they share the work through the store:
/// each occurrence of each link is claimed by one row inserted in the transaction that creates its job, so it starts
/// exactly one job however many workers see it due. The scheduler sleeps until the earliest next run (one indexed
/// read), looking again at least every <see cref="Refresh"/> for schedules changed by other processes, so a job starts
/// well within a second of its time. An occurrence found more than the grace period late — no worker ran when it was
/// due — is recorded as missed, never run late.
/// </summary>
public sealed class Scheduler : IDisposable
{
    /// <summary>The longest a scheduler sleeps before reading the earliest next run again.</summary>
    public static readonly TimeSpan Refresh = TimeSpan.FromMilliseconds(500);

    private const int DueBatch = 100;
    private const int MaxCountedMisses = 100_000;
    private const int PurgeBatch = 1000;
    private static readonly TimeSpan PurgeInterval = TimeSpan.FromHours(1);

    private readonly SmaRuntime _runtime;
    private readonly string _worker;
    private readonly TimeSpan _grace;
    private readonly AutoResetEvent _wake = new(false);
    private readonly Thread _thread;
    private volatile bool _stopping;
    private DateTime _nextPurge = DateTime.MinValue;

    internal Scheduler(SmaRuntime runtime, string worker, TimeSpan? grace = null)
    {
        _runtime = runtime;
        _worker = worker;
        _grace = grace ?? GracePeriod;
        _thread = new Thread(Loop) { IsBackground = true, Name = $"Sma scheduler {worker}" };
    }

    /// <summary>
    /// How late an occurrence may still start its job: <c>$env:SMA_SCHEDULE_GRACE</c> seconds (at least 1), else 300
    /// (5 minutes). Beyond it the occurrence is recorded as missed.
    /// </summary>
    public static TimeSpan GracePeriod =>
        TimeSpan.FromSeconds(int.TryParse(Environment.GetEnvironmentVariable("SMA_SCHEDULE_GRACE"), out var s) && s >= 1 ? s : 300);

    /// <summary>The last error the loop met (it keeps going).</summary>
    public Exception? LastError { get; private set; }

    internal void Start()
    {
        _runtime.SchedulesChanged += Wake;
        _thread.Start();
    }

    /// <summary>Read the earliest next run now: a schedule or link changed in this process.</summary>
    public void Wake() => _wake.Set();

    private void Loop()
    {
        while (!_stopping)
        {
            var wait = Refresh;
            try
            {
                var now = _runtime.Store.ReadClock(); // the store's clock: one across every machine sharing it
                var next = _runtime.ScheduleStore.EarliestNextRun();
                if (next is { } due && due <= now)
                {
                    if (FireDue(now) > 0)
                        continue; // links moved on: the next due one may be due already
                }
                else if (next is { } later && later - now < wait)
                {
                    wait = later - now + TimeSpan.FromMilliseconds(1);
                }
                PurgeHistoryIfDue(now);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                LastError = e; // a busy or briefly unavailable store: try again shortly
            }
            _wake.WaitOne(wait);
        }
    }

    /// <summary>Acts on every link due at <paramref name="now"/>; returns how many it dealt with (won or lost to another worker).</summary>
    internal int FireDue(DateTime now)
    {
        var handled = 0;
        foreach (var due in _runtime.ScheduleStore.DueLinks(now, DueBatch))
        {
            if (_stopping)
                break;
            try
            {
                Fire(due, now);
                handled++;
                LastError = null;
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                LastError = e;
            }
        }
        return handled;
    }

    /// <summary>
    /// One due link: occurrences older than the grace period are recorded as missed (one history row for the run of
    /// them); the next one, if due now, starts its job; the link moves on to the occurrence after it.
    /// </summary>
    private void Fire(DueLink due, DateTime now)
    {
        var (link, schedule) = (due.Link, due.Schedule);
        var store = _runtime.ScheduleStore;
        var occurrences = Occurrences.Of(schedule.Definition, schedule.Name);
        var expected = link.NextRun!.Value;
        DateTime? occurrence = expected;
        var cutoff = now - _grace;
        if (expected < cutoff)
        {
            long count = 0;
            var last = expected;
            var counted = true;
            while (occurrence is { } o && o < cutoff)
            {
                (last, count) = (o, count + 1);
                if (count == MaxCountedMisses)
                {
                    (occurrence, counted) = (occurrences.Next(cutoff, inclusive: true), false);
                    break;
                }
                occurrence = occurrences.Next(o, inclusive: false);
            }
            var missed = new SkippedOccurrences(link.LinkId, expected, occurrence, OccurrenceOutcome.Missed, expected, last, count,
                _worker, MissedDetails(schedule.Name, expected, last, count, counted));
            if (!store.RecordSkipped(missed))
                return; // another worker recorded them first; the next look sees where the link is now
        }
        if (occurrence is not { } time || time > now)
            return;
        var next = occurrences.Next(time, inclusive: false);
        var runbook = _runtime.Store.FindRunbook(link.RunbookId);
        if (runbook is null)
            return; // removed meanwhile; its links went with it
        var claim = new OccurrenceClaim(link.LinkId, time, next, _worker);
        try
        {
            new JobService(_runtime).StartScheduled(runbook, link.Parameters, link.WorkingDirectory, claim, schedule.Name,
                $"Started by schedule '{schedule.Name}' (occurrence {time:u}).");
        }
        catch (SmaException e)
        {
            // The engine refused to start it (the runbook lost its published version): say so in the history rather
            // than try again forever.
            store.RecordSkipped(new SkippedOccurrences(link.LinkId, time, next, OccurrenceOutcome.Failed, time, time, 1, _worker,
                $"No job was started: {e.Message}"));
        }
    }

    private string MissedDetails(string schedule, DateTime first, DateTime last, long count, bool counted)
    {
        var when = count == 1 ? $"the occurrence at {first:u}" : $"{(counted ? "" : "at least ")}{count} occurrences from {first:u} to {last:u}";
        return $"Missed {when} of schedule '{schedule}': no worker was running then, and the grace period " +
               $"({_grace.TotalSeconds:0} s) had passed when worker '{_worker}' found {(count == 1 ? "it" : "them")}, so " +
               $"{(count == 1 ? "it was" : "they were")} not run late.";
    }

    /// <summary>Occurrence history is kept as long as jobs are (PurgeJobsOlderThanCountDays), checked at most once an hour.</summary>
    private void PurgeHistoryIfDue(DateTime now)
    {
        if (now < _nextPurge)
            return;
        _nextPurge = now + PurgeInterval;
        var cutoff = now - TimeSpan.FromDays(AdminConfigurationService.PurgeDays(_runtime.Store));
        while (_runtime.ScheduleStore.PurgeOccurrences(cutoff, PurgeBatch) == PurgeBatch && !_stopping)
        {
        }
    }

    public void Dispose()
    {
        if (_stopping)
            return;
        _stopping = true;
        _runtime.SchedulesChanged -= Wake;
        _wake.Set();
        if (_thread.IsAlive && Thread.CurrentThread != _thread)
            _thread.Join(TimeSpan.FromSeconds(5));
    }
}
