using System.Collections.Concurrent;
using System.Management.Automation.Runspaces;

namespace Sma.Engine.Execution;

/// <summary>A fresh, opened runspace that has never run anything, with the host it was opened under.</summary>
internal sealed record PreparedRunspace(JobHost Host, Runspace Runspace, string? Location);

/// <summary>
/// Opens job runspaces ahead of demand on a background thread, so a job starts without paying for Runspace.Open
/// (~15 ms of CPU, most of a trivial job's cost). Each runspace is used by exactly one job. The warm pool adapts to
/// demand: it holds as many runspaces as jobs took in the last minute (at least <see cref="Base"/>, at most the
/// throttle of this process's workers and <see cref="MaxWarm"/>), so a burst like the last one finds them open, and
/// it gives them back (disposes the extra ones) once a minute passes without that demand. Beyond the base it opens
/// them only while no job runs here: during a burst they would compete with the jobs for CPU and add to its peak.
/// </summary>
internal sealed class RunspaceSupply : IDisposable
{
    /// <summary>Runspaces kept open even when idle: an idle worker's next job starts at once.</summary>
    public const int Base = 2;

    /// <summary>The most runspaces kept open ahead, whatever the throttle.</summary>
    public const int MaxWarm = 256;

    private const int Buckets = 6;
    private static readonly long BucketMs = 10_000; // demand counted over the last Buckets x BucketMs (one minute)

    private readonly JobSessionState _session;
    private readonly Func<int> _ceiling;
    private readonly Func<bool> _idle;
    private readonly ConcurrentQueue<PreparedRunspace> _ready = new();
    private readonly AutoResetEvent _wanted = new(true);
    private readonly Thread _filler;
    private readonly int[] _takes = new int[Buckets];
    private readonly long[] _bucketOf = new long[Buckets];
    private volatile bool _disposed;

    /// <param name="session">What runspaces are made from.</param>
    /// <param name="ceiling">The throttle of this process's workers now: the pool never holds more.</param>
    /// <param name="idle">True while no job runs in this process's workers.</param>
    public RunspaceSupply(JobSessionState session, Func<int> ceiling, Func<bool> idle)
    {
        _session = session;
        _ceiling = ceiling;
        _idle = idle;
        _filler = new Thread(Fill) { IsBackground = true, Name = "Sma runspace supply" };
        _filler.Start();
    }

    /// <summary>Runspaces open and waiting for a job.</summary>
    public int Ready => _ready.Count;

    /// <summary>How many runspaces the pool holds now: the last minute's demand, within its bounds.</summary>
    public int Target
    {
        get
        {
            var now = Environment.TickCount64 / BucketMs;
            var demand = 0;
            lock (_takes)
                for (var i = 0; i < Buckets; i++)
                    if (now - _bucketOf[i] < Buckets)
                        demand += _takes[i];
            return Math.Max(Base, Math.Min(demand, Math.Min(_ceiling(), MaxWarm)));
        }
    }

    /// <summary>
    /// A prepared runspace if one is ready, else one opened now on the calling thread. Its replacement is opened once
    /// the job has started (<see cref="Replenish"/>), not now: an open takes both cores for a few milliseconds, and
    /// now they are the job's start.
    /// </summary>
    public PreparedRunspace Take()
    {
        var bucket = Environment.TickCount64 / BucketMs;
        lock (_takes)
        {
            var i = (int)(bucket % Buckets);
            if (_bucketOf[i] != bucket)
                (_bucketOf[i], _takes[i]) = (bucket, 0);
            _takes[i]++;
        }
        return _ready.TryDequeue(out var prepared) ? prepared : Open(_session);
    }

    /// <summary>Opens the replacements of the runspaces taken (also done at the filler's next look, within a second).</summary>
    public void Replenish() => _wanted.Set();

    // Opening is CPU-bound and PowerShell parallelizes it internally; hundreds at once (a burst of jobs under a
    // high throttle) only thrash. A few at a time finish the burst sooner.
    private static readonly SemaphoreSlim Opening = new(2 * Environment.ProcessorCount);

    /// <summary>Opens a runspace now; <paramref name="location"/> (default: the process's directory) is set up front.</summary>
    public static PreparedRunspace Open(JobSessionState session, string? location = null)
    {
        Opening.Wait();
        try
        {
            return OpenNow(session, location);
        }
        finally
        {
            Opening.Release();
        }
    }

    private static PreparedRunspace OpenNow(JobSessionState session, string? wanted)
    {
        using var profile = PhaseProfile.Measure(wanted is null ? "supply.open" : "supply.open(location)");
        var host = new JobHost();
        var runspace = RunspaceFactory.CreateRunspace(host, session.State);
        // The job's pipeline runs on the job thread that invokes it, not on a new thread per pipeline.
        runspace.ThreadOptions = PSThreadOptions.UseCurrentThread;
        runspace.Open();
        RunspaceRegistry.Unlist(runspace); // so pwsh's exit never waits for a job's pipeline
        // A new runspace starts at the process's current directory. Path operations in a new runspace cost several ms
        // (FileSystem drive checks): read where it opened, which is free, and move it only when a location is wanted
        // (a resume); jobs started from that directory then need no SetLocation at all.
        string? location = null;
        try
        {
            if (wanted is not null)
                runspace.SessionStateProxy.Path.SetLocation(System.Management.Automation.WildcardPattern.Escape(wanted));
            location = runspace.SessionStateProxy.Path.CurrentFileSystemLocation.ProviderPath;
        }
        catch (Exception e) when (e is System.Management.Automation.RuntimeException or IOException)
        {
            location = null; // only a head start
        }
        return new PreparedRunspace(host, runspace, location);
    }

    private void Fill()
    {
        while (!_disposed)
        {
            try
            {
                while (!_disposed && _ready.Count < (_ready.Count < Base || _idle() ? Target : Base))
                {
                    using (PhaseProfile.Measure("supply.fill"))
                        _ready.Enqueue(Open(_session));
                }
                // Demand fell (a minute without the last burst's jobs): give the extra runspaces' memory back.
                while (!_disposed && _ready.Count > Target && _ready.TryDequeue(out var extra))
                    extra.Runspace.Dispose();
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // Opening failed (a broken session state): jobs then open their own and report the error.
                Thread.Sleep(1000);
            }
            _wanted.WaitOne(TimeSpan.FromSeconds(1)); // also notices the worker going idle
        }
        while (_ready.TryDequeue(out var left))
            left.Runspace.Dispose();
    }

    public void Dispose()
    {
        _disposed = true;
        _wanted.Set();
    }
}
