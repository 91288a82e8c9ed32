using Sma.Engine.Model;
using Xunit;

namespace Sma.Engine.Tests;

/// <summary>DESIGN §4.5: a job's records come after the status change that started its run, in the times and in the history.</summary>
public class HistoryOrderTests : RuntimeTestBase
{
    [Fact]
    public void Every_record_of_100_jobs_comes_after_the_change_to_Running()
    {
        var runbook = Import("Chatty", "'first'; 1..3 | ForEach-Object { \"line $_\" }; Write-Warning 'careful'; 'last'");
        var ids = Enumerable.Range(0, 100).Select(_ => Jobs.Start(runbook, null, null).JobId).ToList();
        var ended = Jobs.Wait(ids, TimeSpan.FromMinutes(5), null, CancellationToken.None);
        Assert.All(ended, j => Assert.Equal("Completed", j.JobStatus));
        foreach (var id in ids)
            AssertRecordsFollowRunning(id);
    }

    [Fact]
    public void Records_of_a_resumed_run_come_after_its_change_to_Running()
    {
        var runbook = Import("TwoRuns", "'before'; Suspend-Workflow; 'after'; Write-Warning 'done'", RunbookType.Workflow);
        var id = Jobs.Start(runbook, null, null).JobId;
        Assert.Equal("Suspended", Wait(id).JobStatus);
        Jobs.Resume(id);
        Assert.Equal("Completed", Wait(id).JobStatus);
        var history = Jobs.FullHistory(id).ToList();
        var runs = history.Select((h, i) => (h, i)).Where(x => x.h.RecordType == "Status" && x.h.Status == "Running").ToList();
        Assert.Equal(2, runs.Count);
        foreach (var (text, run) in new[] { ("before", runs[0]), ("after", runs[1]), ("done", runs[1]) })
        {
            var at = history.FindIndex(h => h.RecordType != "Status" && h.Text == text);
            Assert.True(at > run.i, $"'{text}' is listed before the Running change of its run");
            Assert.True(history[at].Time >= run.h.Time, $"'{text}' at {history[at].Time:O} precedes Running at {run.h.Time:O}");
        }
    }

    private void AssertRecordsFollowRunning(Guid id)
    {
        var history = Jobs.FullHistory(id).ToList();
        var running = history.FindIndex(h => h.RecordType == "Status" && h.Status == "Running");
        var firstRecord = history.FindIndex(h => h.RecordType != "Status");
        Assert.True(running >= 0 && firstRecord > running,
            $"job {id}: a record is listed before Running: {string.Join(" | ", history.Select(h => h.Text))}");
        var runningAt = history[running].Time;
        Assert.All(history.Where(h => h.RecordType != "Status"), record =>
            Assert.True(record.Time >= runningAt, $"job {id}: record '{record.Text}' at {record.Time:O} precedes Running at {runningAt:O}"));
    }
}
