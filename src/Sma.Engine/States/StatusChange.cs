using Sma.Engine.Model;

namespace Sma.Engine.States;

/// <summary>
/// One status change as the engine decided it, for a store to persist with a compare-and-set: the job row moves from
/// <see cref="From"/> (held by <see cref="FromHolder"/>) to <see cref="To"/> only if it is still there, and a history row
/// and the dashboard counter are written in the same transaction. Every member is a value to write, never a rule.
/// </summary>
public sealed record StatusChange
{
    public required Guid JobId { get; init; }
    /// <summary>The status the change expects (compare-and-set).</summary>
    public required JobStatus From { get; init; }
    /// <summary>The incarnation the change expects to hold the job (compare-and-set; null: held by nobody).</summary>
    public required string? FromHolder { get; init; }
    public required JobStatus To { get; init; }
    /// <summary>When it happened; null: the store's clock at commit (the database server's).</summary>
    public DateTime? Time { get; init; }
    public string? Details { get; init; }
    /// <summary>Set as the job's exception; null keeps the one it has unless <see cref="ClearException"/>.</summary>
    public string? Exception { get; init; }
    public bool ClearException { get; init; }
    /// <summary>The worker name the job shows afterwards (null: none).</summary>
    public string? Worker { get; init; }
    /// <summary>The worker named in the history row.</summary>
    public string? HistoryWorker { get; init; }
    /// <summary>No incarnation holds the job afterwards.</summary>
    public bool ReleaseHolder { get; init; }
    /// <summary>Stamp the start time (first entry into Running only; a store keeps an existing one).</summary>
    public bool StampStart { get; init; }
    /// <summary>Stamp the end time (a final status).</summary>
    public bool StampEnd { get; init; }
    public int? ErrorCount { get; init; }
    public int? WarningCount { get; init; }
    /// <summary>Added to the job's count of automatic recoveries.</summary>
    public int RecoveryIncrement { get; init; }
}
