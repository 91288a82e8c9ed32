namespace Sma.Engine.Model;

/// <summary>A worker as the registry sees it (Get-SmaRunbookWorkerDeployment).</summary>
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

    public override string ToString() => Name;
}

/// <summary>What a worker registers with.</summary>
public sealed record WorkerRegistration(string Name, string ComputerName, int ProcessId, bool IsEmbedded, int ThrottleLimit);
