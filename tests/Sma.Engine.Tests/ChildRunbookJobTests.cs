using Dapper;
using Microsoft.Data.Sqlite;
using Sma.Engine.Model;
using Xunit;

namespace Sma.Engine.Tests;

/// <summary>Inline child runbooks in real jobs: resolved at start, stored with the job, run in its runspace.</summary>
public class ChildRunbookJobTests : RuntimeTestBase
{
    private List<string> Output(Guid id) => Jobs.Output(id, StreamType.Output, null).Select(r => r.StreamText).ToList();

    [Fact]
    public void A_child_runs_inline_and_its_version_is_kept_with_the_job()
    {
        var kid = Import("Kid", "param([int] $N) \"kid $N\"");
        var top = Import("Top", "$r = Kid -N 2\n\"top got $r\"");
        var job = Jobs.Start(top, null, Temp.Folder);
        Assert.Equal("Completed", Wait(job.JobId).JobStatus);
        Assert.Equal(new[] { "top got kid 2" }, Output(job.JobId));
        var sources = Runtime.Store.ReadJobSources(job.JobId);
        Assert.Equal(new[] { new ChildRunbookVersion("Kid", kid.PublishedRunbookVersionID!.Value) }, sources);
    }

    [Fact]
    public void A_job_that_calls_no_runbook_stores_no_sources()
    {
        var job = Jobs.Start(Import("Plain", "'plain'"), null, Temp.Folder);
        Assert.Equal("Completed", Wait(job.JobId).JobStatus);
        Assert.Empty(Runtime.Store.ReadJobSources(job.JobId));
    }

    [Fact]
    public void Removing_a_child_runbook_keeps_the_version_a_job_ran_and_removing_the_job_drops_its_sources()
    {
        var kid = Import("Kid", "'kid'");
        var job = Jobs.Start(Import("Top", "Kid"), null, Temp.Folder);
        Assert.Equal("Completed", Wait(job.JobId).JobStatus);
        new Services.RunbookService(Runtime).Remove(kid);
        Assert.Equal("'kid'", new Services.RunbookService(Runtime).GetChildDefinitions(job.JobId).Single().Content);

        Jobs.Remove(job.JobId);
        using var c = Temp.Connect();
        Assert.Equal(0, c.ExecuteScalar<long>("SELECT count(*) FROM job_sources"));
    }

    [Fact]
    public void A_cycle_creates_no_job()
    {
        Import("Ping", "Pong");
        var pong = Import("Pong", "Ping");
        var error = Assert.Throws<SmaException>(() => Jobs.Start(pong, null, Temp.Folder));
        Assert.Equal("ChildRunbookCycle", error.ErrorId);
        Assert.Contains("Pong -> Ping -> Pong", error.Message);
        Assert.Empty(Jobs.Query(new Store.JobQuery()));
    }

    [Fact]
    public void An_error_inside_a_child_names_the_child_and_its_line()
    {
        Import("Thrower", "param($X)\n'before'\nthrow \"bad $X\"");
        var job = Wait(Jobs.Start(Import("Caller", "'start'\nThrower -X 7"), null, Temp.Folder).JobId);
        Assert.Equal("Failed", job.JobStatus);
        Assert.Equal("bad 7 (runbook 'Thrower', line 3, char 1)", job.StatusDetails);
        Assert.Contains("At Thrower:3 char:1", job.JobException);
    }
}
