using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Sma.Engine.Dashboard;
using Sma.Engine.Model;
using Sma.Engine.Services;
using Sma.Engine.Store;
using Xunit;

namespace Sma.Engine.Tests;

public class SummaryRangeTests
{
    private static readonly DateTime Now = new(2024, 3, 10, 14, 25, 10, DateTimeKind.Utc);

    [Fact]
    public void Hours_are_aligned_to_utc_hours_and_the_current_hour_is_the_last_slice()
    {
        var range = SummaryRange.LastHours(3, Now);
        Assert.Equal(SummarySlice.Hour, range.Unit);
        Assert.Equal(new DateTime(2024, 3, 10, 12, 0, 0, DateTimeKind.Utc), range.Start);
        Assert.Equal(new DateTime(2024, 3, 10, 15, 0, 0, DateTimeKind.Utc), range.End);
        Assert.Equal(new DateTime(2024, 3, 10, 14, 0, 0, DateTimeKind.Utc), range.SliceStart(2));
        Assert.Equal(DateTimeKind.Utc, range.Start.Kind);
        Assert.Equal("last 3 hours by hour", range.Describe());
    }

    [Fact]
    public void Days_are_aligned_to_utc_days_and_today_is_the_last_slice()
    {
        var range = SummaryRange.LastDays(7, Now);
        Assert.Equal(new DateTime(2024, 3, 4, 0, 0, 0, DateTimeKind.Utc), range.Start);
        Assert.Equal(new DateTime(2024, 3, 11, 0, 0, 0, DateTimeKind.Utc), range.End);
        Assert.Equal(TimeSpan.FromDays(1), range.SliceLength);
        Assert.Equal(DateTimeKind.Utc, range.Start.Kind);
    }

    [Fact]
    public void A_time_on_a_boundary_starts_a_new_slice_and_local_times_are_converted()
    {
        var onTheHour = new DateTime(2024, 3, 10, 14, 0, 0, DateTimeKind.Utc);
        Assert.Equal(onTheHour, SummaryRange.LastHours(1, onTheHour).Start);
        Assert.Equal(onTheHour.AddHours(-1), SummaryRange.LastHours(1, onTheHour.AddTicks(-1)).Start);
        Assert.Equal(onTheHour.Date.AddDays(-1), SummaryRange.LastDays(1, onTheHour.Date.AddTicks(-1)).Start);
        var local = onTheHour.AddMinutes(30).ToLocalTime();
        Assert.Equal(onTheHour, SummaryRange.LastHours(1, local).Start);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(SummaryRange.MaxHours + 1)]
    public void Hours_out_of_range_are_refused(int hours) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => SummaryRange.LastHours(hours, Now));

    [Theory]
    [InlineData(0)]
    [InlineData(SummaryRange.MaxDays + 1)]
    public void Days_out_of_range_are_refused(int days) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => SummaryRange.LastDays(days, Now));
}

public class DashboardTests : RuntimeTestBase
{
    // "Now" for these tests: 14:25 UTC, so -Hours 3 is 12:00, 13:00 and 14:00.
    private static readonly DateTime H0 = new(2024, 3, 10, 14, 0, 0, DateTimeKind.Utc);
    private static readonly DateTime Now = H0.AddMinutes(25);

    private readonly DashboardService _dashboard;
    private readonly SeedService _seed;

    public DashboardTests()
    {
        _dashboard = new DashboardService(Runtime);
        _seed = new SeedService(Runtime);
    }

    private Guid Seed(string runbook, params (JobStatus Status, DateTime Time)[] history) =>
        _seed.Seed(new[] { new SeedRequest(runbook, history.Select(h => new SeedStatus(h.Status, h.Time)).ToList()) })[0];

    private static (JobStatus, DateTime) At(JobStatus status, DateTime time) => (status, time);

    /// <summary>The controlled history the summary tests count (see the expectations in each test).</summary>
    private void SeedHistory()
    {
        Import("Alpha", "'alpha'");
        Import("Beta", "'beta'");
        var h2 = H0.AddHours(-2);
        var h1 = H0.AddHours(-1);
        // A1: Queued and Starting before the range (the last tick of 11:00 is outside), Running exactly at 12:00.
        Seed("Alpha", At(JobStatus.Queued, h2.AddMinutes(-30)), At(JobStatus.Starting, h2.AddTicks(-1)),
            At(JobStatus.Running, h2), At(JobStatus.Completed, h2.AddMinutes(5)));
        Seed("Alpha", At(JobStatus.Queued, h2.AddMinutes(10)), At(JobStatus.Starting, h2.AddMinutes(11)),
            At(JobStatus.Running, h2.AddMinutes(12)), At(JobStatus.Failed, h1.AddMinutes(1)));
        // A3 suspends and resumes: it enters Running twice in 13:00.
        Seed("Alpha", At(JobStatus.Queued, h1.AddMinutes(10)), At(JobStatus.Starting, h1.AddMinutes(11)),
            At(JobStatus.Running, h1.AddMinutes(12)), At(JobStatus.Suspending, h1.AddMinutes(20)),
            At(JobStatus.Suspended, h1.AddMinutes(21)), At(JobStatus.Resuming, h1.AddMinutes(40)),
            At(JobStatus.Running, h1.AddMinutes(41)), At(JobStatus.Completed, H0));
        Seed("Beta", At(JobStatus.Queued, h1.AddMinutes(5)), At(JobStatus.Stopping, h1.AddMinutes(6)),
            At(JobStatus.Stopped, h1.AddMinutes(6)));
        Seed("Beta", At(JobStatus.Queued, H0), At(JobStatus.Starting, H0.AddMinutes(1)));
        // After "now" and before the range: never counted.
        Seed("Beta", At(JobStatus.Queued, H0.AddHours(1)));
        Seed("Beta", At(JobStatus.Queued, H0.AddDays(-3)));
    }

    private static int[] Counts(JobSummaryRow row) => JobSummaryRow.Statuses.Select(row.Count).ToArray();

    //                                   Queued Starting Running Completed Failed Stopping Stopped Suspending Suspended Resuming
    private static readonly int[] Zero = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 };

    [Fact]
    public void Counts_jobs_entering_each_status_per_hour_for_all_runbooks()
    {
        SeedHistory();
        var rows = _dashboard.Summarize(SummaryRange.LastHours(3, Now), null);
        Assert.Equal(new[] { H0.AddHours(-2), H0.AddHours(-1), H0 }, rows.Select(r => r.SliceStart));
        Assert.Equal(new[] { H0.AddHours(-1), H0, H0.AddHours(1) }, rows.Select(r => r.SliceEnd));
        Assert.All(rows, r => Assert.Null(r.RunbookName));
        Assert.Equal(new[] { 1, 1, 2, 1, 0, 0, 0, 0, 0, 0 }, Counts(rows[0]));
        Assert.Equal(new[] { 2, 1, 2, 0, 1, 1, 1, 1, 1, 1 }, Counts(rows[1]));
        Assert.Equal(new[] { 1, 1, 0, 1, 0, 0, 0, 0, 0, 0 }, Counts(rows[2]));
        Assert.Equal(11, rows[1].Total);
        Assert.Equal(2, rows[1].Running);
        Assert.Equal(1, rows[1].Stopped);
    }

    [Fact]
    public void Counts_one_runbook_by_name_in_any_case_or_by_wildcard()
    {
        SeedHistory();
        var range = SummaryRange.LastHours(3, Now);
        var alpha = _dashboard.Summarize(range, "ALPHA");
        Assert.Equal(new[] { 1, 1, 2, 1, 0, 0, 0, 0, 0, 0 }, Counts(alpha[0]));
        Assert.Equal(new[] { 1, 1, 2, 0, 1, 0, 0, 1, 1, 1 }, Counts(alpha[1]));
        Assert.Equal(new[] { 0, 0, 0, 1, 0, 0, 0, 0, 0, 0 }, Counts(alpha[2]));
        Assert.All(alpha, r => Assert.Equal("ALPHA", r.RunbookName));

        var beta = _dashboard.Summarize(range, "b[e]t?");
        Assert.Equal(Zero, Counts(beta[0]));
        Assert.Equal(new[] { 1, 0, 0, 0, 0, 1, 1, 0, 0, 0 }, Counts(beta[1]));
        Assert.Equal(new[] { 1, 1, 0, 0, 0, 0, 0, 0, 0, 0 }, Counts(beta[2]));

        var both = _dashboard.Summarize(range, "*a");
        Assert.Equal(_dashboard.Summarize(range, null).Select(Counts), both.Select(Counts));
    }

    [Fact]
    public void Counts_per_utc_day()
    {
        Import("Gamma", "'gamma'");
        var d0 = H0.Date;
        var d1 = d0.AddDays(-1);
        Seed("Gamma", At(JobStatus.Queued, d1.AddHours(-1)), At(JobStatus.Starting, d1), At(JobStatus.Running, d1.AddSeconds(1)),
            At(JobStatus.Completed, d1.AddHours(2)));
        Seed("Gamma", At(JobStatus.Queued, d1.AddHours(3)), At(JobStatus.Starting, d1.AddHours(3).AddMinutes(1)),
            At(JobStatus.Running, d1.AddHours(3).AddMinutes(2)), At(JobStatus.Failed, d0));
        var rows = _dashboard.Summarize(SummaryRange.LastDays(2, Now), "Gamma");
        Assert.Equal(new[] { d1, d0 }, rows.Select(r => r.SliceStart));
        Assert.Equal(new[] { 1, 2, 2, 1, 0, 0, 0, 0, 0, 0 }, Counts(rows[0]));
        Assert.Equal(new[] { 0, 0, 0, 0, 1, 0, 0, 0, 0, 0 }, Counts(rows[1]));
    }

    [Fact]
    public void Slices_without_jobs_are_zeros_and_an_unmatched_wildcard_is_all_zeros()
    {
        Import("Alpha", "'alpha'");
        var rows = _dashboard.Summarize(SummaryRange.LastHours(24, Now), null);
        Assert.Equal(24, rows.Count);
        Assert.All(rows, r => Assert.Equal(0, r.Total));
        Assert.All(_dashboard.Summarize(SummaryRange.LastDays(3, Now), "Nothing*"), r => Assert.Equal(Zero, Counts(r)));
        Assert.All(_dashboard.Summarize(SummaryRange.LastDays(3, Now), "Alpha"), r => Assert.Equal(Zero, Counts(r)));
    }

    [Fact]
    public void An_unknown_runbook_name_is_RunbookNotFound_but_a_removed_runbook_keeps_its_history()
    {
        SeedHistory();
        var range = SummaryRange.LastHours(3, Now);
        Assert.Equal("RunbookNotFound", Assert.Throws<SmaException>(() => _dashboard.Summarize(range, "Nope")).ErrorId);
        Assert.Equal("RunbookNotFound", Assert.Throws<SmaException>(() => _dashboard.Summarize(range, "x'; DROP TABLE jobs; --")).ErrorId);
        Runbooks.Remove(Runbooks.Get("Beta"));
        Assert.Equal(3, _dashboard.Summarize(range, "beta")[1].Total);
    }

    [Fact]
    public void Seeded_jobs_look_like_jobs_that_ran()
    {
        Import("Alpha", "param($Name) \"hi $Name\"");
        var id = _seed.Seed(new[]
        {
            new SeedRequest("Alpha", new[]
            {
                new SeedStatus(JobStatus.Queued, H0), new SeedStatus(JobStatus.Starting, H0.AddSeconds(1)),
                new SeedStatus(JobStatus.Running, H0.AddSeconds(2)), new SeedStatus(JobStatus.Failed, H0.AddSeconds(9)),
            })
            {
                Parameters = new System.Collections.Hashtable { ["Name"] = "x" },
                Output = new[] { "one", "two" },
                Worker = "W1",
                StatusDetails = "it broke",
            },
        })[0];
        var job = Jobs.Get(id);
        Assert.Equal("Failed", job.JobStatus);
        Assert.Equal("it broke", job.StatusDetails);
        Assert.Equal("W1", job.Worker);
        Assert.Equal(H0, job.CreationTime);
        Assert.Equal(H0.AddSeconds(2), job.StartTime);
        Assert.Equal(H0.AddSeconds(9), job.EndTime);
        Assert.Equal(H0.AddSeconds(9), job.LastModifiedTime);
        Assert.Equal("x", job.JobParameters["Name"]);
        Assert.Equal(Runbooks.Get("Alpha").PublishedRunbookVersionID, job.RunbookVersionId);
        Assert.Equal(new[] { "one", "two" }, Jobs.Output(id, null, null).Select(r => r.StreamText));
        Assert.Equal("two", Jobs.Output(id, StreamType.Output, null).Last().Value);
        var history = Jobs.History(id);
        Assert.Equal(new[] { "Queued", "Starting", "Running", "Failed" }, history.Select(h => h.ToStatus));
        Assert.Equal(new[] { null, "Queued", "Starting", "Running" }, history.Select(h => h.FromStatus));
        Assert.Equal("it broke", history[^1].Details);
        Assert.Equal(new[] { null, "W1", "W1", "W1" }, history.Select(h => h.Worker));

        var stoppedWhileQueued = Seed("Alpha", At(JobStatus.Queued, H0), At(JobStatus.Stopping, H0), At(JobStatus.Stopped, H0));
        Assert.Null(Jobs.Get(stoppedWhileQueued).Worker);
        Assert.All(Jobs.History(stoppedWhileQueued), h => Assert.Null(h.Worker));
        Assert.Null(Jobs.Get(stoppedWhileQueued).StartTime);
    }

    [Fact]
    public void A_history_the_engine_could_not_have_written_is_refused_and_nothing_is_written()
    {
        Import("Alpha", "'alpha'");
        Assert.Equal("InvalidSeedJob", Assert.Throws<SmaException>(() => Seed("Alpha")).ErrorId);
        Assert.Equal("InvalidSeedJob", Assert.Throws<SmaException>(() => Seed("Alpha", At(JobStatus.Running, H0))).ErrorId);
        Assert.Equal("InvalidSeedJob", Assert.Throws<SmaException>(() =>
            Seed("Alpha", At(JobStatus.Queued, H0), At(JobStatus.Completed, H0))).ErrorId);
        Assert.Equal("InvalidSeedJob", Assert.Throws<SmaException>(() =>
            Seed("Alpha", At(JobStatus.Queued, H0), At(JobStatus.Starting, H0.AddSeconds(-1)))).ErrorId);
        Assert.Equal("RunbookNotFound", Assert.Throws<SmaException>(() => Seed("Nope", At(JobStatus.Queued, H0))).ErrorId);
        Assert.Equal("InvalidSeedJob", Assert.Throws<SmaException>(() => _seed.Seed(new[]
        {
            new SeedRequest("Alpha", new[] { new SeedStatus(JobStatus.Queued, H0) }) { Output = new[] { "never ran" } },
        })).ErrorId);
        Runbooks.Import(Path.Combine(Temp.Folder, "Alpha.ps1"), "Drafty", RunbookType.Script, null, null, publish: false);
        Assert.Equal("RunbookNotPublished", Assert.Throws<SmaException>(() => Seed("Drafty", At(JobStatus.Queued, H0))).ErrorId);
        Assert.Empty(Jobs.Query(new JobQuery()));
    }

    [Fact]
    public void The_text_dashboard_fits_80_columns_and_shows_each_slice()
    {
        SeedHistory();
        var lines = _dashboard.RenderText(SummaryRange.LastHours(3, Now), null);
        Assert.All(lines, l => Assert.True(l.Length <= TextDashboard.MaxWidth, $"too long ({l.Length}): {l}"));
        Assert.Contains("Sma jobs, last 3 hours by hour (UTC), all runbooks", lines);
        Assert.Contains("Hour (UTC)       Queued Running Completed Failed Stopped  Ended", lines);
        Assert.Contains("2024-03-10 12:00      1       2         1      0       0  █", lines);
        Assert.Contains("2024-03-10 13:00      2       2         0      1       1  ▒░", lines);
        Assert.Contains("2024-03-10 14:00      1       0         1      0       0  █", lines);
        Assert.Contains(lines, l => l.StartsWith("Totals: Queued 4, Starting 3, Running 4, Completed 2, Failed 1,", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("Resuming 1", StringComparison.Ordinal));
    }

    [Fact]
    public void The_text_bars_scale_to_the_busiest_slice_and_keep_small_counts_visible()
    {
        var range = SummaryRange.LastDays(2, Now);
        var rows = new[]
        {
            new JobSummaryRow(range.SliceStart(0), range.SliceStart(1), "R", new[] { 300, 0, 0, 270, 1, 0, 29, 0, 0, 0 }),
            new JobSummaryRow(range.SliceStart(1), range.End, "R", new[] { 3, 0, 0, 3, 0, 0, 0, 0, 0, 0 }),
        };
        var lines = TextDashboard.Render(rows, range, "R");
        Assert.All(lines, l => Assert.True(l.Length <= TextDashboard.MaxWidth, $"too long ({l.Length}): {l}"));
        var busiest = lines.Single(l => l.StartsWith("2024-03-09    300", StringComparison.Ordinal));
        var bar = busiest[(busiest.IndexOf("  █", StringComparison.Ordinal) + 2)..];
        Assert.Equal(TextDashboard.MaxWidth, busiest.Length);
        Assert.Contains(TextDashboard.FailedBar, bar); // 1 of 300 still shows
        Assert.Equal(23, bar.Count(c => c == TextDashboard.CompletedBar)); // 27 columns for 300 jobs; 270 of them completed
        Assert.Equal(3, bar.Count(c => c == TextDashboard.StoppedBar));
        Assert.EndsWith(" █", lines.Single(l => l.StartsWith("2024-03-10      3", StringComparison.Ordinal)), StringComparison.Ordinal);
        Assert.Contains(lines, l => l.Contains("one character = 11.1 jobs", StringComparison.Ordinal));
    }

    [Fact]
    public void The_page_embeds_the_summary_the_newest_jobs_their_records_and_the_source_they_ran()
    {
        SeedHistory();
        var range = SummaryRange.LastHours(3, Now);
        var alpha = Runbooks.Get("Alpha");
        var noisy = _seed.Seed(new[]
        {
            new SeedRequest("Alpha", new[]
            {
                new SeedStatus(JobStatus.Queued, H0.AddMinutes(2)), new SeedStatus(JobStatus.Starting, H0.AddMinutes(2)),
                new SeedStatus(JobStatus.Running, H0.AddMinutes(3)),
            })
            {
                Output = Enumerable.Range(1, 5).Select(i => $"line {i}").ToList(),
            },
        })[0];
        var page = _dashboard.BuildPage(range, null, Now, jobLimit: 3, recordLimit: 3);
        Assert.Equal("hour", page.Unit);
        Assert.Equal("2024-03-10T12:00:00.000Z", page.Start);
        Assert.Equal(JobSummaryRow.Statuses.Select(s => s.ToString()), page.Statuses);
        Assert.Equal(new[] { 1, 1, 2, 1, 0, 0, 0, 0, 0, 0 }, page.Slices[0].Counts);
        Assert.Equal(5, page.Totals[0]); // 4 above, and the noisy job
        Assert.True(page.JobsTruncated);
        Assert.Equal(3, page.Jobs.Count);
        var job = page.Jobs.Single(j => j.Id == noisy.ToString());
        Assert.Equal(new[] { "line 1", "line 2", "line 3" }, job.Records.Select(r => r.Text));
        Assert.True(job.RecordsTruncated);
        Assert.Equal(new[] { "Queued", "Starting", "Running" }, job.History.Select(h => h.To));
        Assert.Equal("'alpha'", page.Sources[alpha.PublishedRunbookVersionID!.Value.ToString()].Content);

        var all = _dashboard.BuildPage(range, "alpha", Now, jobLimit: 500, recordLimit: 200);
        Assert.False(all.JobsTruncated);
        Assert.All(all.Jobs, j => Assert.Equal("Alpha", j.Runbook));
        Assert.Equal(4, all.Jobs.Count); // the three Alpha jobs of SeedHistory (A1 ended at 12:05) and the noisy one
    }

    [Fact]
    public void The_page_is_one_file_with_no_references_escaped_data_and_a_hash_for_its_only_script()
    {
        Import("Evil", "'x'");
        const string evil = "</script><script>window.pwned = 1</script><!-- <img src=x onerror=alert(1)> & 'quotes' \"too\" \u2028";
        _seed.Seed(new[]
        {
            new SeedRequest("Evil", new[] { new SeedStatus(JobStatus.Queued, H0), new SeedStatus(JobStatus.Starting, H0), new SeedStatus(JobStatus.Running, H0) })
            {
                Output = new[] { evil },
                Parameters = new System.Collections.Hashtable { ["Html"] = evil },
                StatusDetails = evil,
            },
        });
        var html = _dashboard.RenderHtml(SummaryRange.LastHours(2, Now), null, Now);

        Assert.Equal(2, Regex.Matches(html, "</script", RegexOptions.IgnoreCase).Count);
        Assert.Equal(2, Regex.Matches(html, "<script", RegexOptions.IgnoreCase).Count);
        var data = Regex.Match(html, "<script type=\"application/json\" id=\"sma-data\">(.*?)</script>", RegexOptions.Singleline).Groups[1].Value;
        // Outside the data (where everything is an escaped string), nothing that could load or inject anything.
        Assert.DoesNotMatch(@"(src|href)\s*=|url\(|@import|<link|<iframe|<img|fetch\(|XMLHttpRequest|WebSocket|innerHTML|outerHTML|insertAdjacentHTML|document\.write",
            html.Replace(data, "", StringComparison.Ordinal));
        Assert.DoesNotContain("<", data);
        using var json = JsonDocument.Parse(data);
        var job = json.RootElement.GetProperty("jobs")[0];
        Assert.Equal(evil, job.GetProperty("records")[0].GetProperty("text").GetString());
        Assert.Equal(evil, job.GetProperty("parameters")[0].GetProperty("value").GetString());
        Assert.Equal(evil, job.GetProperty("statusDetails").GetString());

        var script = Regex.Match(html, "<script id=\"sma-app\">(.*?)</script>", RegexOptions.Singleline).Groups[1].Value;
        var hash = Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(script)));
        Assert.Contains($"script-src 'sha256-{hash}'", html);
        Assert.Contains("default-src 'none'", html);
    }

    [Fact]
    public void Parameter_values_are_shown_as_PowerShell_shows_them()
    {
        Assert.Equal("$null", DashboardService.Display(null));
        Assert.Equal("$true", DashboardService.Display(true));
        Assert.Equal("1, two, 3.5", DashboardService.Display(new object[] { 1, "two", 3.5 }));
        Assert.Equal("@{a=1}", DashboardService.Display(new System.Collections.Hashtable { ["a"] = 1 }));
        Assert.Equal("2024-03-10 14:00:00", DashboardService.Display(H0));
    }
}
