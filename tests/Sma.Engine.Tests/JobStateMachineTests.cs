using Sma.Engine.Model;
using Sma.Engine.States;
using Sma.Engine.Store;
using Xunit;

namespace Sma.Engine.Tests;

/// <summary>The engine's planner of status changes (DESIGN §12): effects computed here, stores only compare and set.</summary>
public class JobStateMachineTests
{
    private static readonly Guid Id = Guid.NewGuid();

    [Fact]
    public void EnteringRunningStampsTheStartAndKeepsTheHolder()
    {
        var plan = JobStateMachine.Plan(Id, new JobState(JobStatus.Starting, "W1", "inc-1"), JobTrigger.ScriptStarted,
            new TransitionChange { Holder = "inc-1" })!;
        Assert.Equal(JobStatus.Running, plan.To);
        Assert.True(plan.StampStart);
        Assert.False(plan.StampEnd);
        Assert.False(plan.ReleaseHolder);
        Assert.Equal("W1", plan.Worker);
        Assert.Equal((JobStatus.Starting, "inc-1"), (plan.From, plan.FromHolder));
    }

    [Fact]
    public void AFinalStatusStampsTheEndAndCarriesTheCounts()
    {
        var plan = JobStateMachine.Plan(Id, new JobState(JobStatus.Running, "W1", "inc-1"), JobTrigger.ScriptFailed,
            new TransitionChange { Exception = "boom", ErrorCount = 3, WarningCount = 1, Details = "failed" })!;
        Assert.Equal(JobStatus.Failed, plan.To);
        Assert.True(plan.StampEnd);
        Assert.Equal(("boom", 3, 1, "failed"), (plan.Exception, plan.ErrorCount, plan.WarningCount, plan.Details));
        Assert.False(plan.ClearException);
    }

    [Fact]
    public void RecoveryToResumingReleasesWorkerAndHolderAndCountsTheRecovery()
    {
        var plan = JobStateMachine.Plan(Id, new JobState(JobStatus.Running, "W1", "inc-1"), JobTrigger.WorkerLostResumable,
            new TransitionChange { Details = "lost" })!;
        Assert.Equal(JobStatus.Resuming, plan.To);
        Assert.Null(plan.Worker);
        Assert.True(plan.ReleaseHolder);
        Assert.Equal(1, plan.RecoveryIncrement);
        Assert.Equal(0, JobStateMachine.Plan(Id, new JobState(JobStatus.Running, "W1", "inc-1"), JobTrigger.Stop, new TransitionChange())!.RecoveryIncrement);
    }

    [Fact]
    public void ResumeClearsTheExceptionOfTheSuspension()
    {
        var plan = JobStateMachine.Plan(Id, new JobState(JobStatus.Suspended, null, null), JobTrigger.Resume, new TransitionChange())!;
        Assert.True(plan.ClearException);
        Assert.Equal(JobStatus.Resuming, plan.To);
    }

    [Fact]
    public void RefusedByTheTableOrByAnotherHolder()
    {
        Assert.Null(JobStateMachine.Plan(Id, new JobState(JobStatus.Completed, "W1", null), JobTrigger.Suspend, new TransitionChange()));
        Assert.Null(JobStateMachine.Plan(Id, new JobState(JobStatus.Running, "W1", "inc-2"), JobTrigger.ScriptCompleted,
            new TransitionChange { Holder = "inc-1" }));
    }

    [Fact]
    public void CheckpointSuspendsOnlyWhenAskedOrPending()
    {
        Assert.Equal(JobTrigger.SuspendedByRunbook, JobStateMachine.AtCheckpoint(JobStatus.Running, true)!.Value.Trigger);
        Assert.Equal(JobTrigger.CheckpointReached, JobStateMachine.AtCheckpoint(JobStatus.Suspending, false)!.Value.Trigger);
        Assert.Null(JobStateMachine.AtCheckpoint(JobStatus.Running, false));
    }

    /// <summary>
    /// A store holding one job, counting its reads. Given <c>raceTo</c>, another writer moves the job there between the
    /// first read and write, once.
    /// </summary>
    private sealed class FakeWriter(JobState state, JobState? raceTo = null) : IStatusWriter
    {
        public JobState State = state;
        public int Reads;
        public readonly List<StatusChange> Written = new();
        private JobState? _raceTo = raceTo;

        public JobState? ReadState(Guid jobId)
        {
            Reads++;
            return State;
        }

        public bool CompareAndSet(StatusChange change)
        {
            if (_raceTo is { } raced)
            {
                State = raced;
                _raceTo = null;
            }
            if (change.From != State.Status || change.FromHolder != State.Holder)
                return false;
            Written.Add(change);
            State = new JobState(change.To, change.Worker, change.ReleaseHolder ? null : State.Holder);
            return true;
        }
    }

    /// <summary>A Running job that a Suspend-SmaJob moves to Suspending just before this writer's first write.</summary>
    private static FakeWriter RacingWriter() =>
        new(new JobState(JobStatus.Running, "W1", "inc-1"), raceTo: new JobState(JobStatus.Suspending, "W1", "inc-1"));

    [Fact]
    public void ALostCompareAndSetIsPlannedAgainFromWhatIsThereNow()
    {
        var writer = RacingWriter();
        var result = JobStateMachine.Apply(writer, Id, JobTrigger.Stop, new TransitionChange());
        Assert.True(result.Applied);
        var written = Assert.Single(writer.Written);
        Assert.Equal(JobStatus.Suspending, written.From); // re-planned from the status the race left
        Assert.Equal(JobStatus.Stopping, written.To);
    }

    [Fact]
    public void ALostCompareAndSetThatTheTableNowRefusesIsRefused()
    {
        var writer = RacingWriter();
        // Suspend from Running is allowed; from Suspending (after the race) it is not.
        var result = JobStateMachine.Apply(writer, Id, JobTrigger.Suspend, new TransitionChange());
        Assert.False(result.Applied);
        Assert.Equal(JobStatus.Suspending, result.Current);
        Assert.Empty(writer.Written);
    }

    [Fact]
    public void AnExpectedStateThatHoldsSavesTheRead()
    {
        var writer = new FakeWriter(new JobState(JobStatus.Starting, "W1", "inc-1"));
        var result = JobStateMachine.Apply(writer, Id, JobTrigger.ScriptStarted, new TransitionChange { Holder = "inc-1" },
            expected: new JobState(JobStatus.Starting, "W1", "inc-1"));
        Assert.True(result.Applied);
        Assert.Equal(0, writer.Reads);
        Assert.Equal((JobStatus.Starting, JobStatus.Running), (Assert.Single(writer.Written).From, writer.State.Status));
    }

    [Fact]
    public void AnExpectedStateThatNoLongerHoldsIsReadAndPlannedAgain()
    {
        // Planned from the guess (Running -> Stopping), the compare-and-set fails: a Suspend-SmaJob came first.
        var writer = new FakeWriter(new JobState(JobStatus.Suspending, "W1", "inc-1"));
        var result = JobStateMachine.Apply(writer, Id, JobTrigger.Stop, new TransitionChange(),
            expected: new JobState(JobStatus.Running, "W1", "inc-1"));
        Assert.True(result.Applied);
        Assert.Equal(1, writer.Reads);
        var written = Assert.Single(writer.Written);
        Assert.Equal((JobStatus.Suspending, JobStatus.Stopping), (written.From, written.To));

        // A guess the table refuses the change from (Running, for a pipeline that stopped) is read too, not refused.
        writer = new FakeWriter(new JobState(JobStatus.Stopping, "W1", "inc-1"));
        result = JobStateMachine.Apply(writer, Id, JobTrigger.PipelineStopped, new TransitionChange { Holder = "inc-1" },
            expected: new JobState(JobStatus.Running, "W1", "inc-1"));
        Assert.True(result.Applied);
        Assert.Equal((JobStatus.Stopping, JobStatus.Stopped), (result.Current, writer.State.Status));
    }

    [Fact]
    public void OnlyTheRealStateRefusesAChange()
    {
        // A guess the table would refuse from (Completed) must not refuse: the job really is Running.
        var writer = new FakeWriter(new JobState(JobStatus.Running, "W1", "inc-1"));
        var result = JobStateMachine.Apply(writer, Id, JobTrigger.ScriptCompleted, new TransitionChange { Holder = "inc-1" },
            expected: new JobState(JobStatus.Completed, "W1", null));
        Assert.True(result.Applied);
        Assert.Equal(JobStatus.Completed, writer.State.Status);
        // And a change the real state refuses is refused with the real status.
        var refused = JobStateMachine.Apply(writer, Id, JobTrigger.Suspend, new TransitionChange(),
            expected: new JobState(JobStatus.Running, "W1", "inc-1"));
        Assert.False(refused.Applied);
        Assert.Equal(JobStatus.Completed, refused.Current);
    }
}
