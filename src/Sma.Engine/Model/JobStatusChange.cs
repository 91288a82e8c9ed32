namespace Sma.Engine.Model;

/// <summary>One row of a job's status history: when, from what, to what, on which worker, and why.</summary>
public sealed class JobStatusChange
{
    public Guid JobId { get; init; }
    public DateTime Time { get; init; }
    public string? FromStatus { get; init; }
    public string ToStatus { get; init; } = "";
    public string? Worker { get; init; }
    public string? Details { get; init; }

    public override string ToString() => $"{FromStatus ?? "(new)"} -> {ToStatus}";
}
