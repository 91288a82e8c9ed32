using Sma.Engine.Model;

namespace Sma.Engine.Store;

// Dapper row shapes: columns map by name (snake_case matched to PascalCase). Converted to the model right away.

internal sealed class RunbookRow
{
    public string RunbookId { get; set; } = "";
    public string Name { get; set; } = "";
    public string RunbookType { get; set; } = "";
    public string? Description { get; set; }
    public string? Tags { get; set; }
    public long LogVerbose { get; set; }
    public long LogProgress { get; set; }
    public long LogDebug { get; set; }
    public string? RunbookWorker { get; set; }
    public string? DraftVersionId { get; set; }
    public string? PublishedVersionId { get; set; }
    public long CreationTime { get; set; }
    public long LastModifiedTime { get; set; }

    public Runbook ToModel() => new()
    {
        RunbookID = Guid.Parse(RunbookId),
        RunbookName = Name,
        RunbookType = RunbookType,
        Description = Description,
        Tags = Tags,
        LogVerbose = LogVerbose != 0,
        LogProgress = LogProgress != 0,
        LogDebug = LogDebug != 0,
        RunbookWorker = RunbookWorker,
        DraftRunbookVersionID = DraftVersionId is null ? null : Guid.Parse(DraftVersionId),
        PublishedRunbookVersionID = PublishedVersionId is null ? null : Guid.Parse(PublishedVersionId),
        CreationTime = SqliteStore.Utc(CreationTime),
        LastModifiedTime = SqliteStore.Utc(LastModifiedTime),
    };
}

internal sealed class VersionRow
{
    public string VersionId { get; set; } = "";
    public string RunbookId { get; set; } = "";
    public string RunbookName { get; set; } = "";
    public long VersionNumber { get; set; }
    public string Source { get; set; } = "";
    public string? Translated { get; set; }
    public long CreationTime { get; set; }
    public string? DraftVersionId { get; set; }
}

internal sealed class JobRow
{
    public string JobId { get; set; } = "";
    public string RunbookId { get; set; } = "";
    public string RunbookName { get; set; } = "";
    public string RunbookVersionId { get; set; } = "";
    public string RunbookType { get; set; } = "";
    public string Status { get; set; } = "";
    public string? StatusDetails { get; set; }
    public string? JobException { get; set; }
    public long CreationTime { get; set; }
    public long? StartTime { get; set; }
    public long? EndTime { get; set; }
    public long LastModifiedTime { get; set; }
    public string? AssignedWorker { get; set; }
    public string? Worker { get; set; }
    public string? StartedBy { get; set; }
    public long ErrorCount { get; set; }
    public long WarningCount { get; set; }
    public long LogVerbose { get; set; }
    public long LogProgress { get; set; }
    public long LogDebug { get; set; }
    public string? WorkingDirectory { get; set; }
    public long RecoveryCount { get; set; }
    public string? ScheduleName { get; set; }
}

internal sealed class ParameterRow
{
    public string JobId { get; set; } = "";
    public long Ordinal { get; set; }
    public string Name { get; set; } = "";
    public string? ValueXml { get; set; }
    public byte[]? Secret { get; set; }
    public string? Display { get; set; }

    public StoredParameter ToModel() => new(Name, ValueXml, Secret, Display);
}

internal sealed class HistoryRow
{
    public string JobId { get; set; } = "";
    public long Time { get; set; }
    public string? FromStatus { get; set; }
    public string ToStatus { get; set; } = "";
    public string? Worker { get; set; }
    public string? Details { get; set; }
}

internal sealed class IncarnationRow
{
    public string IncarnationId { get; set; } = "";
    public string Name { get; set; } = "";
    public string ComputerName { get; set; } = "";
    public long ProcessId { get; set; }
    public long ProcessStart { get; set; }
    public long IsEmbedded { get; set; }
    public string Status { get; set; } = "";
    public long StartedTime { get; set; }
    public long LastHeartbeat { get; set; }
    public long ThrottleLimit { get; set; }
    public long RunningJobs { get; set; }
    public string? LastError { get; set; }

    public WorkerIncarnation ToModel() => new(
        IncarnationId, Name, ComputerName, (int)ProcessId, ProcessStart, IsEmbedded != 0, Status,
        SqliteStore.Utc(StartedTime), SqliteStore.Utc(LastHeartbeat), (int)ThrottleLimit, (int)RunningJobs, LastError);
}

internal sealed class CheckpointRow
{
    public long StatementIndex { get; set; }
    public long LastStreamId { get; set; }
    public string? Location { get; set; }
    public string? VariablesXml { get; set; }
    public byte[]? Secret { get; set; }
    public string? ResumePath { get; set; }
    public string? StateXml { get; set; }
    public byte[]? StateSecret { get; set; }
}

internal sealed class HeldJobRow
{
    public string JobId { get; set; } = "";
    public string Status { get; set; } = "";
    public string RunbookType { get; set; } = "";
    public long RecoveryCount { get; set; }
    public string? Worker { get; set; }
    public string? IncarnationId { get; set; }
    public string? AssignedWorker { get; set; }

    public HeldJob ToModel() => new(
        Guid.Parse(JobId), Enum.Parse<JobStatus>(Status), Enum.Parse<RunbookType>(RunbookType), (int)RecoveryCount,
        Worker, IncarnationId, AssignedWorker);
}

internal sealed class HolderRow
{
    public string Holder { get; set; } = "";
    public string? IncarnationId { get; set; }
    public string? Name { get; set; }
    public string? ComputerName { get; set; }
    public long ProcessId { get; set; }
    public long ProcessStart { get; set; }
    public long IsEmbedded { get; set; }
    public string? Status { get; set; }
    public long StartedTime { get; set; }
    public long LastHeartbeat { get; set; }
    public long ThrottleLimit { get; set; }
    public long RunningJobs { get; set; }
    public string? LastError { get; set; }

    public JobHolder ToModel() => new(Holder, IncarnationId is null ? null : new WorkerIncarnation(
        IncarnationId, Name!, ComputerName!, (int)ProcessId, ProcessStart, IsEmbedded != 0, Status!,
        SqliteStore.Utc(StartedTime), SqliteStore.Utc(LastHeartbeat), (int)ThrottleLimit, (int)RunningJobs, LastError));
}
