using System.Collections;
using Dapper;
using Microsoft.Data.Sqlite;
using Sma.Engine.Model;
using Sma.Engine.Services;
using Sma.Engine.States;
using Sma.Engine.Store;
using Xunit;

namespace Sma.Engine.Tests;

public class CheckpointTests : RuntimeTestBase
{
    private List<string> Output(Guid id) => Jobs.Output(id, StreamType.Output, null).Select(r => r.StreamText).ToList();

    private List<string> Statuses(Guid id) => Jobs.History(id).Select(h => h.ToStatus).ToList();

    [Fact]
    public void Suspend_Workflow_suspends_and_resume_runs_the_rest_once()
    {
        var runbook = Import("SelfSuspend", "$n = 41\n'first'\nSuspend-Workflow\n$n++\n\"second $n\"");
        var job = Jobs.Start(runbook, null, Temp.Folder);
        Assert.Equal("Suspended", Wait(job.JobId).JobStatus);
        Assert.Equal(new[] { "first" }, Output(job.JobId));
        Jobs.Resume(job.JobId);
        Assert.Equal("Completed", Wait(job.JobId).JobStatus);
        Assert.Equal(new[] { "first", "second 42" }, Output(job.JobId));
        Assert.Equal(new[] { "Queued", "Starting", "Running", "Suspended", "Resuming", "Running", "Completed" }, Statuses(job.JobId));
        var records = Jobs.Output(job.JobId, null, null).Select(r => r.StreamRecordId).ToList();
        Assert.Equal(Enumerable.Range(1, records.Count).Select(i => (long)i), records);
    }

    [Fact]
    public void A_loop_suspended_at_a_checkpoint_resumes_at_its_next_item()
    {
        var gate = Path.Combine(Temp.Folder, "gate");
        var evaluated = Path.Combine(Temp.Folder, "evaluated");
        var runbook = Import("Loop", $$"""
            function Get-Items { Add-Content '{{evaluated}}' 'x'; 1..4 }
            foreach ($i in Get-Items) {
                "item $i"
                if ($i -eq 2) { while (-not (Test-Path '{{gate}}')) { Start-Sleep -Milliseconds 10 } }
                Checkpoint-Workflow
            }
            "done $i"
            """);
        var job = Jobs.Start(runbook, null, Temp.Folder);
        var deadline = DateTime.UtcNow + Patience;
        while (!Output(job.JobId).Contains("item 2") && DateTime.UtcNow < deadline)
            Thread.Sleep(10);
        Assert.Equal("Suspending", Jobs.Suspend(job.JobId).JobStatus);
        File.WriteAllText(gate, "");
        Assert.Equal("Suspended", Wait(job.JobId).JobStatus);
        File.Delete(gate);
        Jobs.Resume(job.JobId);
        Assert.Equal("Completed", Wait(job.JobId).JobStatus);
        Assert.Equal(new[] { "item 1", "item 2", "item 3", "item 4", "done 4" }, Output(job.JobId));
        Assert.Single(File.ReadAllLines(evaluated)); // the collection was evaluated once, and kept in the checkpoint
        var resumed = Jobs.History(job.JobId).Where(h => h.ToStatus == "Running").Last().Details;
        Assert.Equal("Resumed after the checkpoint on line 5 (iteration 2 of the foreach on line 2).", resumed);
    }

    [Fact]
    public void Restored_loop_elements_are_deserialized_like_variables()
    {
        var runbook = Import("Files", """
            foreach ($file in Get-ChildItem -File) {
                "$($file.Name) $($file.PSObject.TypeNames[0])"
                Suspend-Workflow
            }
            """);
        File.WriteAllText(Path.Combine(Temp.Folder, "a.txt"), "a");
        File.WriteAllText(Path.Combine(Temp.Folder, "b.txt"), "b");
        var job = Jobs.Start(runbook, null, Temp.Folder);
        while (Wait(job.JobId).JobStatus == "Suspended")
            Jobs.Resume(job.JobId);
        var lines = Output(job.JobId).Where(l => l.StartsWith("a.txt") || l.StartsWith("b.txt")).ToList();
        Assert.Equal(new[] { "a.txt System.IO.FileInfo", "b.txt Deserialized.System.IO.FileInfo" }, lines);
    }

    [Fact]
    public void A_checkpoint_saved_before_resume_paths_resumes_at_its_top_level_statement()
    {
        var runbook = Import("Old", "$n = 1\n'first'\nSuspend-Workflow\n$n++\n\"second $n\"");
        var job = Wait(Jobs.Start(runbook, null, Temp.Folder).JobId);
        Assert.Equal("Suspended", job.JobStatus);
        using (var c = Temp.Connect())
        {
            // What an earlier version stored for a top-level checkpoint statement: the index of the next statement.
            Assert.Equal(2, c.ExecuteScalar<long>("SELECT statement_index FROM checkpoints"));
            Assert.Contains("\"steps\":[[2]]", c.ExecuteScalar<string>("SELECT resume_path FROM checkpoints"));
            c.Execute("UPDATE checkpoints SET statement_index = 3, resume_path = NULL, state_xml = NULL, state_secret = NULL");
        }
        Jobs.Resume(job.JobId);
        Assert.Equal("Completed", Wait(job.JobId).JobStatus);
        Assert.Equal(new[] { "first", "second 2" }, Output(job.JobId));
        Assert.Contains("at top-level statement 4 (line 4), as saved by an earlier version",
            Jobs.History(job.JobId).Where(h => h.ToStatus == "Running").Last().Details);
    }

    [Fact]
    public void An_unreadable_resume_path_fails_the_resume_clearly_and_runs_nothing()
    {
        var runbook = Import("Corrupt", "'first'\nSuspend-Workflow\n'second'");
        var job = Wait(Jobs.Start(runbook, null, Temp.Folder).JobId);
        Assert.Equal("Suspended", job.JobStatus);
        using (var c = Temp.Connect())
        {
            c.Execute("UPDATE checkpoints SET resume_path = '{\"block\":42}'");
        }
        Jobs.Resume(job.JobId);
        job = Wait(job.JobId);
        Assert.Equal("Failed", job.JobStatus);
        Assert.StartsWith("The runbook could not resume: The checkpoint's resume path is not readable", job.StatusDetails);
        Assert.Equal(new[] { "first" }, Output(job.JobId));
    }

    [Fact]
    public void Error_positions_name_the_runbooks_own_lines_on_a_fresh_run_and_after_a_resume()
    {
        // Both error lines carry inserted text before the error (the foreach's walk; the checkpoint's site, or on
        // resume the if's condition), so lines and columns must be mapped back to the source.
        var runbook = Import("Positions", """
            param([int] $SuspendAt)
            function Where-Called { "called from line $($MyInvocation.ScriptLineNumber)" }
            foreach ($i in 1..2) { Get-Item -LiteralPath "/nonexistent/soft$i"; Where-Called
                if ($i -eq $SuspendAt) { Suspend-Workflow }; if ($i -eq 2) { throw "bad item $i" }
            }
            """);
        foreach (var suspendAt in new[] { 0, 1 })
        {
            var job = Wait(Jobs.Start(runbook, new Hashtable { ["SuspendAt"] = suspendAt }, Temp.Folder).JobId);
            if (suspendAt > 0)
            {
                Assert.Equal("Suspended", job.JobStatus);
                Jobs.Resume(job.JobId);
                job = Wait(job.JobId);
            }
            Assert.Equal("Failed", job.JobStatus);
            Assert.Equal("bad item 2 (line 4, char 66)", job.StatusDetails);
            Assert.Contains("At line:4 char:66", job.JobException);
            Assert.Contains("{ throw \"bad item $i\" }", job.JobException); // the source's line (shortened by PowerShell)
            Assert.DoesNotContain("__Sma", job.JobException);
            var errors = Jobs.Output(job.JobId, StreamType.Error, null).Select(r => r.StreamText).ToList();
            Assert.Equal(2, errors.Count);
            Assert.True(errors.All(e => e.Contains("At line:3 char:24") && !e.Contains("__Sma")), string.Join("\n---\n", errors));
            Assert.Equal(new[] { "called from line 3", "called from line 3" }, Output(job.JobId));
        }
    }

    [Fact]
    public void A_suspended_job_with_no_checkpoint_ends_as_usual()
    {
        var gate = Path.Combine(Temp.Folder, "go");
        var runbook = Import("NoCheckpoint", $"while (-not (Test-Path '{gate}')) {{ Start-Sleep -Milliseconds 10 }}; 'ended'");
        var job = Jobs.Start(runbook, null, Temp.Folder);
        while (Jobs.Get(job.JobId).JobStatus != "Running")
            Thread.Sleep(10);
        Jobs.Suspend(job.JobId);
        File.WriteAllText(gate, "");
        Assert.Equal("Completed", Wait(job.JobId).JobStatus);
        Assert.Equal(new[] { "Queued", "Starting", "Running", "Suspending", "Completed" }, Statuses(job.JobId));
    }

    [Fact]
    public void A_workflow_error_suspends_and_resume_retries_from_the_checkpoint()
    {
        var file = Path.Combine(Temp.Folder, "input.txt");
        var runbook = Import("Reader", $"$ErrorActionPreference = 'Stop'\n'start'\nCheckpoint-Workflow\n\"read $(Get-Content '{file}')\"", RunbookType.Workflow);
        var job = Wait(Jobs.Start(runbook, null, Temp.Folder).JobId);
        Assert.Equal("Suspended", job.JobStatus);
        Assert.Contains("input.txt", job.JobException);
        Assert.Contains("Resume-SmaJob", job.StatusDetails);
        File.WriteAllText(file, "hello");
        Jobs.Resume(job.JobId);
        job = Wait(job.JobId);
        Assert.Equal("Completed", job.JobStatus);
        Assert.Null(job.JobException);
        Assert.Equal(new[] { "start", "read hello" }, Output(job.JobId));
    }

    [Fact]
    public void Resume_and_suspend_are_refused_where_the_table_says_so()
    {
        var job = Wait(Jobs.Start(Import("Done", "'x'"), null, null).JobId);
        Assert.Equal("InvalidJobStateTransition", Assert.Throws<SmaException>(() => Jobs.Suspend(job.JobId)).ErrorId);
        Assert.Equal("InvalidJobStateTransition", Assert.Throws<SmaException>(() => Jobs.Resume(job.JobId)).ErrorId);
        Assert.Equal("Completed", Jobs.Get(job.JobId).JobStatus);
    }

    [Fact]
    public void Checkpointed_secrets_are_encrypted()
    {
        var runbook = Import("SecretVar", "$token = ConvertTo-SecureString 'Hunter2-Checkpoint' -AsPlainText -Force\nSuspend-Workflow\n[Net.NetworkCredential]::new('', $token).Password.Length");
        var job = Wait(Jobs.Start(runbook, null, null).JobId);
        Assert.Equal("Suspended", job.JobStatus);
        using (var c = Temp.Connect())
        {
            var row = c.QuerySingle<(string? Xml, byte[]? Secret)>("SELECT variables_xml, secret FROM checkpoints");
            Assert.Null(row.Xml);
            Assert.NotNull(row.Secret);
        }
        Jobs.Resume(job.JobId);
        Assert.Equal("Completed", Wait(job.JobId).JobStatus);
        Assert.Equal(new[] { "18" }, Output(job.JobId));
    }
}
