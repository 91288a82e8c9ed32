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
    public void A_loop_resumes_where_its_variables_say()
    {
        var gate = Path.Combine(Temp.Folder, "gate");
        var runbook = Import("Loop", $$"""
            $done = 0
            foreach ($i in 1..4) {
                if ($i -le $done) { continue }
                "item $i"
                $done = $i
                if ($i -eq 2) { while (-not (Test-Path '{{gate}}')) { Start-Sleep -Milliseconds 10 } }
                Checkpoint-Workflow
            }
            "done $done"
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
