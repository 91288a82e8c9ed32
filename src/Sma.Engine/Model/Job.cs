using System.Collections.Specialized;

namespace Sma.Engine.Model;

/// <summary>
/// A job, with SMA's property names and the documented sample names side by side (Id/JobId, Status/JobStatus,
/// LastModifiedDate/LastModifiedTime). <see cref="ToString"/> is the job id, so <c>$id = Start-SmaRunbook ...</c>
/// works where SMA returned a Guid. Times are UTC.
/// </summary>
public sealed class Job
{
    public Guid JobId { get; init; }
    public Guid Id => JobId;
    public Guid RunbookId { get; init; }
    public string RunbookName { get; init; } = "";
    public Guid RunbookVersionId { get; init; }

    /// <summary>The status itself; the two properties below name it in SMA's two vocabularies.</summary>
    internal JobStatus State { get; init; }

    /// <summary>The status in SMA's web service's words, as SMA scripts compare it: New, Activating, Running, ...</summary>
    public string JobStatus => JobStatusNames.ServiceName(State);

    /// <summary>The status in the portal's words (the documented sample's name): Queued, Starting, Running, ...</summary>
    public string Status => State.ToString();

    public string? StatusDetails { get; init; }
    public string? JobException { get; init; }

    /// <summary>Ordered, case-insensitive; secrets are shown masked.</summary>
    public OrderedDictionary JobParameters { get; init; } = new(StringComparer.OrdinalIgnoreCase);

    public DateTime CreationTime { get; init; }
    public DateTime? StartTime { get; init; }
    public DateTime? EndTime { get; init; }
    public DateTime LastModifiedTime { get; init; }
    public DateTime LastModifiedDate => LastModifiedTime;
    public string? Worker { get; init; }
    public string? StartedBy { get; init; }

    /// <summary>The schedule whose occurrence started the job; null when it was started by Start-SmaRunbook.</summary>
    public string? ScheduleName { get; init; }
    public int ErrorCount { get; init; }
    public int WarningCount { get; init; }

    public override string ToString() => JobId.ToString();
}
