using Sma.Engine.Model;
using Sma.Engine.States;
using Xunit;

namespace Sma.Engine.Tests;

public class JobTransitionsTests
{
    // DESIGN §4.3, written out independently of the implementation's table.
    public static TheoryData<JobStatus, JobTrigger, JobStatus> Allowed => new()
    {
        { JobStatus.Queued, JobTrigger.Claim, JobStatus.Starting },
        { JobStatus.Queued, JobTrigger.PinnedWorkerUnavailable, JobStatus.Failed },
        { JobStatus.Queued, JobTrigger.Stop, JobStatus.Stopping },
        { JobStatus.Starting, JobTrigger.ScriptStarted, JobStatus.Running },
        { JobStatus.Starting, JobTrigger.StartFailed, JobStatus.Failed },
        { JobStatus.Starting, JobTrigger.Stop, JobStatus.Stopping },
        { JobStatus.Starting, JobTrigger.WorkerLostResumable, JobStatus.Resuming },
        { JobStatus.Starting, JobTrigger.WorkerLostFatal, JobStatus.Failed },
        { JobStatus.Running, JobTrigger.ScriptCompleted, JobStatus.Completed },
        { JobStatus.Running, JobTrigger.ScriptFailed, JobStatus.Failed },
        { JobStatus.Running, JobTrigger.SuspendedByRunbook, JobStatus.Suspended },
        { JobStatus.Running, JobTrigger.Suspend, JobStatus.Suspending },
        { JobStatus.Running, JobTrigger.Stop, JobStatus.Stopping },
        { JobStatus.Running, JobTrigger.WorkerLostResumable, JobStatus.Resuming },
        { JobStatus.Running, JobTrigger.WorkerLostFatal, JobStatus.Failed },
        { JobStatus.Suspending, JobTrigger.CheckpointReached, JobStatus.Suspended },
        { JobStatus.Suspending, JobTrigger.SuspendedByRunbook, JobStatus.Suspended },
        { JobStatus.Suspending, JobTrigger.ScriptCompleted, JobStatus.Completed },
        { JobStatus.Suspending, JobTrigger.ScriptFailed, JobStatus.Failed },
        { JobStatus.Suspending, JobTrigger.Stop, JobStatus.Stopping },
        { JobStatus.Suspending, JobTrigger.WorkerLostResumable, JobStatus.Resuming },
        { JobStatus.Suspending, JobTrigger.WorkerLostFatal, JobStatus.Failed },
        { JobStatus.Suspended, JobTrigger.Resume, JobStatus.Resuming },
        { JobStatus.Suspended, JobTrigger.Stop, JobStatus.Stopping },
        { JobStatus.Resuming, JobTrigger.Resumed, JobStatus.Running },
        { JobStatus.Resuming, JobTrigger.ResumeFailed, JobStatus.Failed },
        { JobStatus.Resuming, JobTrigger.Stop, JobStatus.Stopping },
        { JobStatus.Stopping, JobTrigger.PipelineStopped, JobStatus.Stopped },
        // DESIGN §4.4: a stop that does not take effect within the bound ends Stopped, the thread abandoned.
        { JobStatus.Stopping, JobTrigger.StopAbandoned, JobStatus.Stopped },
        // DESIGN §4.4: a pinned job whose worker is gone waits Suspended for Resume-SmaJob.
        { JobStatus.Starting, JobTrigger.AwaitPinnedWorker, JobStatus.Suspended },
        { JobStatus.Running, JobTrigger.AwaitPinnedWorker, JobStatus.Suspended },
        { JobStatus.Suspending, JobTrigger.AwaitPinnedWorker, JobStatus.Suspended },
        { JobStatus.Resuming, JobTrigger.AwaitPinnedWorker, JobStatus.Suspended },
        // DESIGN §4.4: a process that exits normally settles its jobs (Workflow -> Suspended, Script -> Failed).
        { JobStatus.Starting, JobTrigger.WorkerExitedResumable, JobStatus.Suspended },
        { JobStatus.Running, JobTrigger.WorkerExitedResumable, JobStatus.Suspended },
        { JobStatus.Suspending, JobTrigger.WorkerExitedResumable, JobStatus.Suspended },
        { JobStatus.Resuming, JobTrigger.WorkerExitedResumable, JobStatus.Suspended },
        { JobStatus.Stopping, JobTrigger.WorkerExitedResumable, JobStatus.Stopped },
        { JobStatus.Starting, JobTrigger.WorkerExitedFatal, JobStatus.Failed },
        { JobStatus.Running, JobTrigger.WorkerExitedFatal, JobStatus.Failed },
        { JobStatus.Suspending, JobTrigger.WorkerExitedFatal, JobStatus.Failed },
        { JobStatus.Resuming, JobTrigger.WorkerExitedFatal, JobStatus.Failed },
        { JobStatus.Stopping, JobTrigger.WorkerExitedFatal, JobStatus.Stopped },
    };

    [Theory]
    [MemberData(nameof(Allowed))]
    public void Allowed_transition_leads_to_the_designed_status(JobStatus from, JobTrigger trigger, JobStatus to)
    {
        Assert.True(JobTransitions.TryNext(from, trigger, out var next));
        Assert.Equal(to, next);
        Assert.Equal(to, JobTransitions.Next(Guid.NewGuid(), from, trigger));
    }

    [Fact]
    public void Every_other_pair_is_refused_with_InvalidJobStateTransition()
    {
        var allowed = Allowed.Select(row => ((JobStatus)row[0], (JobTrigger)row[1])).ToHashSet();
        var refused = 0;
        foreach (var from in Enum.GetValues<JobStatus>())
        foreach (var trigger in Enum.GetValues<JobTrigger>())
        {
            if (allowed.Contains((from, trigger)))
                continue;
            Assert.False(JobTransitions.TryNext(from, trigger, out _), $"{from} + {trigger} should be refused");
            var jobId = Guid.NewGuid();
            var error = Assert.Throws<SmaException>(() => JobTransitions.Next(jobId, from, trigger));
            Assert.Equal("InvalidJobStateTransition", error.ErrorId);
            Assert.Equal(System.Management.Automation.ErrorCategory.InvalidOperation, error.Category);
            Assert.Equal(jobId, error.Target);
            refused++;
        }
        Assert.Equal(Enum.GetValues<JobStatus>().Length * Enum.GetValues<JobTrigger>().Length - allowed.Count, refused);
    }

    [Fact]
    public void The_table_holds_exactly_the_designed_rows()
    {
        Assert.Equal(Allowed.Count(), JobTransitions.All.Count);
    }

    [Theory]
    [InlineData(JobStatus.Completed)]
    [InlineData(JobStatus.Failed)]
    [InlineData(JobStatus.Stopped)]
    public void Final_statuses_have_no_way_out(JobStatus status)
    {
        Assert.True(JobTransitions.IsFinal(status));
        Assert.DoesNotContain(JobTransitions.All, row => row.From == status);
    }

    [Fact]
    public void Requests_the_design_names_as_wrong_are_refused()
    {
        Assert.False(JobTransitions.TryNext(JobStatus.Completed, JobTrigger.Suspend, out _));
        Assert.False(JobTransitions.TryNext(JobStatus.Running, JobTrigger.Resume, out _));
        Assert.False(JobTransitions.TryNext(JobStatus.Stopped, JobTrigger.Stop, out _));
    }
}
