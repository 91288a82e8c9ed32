using Sma.Engine.Execution;
using Sma.Engine.Model;
using Sma.Engine.States;
using Sma.Engine.Store;
using Sma.Engine.Store.PostgreSql;
using Xunit;

namespace Sma.Engine.Tests;

/// <summary>
/// Workers on several machines sharing a PostgreSQL store (DESIGN §12). These need the PostgreSQL pass of the test
/// task (SMA_TEST_PG); on the SQLite pass every process shares one machine's clock and they have nothing to check.
/// </summary>
public sealed class SharedStoreTests : IDisposable
{
    private readonly TempStore _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void A_job_claimed_by_A_is_never_recovered_by_B_while_A_beats_even_with_Bs_clock_ten_minutes_ahead()
    {
        if (!TestStores.IsPostgres)
            return;
        using var a = _temp.Open();
        var connection = ((System.Data.Common.DbConnection)_temp.Connect()).ConnectionString;
        var skewed = () => DateTime.UtcNow.AddMinutes(10);
        using var b = PostgresStore.Open(connection, skewed); // machine B: same store, its own clock wrong

        // B's store clock is the server's, not B's.
        Assert.True((b.ReadClock() - a.ReadClock()).Duration() < TimeSpan.FromSeconds(30));

        var runbook = a.CreateRunbook(new NewRunbook("Wf", RunbookType.Workflow, "'x'", null, null, true));
        a.RegisterWorker(new WorkerRegistration("A", "inc-a", "machine-a", 1, 1, false, 4));
        var job = a.CreateJob(new NewJob(Guid.NewGuid(), runbook, runbook.PublishedRunbookVersionID!.Value, Array.Empty<StoredParameter>(), null, null, null));
        Assert.Contains(a.ClaimJobs("A", "inc-a", 10), w => w.JobId == job.JobId);
        a.Transition(job.JobId, JobTrigger.ScriptStarted, new TransitionChange { Holder = "inc-a" });
        a.Heartbeat("inc-a", 1, null);

        // B sees A's registration from another host: only staleness can say A is dead.
        var elsewhere = new WorkerLiveness("machine-b", _ => null, _ => false);
        var registration = b.ListWorkers().Single(w => w.IncarnationId == "inc-a");
        // On B's own clock A's heartbeat looks 10 minutes old: that clock would recover (and so run twice) the job.
        Assert.NotNull(elsewhere.WhyDead(registration, skewed(), Worker.LostAfter));

        Assert.Empty(new JobRecovery(b, elsewhere).RecoverLost());
        Assert.Empty(b.ClaimJobs("B", "inc-b", 10));
        var state = b.GetStatuses(new[] { job.JobId })[job.JobId];
        Assert.Equal((JobStatus.Running, "inc-a"), (state.Status, state.Holder));
    }

    [Fact]
    public void A_worker_whose_key_is_not_the_stores_refuses_to_start()
    {
        using var store = _temp.Open();
        using var first = new SmaRuntime(store, TestSessionStates.Instance, () => Security.SecretProtector.FromBase64(Convert.ToBase64String(new byte[32])));
        first.Codec.EnsureKey(); // the first process sets the store's key check
        var other = new byte[32];
        other[0] = 1;
        using var second = new SmaRuntime(_temp.Open(), TestSessionStates.Instance, () => Security.SecretProtector.FromBase64(Convert.ToBase64String(other)));
        var error = Assert.Throws<SmaException>(() => second.StartWorker("W2", 1));
        Assert.Equal("SecretKeyMismatch", error.ErrorId);
        Assert.Empty(second.Store.ListWorkers()); // it never registered
        // The right key starts.
        using var third = new SmaRuntime(_temp.Open(), TestSessionStates.Instance, () => Security.SecretProtector.FromBase64(Convert.ToBase64String(new byte[32])));
        third.Codec.EnsureKey();
    }
}
