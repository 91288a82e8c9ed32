using System.Collections.Concurrent;
using System.Management.Automation.Runspaces;

namespace Sma.Engine.Execution;

/// <summary>A fresh, opened runspace that has never run anything, with the host it was opened under.</summary>
internal sealed record PreparedRunspace(JobHost Host, Runspace Runspace, string? Location);

/// <summary>
/// Opens job runspaces ahead of demand on a background thread, so a job on an idle worker starts without paying for
/// Runspace.Open (~15 ms, most of a trivial job's latency). Each runspace is used by exactly one job.
/// </summary>
internal sealed class RunspaceSupply : IDisposable
{
    private readonly JobSessionState _session;
    private readonly int _target;
    private readonly ConcurrentQueue<PreparedRunspace> _ready = new();
    private readonly AutoResetEvent _wanted = new(true);
    private readonly Thread _filler;
    private volatile bool _disposed;

    public RunspaceSupply(JobSessionState session, int target)
    {
        _session = session;
        _target = target;
        _filler = new Thread(Fill) { IsBackground = true, Name = "Sma runspace supply" };
        _filler.Start();
    }

    /// <summary>A prepared runspace if one is ready, else one opened now on the calling thread.</summary>
    public PreparedRunspace Take()
    {
        var ready = _ready.TryDequeue(out var prepared);
        _wanted.Set();
        return ready ? prepared! : Open(_session);
    }

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
        var host = new JobHost();
        var runspace = RunspaceFactory.CreateRunspace(host, session.State);
        // The job's pipeline runs on the job thread that invokes it, not on a new thread per pipeline.
        runspace.ThreadOptions = PSThreadOptions.UseCurrentThread;
        runspace.Open();
        RunspaceRegistry.Unlist(runspace); // so pwsh's exit never waits for a job's pipeline
        // Path operations in a new runspace cost several ms (FileSystem drive checks): settle the location here,
        // ahead of the job. Jobs started from the process's own directory then need no SetLocation at all.
        string? location = null;
        try
        {
            location = wanted ?? Environment.CurrentDirectory;
            runspace.SessionStateProxy.Path.SetLocation(System.Management.Automation.WildcardPattern.Escape(location));
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
                while (!_disposed && _ready.Count < _target)
                    _ready.Enqueue(Open(_session));
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // Opening failed (a broken session state): jobs then open their own and report the error.
                Thread.Sleep(1000);
            }
            _wanted.WaitOne(TimeSpan.FromSeconds(5));
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
