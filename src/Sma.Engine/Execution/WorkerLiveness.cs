using Sma.Engine.Model;

namespace Sma.Engine.Execution;

/// <summary>
/// Whether a worker incarnation is dead, and why (DESIGN §4.4). A worker on this host is dead as soon as its process
/// is gone (or its id now belongs to another process), and never while it runs; one in this process, as soon as it
/// was disposed; a worker on another host when its heartbeat is older than the timeout. A stopped incarnation, or one
/// with no registry row, is dead.
/// </summary>
public sealed class WorkerLiveness
{
    private readonly string _host;
    private readonly Func<int, long?> _processStart;
    private readonly Func<string, bool> _liveInThisProcess;

    public WorkerLiveness(string host, Func<int, long?> processStart, Func<string, bool> liveInThisProcess)
    {
        _host = host;
        _processStart = processStart;
        _liveInThisProcess = liveInThisProcess;
    }

    /// <summary>Liveness as this process sees it.</summary>
    public static WorkerLiveness Local { get; } = new(ProcessIdentity.Host, ProcessIdentity.StartOf, Worker.IsLiveHere);

    /// <summary>Null when the incarnation is alive; otherwise why it is dead, worded to follow "was lost".</summary>
    public string? WhyDead(WorkerIncarnation? worker, DateTime now, TimeSpan lostAfter)
    {
        if (worker is null)
            return "it is no longer registered";
        if (worker.Status == "Stopped")
            return "it stopped without settling the job";
        if (string.Equals(worker.ComputerName, _host, StringComparison.OrdinalIgnoreCase))
        {
            var start = _processStart(worker.ProcessId);
            if (start is null || !ProcessIdentity.SameProcess(worker.ProcessStart, start.Value))
                return $"its process {worker.ProcessId} ended";
            if (worker.ProcessId == Environment.ProcessId)
                return _liveInThisProcess(worker.IncarnationId) ? null : "it was closed in this process";
            // Its process runs: it is alive however late its heartbeat (a busy store or a loaded machine delays it),
            // so its jobs are never run twice.
            return null;
        }
        return worker.LastHeartbeat < now - lostAfter ? $"no heartbeat since {worker.LastHeartbeat:u}" : null;
    }
}
