using System.Collections;
using Dapper;
using Microsoft.Data.Sqlite;
using Sma.Engine.Execution;
using Sma.Engine.Model;
using Sma.Engine.Scheduling;
using Sma.Engine.Services;
using Sma.Engine.Store;
using Xunit;

namespace Sma.Engine.Tests;

/// <summary>
/// Firing (DESIGN §10): each occurrence starts exactly one job however many schedulers see it due; an occurrence
/// found beyond the grace period is recorded as missed and not run; within it, it runs once. The schedulers here are
/// driven by hand with a chosen "now", so no test waits for the clock.
/// </summary>
public class SchedulerTests : RuntimeTestBase
{
    private static readonly TimeSpan Grace = TimeSpan.FromMinutes(5);
    private readonly ScheduleService _schedules;

    public SchedulerTests()
    {
        _schedules = new ScheduleService(Runtime);
        Import("Report", "param([string] $Region, [int] $Days = 1) \"$Region $Days\"");
    }

    private ScheduleRecord OneTime(string name, DateTime start)
    {
        var request = new ScheduleRequest { Name = name, Type = ScheduleType.OneTimeSchedule, StartTime = start, TimeZone = "UTC" };
        _schedules.Create(name, _schedules.Define(request), null);
        return _schedules.Find(name)!;
    }

    private ScheduledRunbook Link(string runbook, string schedule, IDictionary? parameters = null) =>
        _schedules.Link(Runbooks.Get(runbook), schedule, parameters ?? new Hashtable { ["Region"] = "north" }, null);

    private List<Job> JobsOf(string schedule) =>
        Jobs.Query(new JobQuery()).Where(j => j.ScheduleName == schedule).ToList();

    [Fact]
    public void An_occurrence_within_the_grace_period_starts_one_job_with_the_linked_values_and_the_schedule_recorded()
    {
        var due = DateTime.UtcNow.AddHours(1);
        OneTime("Once", due);
        Link("Report", "Once", new Hashtable { ["Region"] = "south", ["Days"] = 3 });
        var scheduler = new Scheduler(Runtime, "test", Grace);

        Assert.Equal(0, scheduler.FireDue(due.AddSeconds(-1))); // not yet due
        Assert.Equal(1, scheduler.FireDue(due.AddMinutes(1)));
        Assert.Equal(0, scheduler.FireDue(due.AddMinutes(2))); // the link moved on: a one-time schedule fires once

        var job = Assert.Single(JobsOf("Once"));
        Assert.Equal("south", job.JobParameters["Region"]);
        Assert.Equal(3, job.JobParameters["Days"]);
        Assert.Equal("Completed", Wait(job.JobId).JobStatus);
        Assert.Equal("south 3", Assert.Single(Jobs.Output(job.JobId, StreamType.Output, null)).StreamText);
        Assert.Contains($"Started by schedule 'Once' (occurrence {due:u})", Jobs.History(job.JobId)[0].Details);

        var link = Assert.Single(_schedules.Links("Report", "Once"));
        Assert.Null(link.NextRun);
        Assert.Equal(due, link.LastRun);
        Assert.Equal(job.JobId, link.LastJobId);
        var started = Assert.Single(_schedules.History("Once", null, 10));
        Assert.Equal(OccurrenceOutcome.Started, started.Outcome);
        Assert.Equal(job.JobId, started.JobId);
    }

    [Fact]
    public void An_occurrence_found_beyond_the_grace_period_is_recorded_as_missed_and_not_run()
    {
        var due = DateTime.UtcNow.AddHours(1);
        OneTime("Late", due);
        Link("Report", "Late");
        var scheduler = new Scheduler(Runtime, "test", Grace);

        Assert.Equal(1, scheduler.FireDue(due + Grace + TimeSpan.FromSeconds(1)));
        Assert.Empty(JobsOf("Late"));
        var missed = Assert.Single(_schedules.History("Late", null, 10));
        Assert.Equal(OccurrenceOutcome.Missed, missed.Outcome);
        Assert.Equal(due, missed.OccurrenceTime);
        Assert.Null(missed.JobId);
        Assert.Contains("no worker was running", missed.Details);
        var link = Assert.Single(_schedules.Links("Report", "Late"));
        Assert.Equal(due, link.LastMissed);
        Assert.Equal(1, link.MissedCount);
        Assert.Null(link.NextRun);
        Assert.Null(link.LastRun);
    }

    [Fact]
    public void A_run_of_missed_occurrences_is_one_row_with_its_count_and_the_first_one_within_the_grace_runs()
    {
        var start = DateTime.UtcNow.AddHours(1);
        var request = new ScheduleRequest { Name = "Hourly", Type = ScheduleType.HourlySchedule, StartTime = start, Interval = 1, TimeZone = "UTC" };
        _schedules.Create("Hourly", _schedules.Define(request), null);
        Link("Report", "Hourly");
        var scheduler = new Scheduler(Runtime, "test", Grace);

        // Found 10 h 2 min after the first occurrence: 10 are beyond the 5-minute grace, the 11th (2 min ago) runs.
        var now = start.AddHours(10).AddMinutes(2);
        Assert.Equal(1, scheduler.FireDue(now));
        var job = Assert.Single(JobsOf("Hourly"));
        var history = _schedules.History("Hourly", null, 10).OrderBy(h => h.OccurrenceTime).ToList();
        Assert.Equal(2, history.Count);
        Assert.Equal((OccurrenceOutcome.Missed, start, 10L, start.AddHours(9)),
            (history[0].Outcome, history[0].OccurrenceTime, history[0].Count, history[0].ThroughTime!.Value));
        Assert.Equal((OccurrenceOutcome.Started, start.AddHours(10), job.JobId), (history[1].Outcome, history[1].OccurrenceTime, history[1].JobId!.Value));
        var link = Assert.Single(_schedules.Links("Report", "Hourly"));
        Assert.Equal(start.AddHours(11), link.NextRun);
        Assert.Equal(10, link.MissedCount);
    }

    [Fact]
    public void Each_occurrence_starts_exactly_one_job_across_many_schedulers_and_stores()
    {
        const int runbooks = 12;
        const int schedulers = 6;
        var due = DateTime.UtcNow.AddHours(1);
        OneTime("Shared", due);
        var cron = new ScheduleRequest { Name = "Minutely", Type = ScheduleType.CronSchedule, Cron = "* * * * *", StartTime = due, TimeZone = "UTC" };
        _schedules.Create("Minutely", _schedules.Define(cron), null);
        for (var i = 0; i < runbooks; i++)
        {
            Import($"R{i}", "'ok'");
            _schedules.Link(Runbooks.Get($"R{i}"), "Shared", null, null);
            _schedules.Link(Runbooks.Get($"R{i}"), "Minutely", null, null);
        }
        // Each scheduler has its own store connection pool and runtime, as separate processes would.
        var runtimes = Enumerable.Range(0, schedulers).Select(_ => Temp.Runtime()).ToList();
        try
        {
            var minute = new ScheduleService(runtimes[0]).Links(null, "Minutely")[0].NextRun!.Value;
            foreach (var now in new[] { due.AddSeconds(1), minute.AddSeconds(1), minute.AddMinutes(1).AddSeconds(1) })
            {
                using var go = new Barrier(schedulers);
                var threads = runtimes.Select((r, i) => new Thread(() =>
                {
                    var scheduler = new Scheduler(r, $"S{i}", Grace);
                    go.SignalAndWait();
                    while (scheduler.FireDue(now) > 0)
                    {
                    }
                })).ToList();
                threads.ForEach(t => t.Start());
                threads.ForEach(t => t.Join());
            }
            var all = Jobs.Query(new JobQuery());
            Assert.Equal(runbooks, all.Count(j => j.ScheduleName == "Shared"));
            Assert.Equal(runbooks * 2, all.Count(j => j.ScheduleName == "Minutely"));
            Assert.All(Enumerable.Range(0, runbooks), i =>
            {
                Assert.Single(all, j => j.RunbookName == $"R{i}" && j.ScheduleName == "Shared");
                Assert.Equal(2, all.Count(j => j.RunbookName == $"R{i}" && j.ScheduleName == "Minutely"));
            });
            var started = _schedules.History("Minutely", null, 1000);
            Assert.Equal(runbooks * 2, started.Count);
            Assert.All(started, h => Assert.Equal(OccurrenceOutcome.Started, h.Outcome));
        }
        finally
        {
            runtimes.ForEach(r => r.Dispose());
        }
    }

    [Fact]
    public void An_occurrence_already_claimed_starts_no_second_job_even_if_its_link_is_set_back_to_it()
    {
        var due = DateTime.UtcNow.AddHours(1);
        var request = new ScheduleRequest { Name = "Again", Type = ScheduleType.HourlySchedule, StartTime = due, Interval = 1, TimeZone = "UTC" };
        _schedules.Create("Again", _schedules.Define(request), null);
        Link("Report", "Again");
        var scheduler = new Scheduler(Runtime, "test", Grace);
        Assert.Equal(1, scheduler.FireDue(due.AddSeconds(1)));

        using (var c = Temp.Connect())
        {
            c.Execute("UPDATE schedule_links SET next_run = @due", new { due = due.Ticks });
        }
        Assert.Equal(1, scheduler.FireDue(due.AddSeconds(2))); // seen due again, claimed already: the link moves on
        Assert.Equal(0, scheduler.FireDue(due.AddSeconds(3)));
        Assert.Single(JobsOf("Again"));
        Assert.Equal(due.AddHours(1), Assert.Single(_schedules.Links(null, "Again")).NextRun);
    }

    [Fact]
    public void A_disabled_schedule_fires_nothing_and_enabled_again_goes_on_from_now_without_counting_misses()
    {
        var start = DateTime.UtcNow.AddMinutes(30);
        var request = new ScheduleRequest { Name = "Pausable", Type = ScheduleType.HourlySchedule, StartTime = start, Interval = 1, TimeZone = "UTC" };
        _schedules.Create("Pausable", _schedules.Define(request), null);
        Link("Report", "Pausable");
        var scheduler = new Scheduler(Runtime, "test", Grace);

        _schedules.Update(_schedules.Find("Pausable")!, false, null, enabled: false);
        Assert.Null(Assert.Single(_schedules.Links(null, "Pausable")).NextRun);
        Assert.Null(_schedules.Get("Pausable").NextRun);
        Assert.Equal(0, scheduler.FireDue(start.AddHours(3)));

        _schedules.Update(_schedules.Find("Pausable")!, false, null, enabled: true);
        var link = Assert.Single(_schedules.Links(null, "Pausable"));
        Assert.Equal(start, link.NextRun); // the next occurrence from now
        Assert.Equal(0, link.MissedCount);
        Assert.Empty(JobsOf("Pausable"));
    }

    [Fact]
    public void Links_are_checked_like_a_start_and_go_with_their_runbook_or_schedule()
    {
        OneTime("Checked", DateTime.UtcNow.AddHours(1));
        Assert.Equal("UnknownParameter", Assert.Throws<SmaException>(() => Link("Report", "Checked", new Hashtable { ["Colour"] = "red" })).ErrorId);
        Assert.Empty(_schedules.Links(null, null));
        Link("Report", "Checked");
        Assert.Equal("RunbookAlreadyScheduled", Assert.Throws<SmaException>(() => Link("Report", "Checked")).ErrorId);
        Assert.Equal("ScheduleNotFound", Assert.Throws<SmaException>(() => Link("Report", "Nope")).ErrorId);

        Import("Other", "'x'");
        _schedules.Link(Runbooks.Get("Other"), "Checked", null, null);
        Runbooks.Remove(Runbooks.Get("Report"));
        Assert.Equal("Other", Assert.Single(_schedules.Links(null, null)).RunbookName);
        _schedules.Remove(_schedules.Find("Checked")!);
        Assert.Empty(_schedules.Links(null, null));
    }
}
