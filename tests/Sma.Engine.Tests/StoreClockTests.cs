using System.Reflection;
using System.Runtime.ExceptionServices;
using Sma.Engine.Model;
using Sma.Engine.Security;
using Sma.Engine.Services;
using Sma.Engine.Store;
using Xunit;

namespace Sma.Engine.Tests;

/// <summary>
/// Every time a job records is the store's (DESIGN §12: on a server store, the server's), whatever the clock of the
/// machine running the job says: a worker whose clock is wrong still writes a history and records in order with
/// every other machine's.
/// </summary>
public sealed class StoreClockTests : IDisposable
{
    private static readonly TimeSpan Ahead = TimeSpan.FromDays(1);
    private readonly TempStore _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void A_jobs_running_time_and_its_records_are_stamped_on_the_stores_clock_not_this_machines()
    {
        using var runtime = new SmaRuntime(ClockAheadStore.Wrap(_temp.Open(), Ahead), TestSessionStates.Instance,
            () => SecretProtector.ForKeyFile(Path.Combine(_temp.Folder, "secret.key")));
        var path = Path.Combine(_temp.Folder, "Clocked.ps1");
        File.WriteAllText(path, "'one'; Write-Warning 'two'");
        var runbook = new RunbookService(runtime).Import(path, null, RunbookType.Script, null, null, publish: true);
        var jobs = new JobService(runtime);

        var job = jobs.Start(runbook, null, null);
        Assert.Equal(JobStatus.Completed, jobs.Wait(new[] { job.JobId }, TimeSpan.FromSeconds(60), null, CancellationToken.None)[0].State);

        // This machine's clock is a day behind the store's: anything stamped with it would show up a day early.
        var early = DateTime.UtcNow + Ahead - TimeSpan.FromHours(1);
        var running = jobs.History(job.JobId).Single(c => c.ToStatus == nameof(JobStatus.Running));
        Assert.True(running.Time > early, $"Running at {running.Time:o} is on this machine's clock, not the store's");
        var records = jobs.Output(job.JobId, null, null).ToList();
        Assert.Equal(2, records.Count);
        Assert.All(records, r => Assert.True(r.StreamTime > early, $"a record at {r.StreamTime:o} is on this machine's clock"));
    }

    /// <summary>A store whose clock runs <see cref="Ahead"/> of this machine's, as a server store's may.</summary>
    public class ClockAheadStore : DispatchProxy
    {
        private IJobStore _inner = null!;
        private TimeSpan _ahead;

        public static IJobStore Wrap(IJobStore inner, TimeSpan ahead)
        {
            var store = Create<IJobStore, ClockAheadStore>();
            var proxy = (ClockAheadStore)(object)store;
            (proxy._inner, proxy._ahead) = (inner, ahead);
            return store;
        }

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
        {
            if (targetMethod!.Name == nameof(IJobStore.ReadClock))
                return DateTime.UtcNow + _ahead;
            try
            {
                return targetMethod.Invoke(_inner, args);
            }
            catch (TargetInvocationException e) when (e.InnerException is not null)
            {
                ExceptionDispatchInfo.Throw(e.InnerException);
                throw;
            }
        }
    }
}
