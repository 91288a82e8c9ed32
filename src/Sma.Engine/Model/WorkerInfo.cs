namespace Sma.Engine.Model;

/// <summary>
/// A worker as the registry sees it (Get-SmaRunbookWorkerDeployment): the latest incarnation of its name. Status is
/// Running, Stopping, Stopped, or Lost (its process is gone, or its heartbeat went stale).
/// </summary>
public sealed class WorkerInfo
{
    public string Name { get; init; } = "";
    public string ComputerName { get; init; } = "";
    public int ProcessId { get; init; }
    public bool IsEmbedded { get; init; }
    public string Status { get; init; } = "";
    public DateTime StartTime { get; init; }
    public DateTime LastHeartbeat { get; init; }
    public int ThrottleLimit { get; init; }
    public int RunningJobs { get; init; }

    /// <summary>This run of the worker: a worker restarted under the same name is a new incarnation.</summary>
    public string IncarnationId { get; init; } = "";

    /// <summary>The last error the worker or its store writer met (with its UTC time), if any.</summary>
    public string? LastError { get; init; }

    public override string ToString() => Name;
}

/// <summary>
/// What a worker registers with: its name and its incarnation (this process, identified by host, process id and
/// the process's start stamp, see <see cref="Execution.ProcessIdentity"/>).
/// </summary>
public sealed record WorkerRegistration(
    string Name,
    string IncarnationId,
    string ComputerName,
    int ProcessId,
    long ProcessStart,
    bool IsEmbedded,
    int ThrottleLimit);

/// <summary>One incarnation's registry row.</summary>
public sealed record WorkerIncarnation(
    string IncarnationId,
    string Name,
    string ComputerName,
    int ProcessId,
    long ProcessStart,
    bool IsEmbedded,
    string Status,
    DateTime StartTime,
    DateTime LastHeartbeat,
    int ThrottleLimit,
    int RunningJobs,
    string? LastError);
