namespace Sma.Engine.Model;

/// <summary>A runbook as SMA's Get-SmaRunbook shows it. Times are UTC.</summary>
public sealed class Runbook
{
    public Guid RunbookID { get; init; }
    public string RunbookName { get; init; } = "";
    public string RunbookType { get; init; } = nameof(Model.RunbookType.Script);
    public string? Description { get; init; }
    public string? Tags { get; init; }
    public bool LogVerbose { get; init; }
    public bool LogProgress { get; init; }
    public bool LogDebug { get; init; }
    public string? RunbookWorker { get; init; }
    public Guid? DraftRunbookVersionID { get; init; }
    public Guid? PublishedRunbookVersionID { get; init; }
    public DateTime CreationTime { get; init; }
    public DateTime LastModifiedTime { get; init; }

    /// <summary>True when a published version exists, i.e. the runbook can be started.</summary>
    public bool IsPublished => PublishedRunbookVersionID.HasValue;

    public override string ToString() => RunbookName;
}
