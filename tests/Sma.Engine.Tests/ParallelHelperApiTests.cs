using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using Sma.Engine.Execution;
using Sma.Engine.Model;
using Sma.Engine.Security;
using Sma.Engine.Services;
using Xunit;

namespace Sma.Engine.Tests;

/// <summary>
/// Stands in for the workflow translator's parallel helper: runs numbered branches, each on another thread, and
/// after each one records it as completed in the job's resume state and takes a checkpoint with the workflow
/// variables it was given — the way the real helper uses <see cref="JobContext"/>. Re-entered on resume, it reads
/// which branches completed and runs only the others.
/// </summary>
[Cmdlet(VerbsLifecycle.Invoke, "TestBranches")]
public sealed class InvokeTestBranchesCommand : PSCmdlet
{
    [Parameter(Mandatory = true)]
    public string Folder { get; set; } = "";

    [Parameter(Mandatory = true)]
    public string Key { get; set; } = "";

    [Parameter]
    public int Count { get; set; } = 4;

    /// <summary>Suspend the job once this branch has completed.</summary>
    [Parameter]
    public int SuspendAfter { get; set; }

    protected override void EndProcessing()
    {
        var job = (JobContext)SessionState.PSVariable.GetValue("__SmaJob");
        // Deserialized after a resume: an array of the completed branch numbers.
        var done = new SortedSet<int>((job.ResumeState(Key) as IEnumerable)?.Cast<object>().Select(Convert.ToInt32) ?? Enumerable.Empty<int>());
        foreach (var branch in Enumerable.Range(1, Count).Where(b => !done.Contains(b)).ToList())
        {
            var suspended = Task.Run(() =>
            {
                File.WriteAllText(Path.Combine(Folder, $"{Key}-branch{branch}-{Guid.NewGuid():N}"), "");
                done.Add(branch);
                job.SetResumeState(Key, done.ToArray());
                return job.CheckpointWith(new Hashtable { ["completed"] = done.Count, ["lastBranch"] = branch }, suspend: branch == SuspendAfter);
            }).GetAwaiter().GetResult();
            if (suspended)
                throw new PipelineStoppedException(); // the job is suspended: start nothing more, run no further statement
        }
        job.SetResumeState(Key, null); // the statement is done: a later run of it starts afresh
        WriteObject($"{Key}: branches {string.Join(",", done)}");
    }
}

public sealed class ParallelHelperApiTests : IDisposable
{
    private readonly TempStore _temp = new();
    private readonly SmaRuntime _runtime;

    private sealed class WithHelper : ISessionStateFactory
    {
        private readonly InitialSessionState _iss;

        public WithHelper()
        {
            _iss = TestSessionStates.Instance.Create().Clone();
            _iss.Commands.Add(new SessionStateCmdletEntry("Invoke-TestBranches", typeof(InvokeTestBranchesCommand), null));
        }

        public InitialSessionState Create() => _iss;
    }

    public ParallelHelperApiTests()
    {
        _runtime = new SmaRuntime(_temp.Open(), new WithHelper(),
            () => SecretProtector.ForKeyFile(Path.Combine(_temp.Folder, "secret.key")));
        _runtime.Session.AddHelperCommands("Invoke-TestBranches");
    }

    public void Dispose()
    {
        _runtime.Dispose();
        _temp.Dispose();
    }

    [Fact]
    public void A_helper_statement_re_entered_on_resume_runs_only_the_branches_not_yet_completed()
    {
        var markers = Directory.CreateDirectory(Path.Combine(_temp.Folder, "markers")).FullName;
        var path = Path.Combine(_temp.Folder, "Branches.ps1");
        File.WriteAllText(path, """
            param([string] $Folder)
            foreach ($round in 1..2) {
                "round $round"
                Invoke-TestBranches -Folder $Folder -Key "round$round" -SuspendAfter (1 + $round)
                "round $round after: completed $completed, last branch $lastBranch"
                Checkpoint-Workflow
            }
            'end'
            """);
        var runbook = new RunbookService(_runtime).Import(path, null, RunbookType.Workflow, null, null, publish: true);
        var jobs = new JobService(_runtime);
        var id = jobs.Start(runbook, new Hashtable { ["Folder"] = markers }, _temp.Folder).JobId;
        var suspensions = 0;
        Model.Job job;
        while ((job = jobs.Wait(new[] { id }, TimeSpan.FromSeconds(60), null, CancellationToken.None)[0]).JobStatus == "Suspended" && suspensions < 10)
        {
            suspensions++;
            jobs.Resume(id);
        }

        Assert.True(job.JobStatus == "Completed", string.Join("\n", jobs.History(id).Select(h => $"{h.ToStatus} {h.Details}"))
            + "\n" + job.JobException + "\n" + string.Join("\n", jobs.Output(id, null, null).Select(r => r.StreamText)));
        Assert.Equal(2, suspensions);
        // Every branch of every round ran exactly once.
        var ran = Directory.GetFiles(markers).Select(f => string.Join('-', Path.GetFileName(f).Split('-')[..2])).OrderBy(n => n).ToList();
        Assert.Equal(new[]
        {
            "round1-branch1", "round1-branch2", "round1-branch3", "round1-branch4",
            "round2-branch1", "round2-branch2", "round2-branch3", "round2-branch4",
        }, ran);
        Assert.Equal(new[]
        {
            // After each resume the variables are those the helper gave with the checkpoint the job resumed from.
            "round 1", "round1: branches 1,2,3,4", "round 1 after: completed 2, last branch 2",
            "round 2", "round2: branches 1,2,3,4", "round 2 after: completed 3, last branch 3", "end",
        }, jobs.Output(id, StreamType.Output, null).Select(r => r.StreamText));
        // The helper's checkpoints belong to its statement, inside the loop's iteration.
        var resumes = jobs.History(id).Where(h => h.ToStatus == "Running").Skip(1).Select(h => h.Details).ToList();
        Assert.Equal(new[]
        {
            "Resumed at line 4, running that statement again (its checkpoint was taken inside a call) (iteration 1 of the foreach on line 2).",
            "Resumed at line 4, running that statement again (its checkpoint was taken inside a call) (iteration 2 of the foreach on line 2).",
        }, resumes);
    }
}
