namespace Sma.Engine.Model;

/// <summary>One line of a job's history (the portal's History tab): a status change or a stream record.</summary>
public sealed class JobHistoryRecord
{
    public Guid JobId { get; init; }
    public DateTime Time { get; init; }

    /// <summary>"Status" for a status change, else the stream kind (Output, Error, ...).</summary>
    public string RecordType { get; init; } = "";

    /// <summary>For a status change: the status entered.</summary>
    public string? Status { get; init; }

    /// <summary>The record's text, or the status change as "From -> To: details".</summary>
    public string Text { get; init; } = "";

    public string? Worker { get; init; }

    /// <summary>For a stream record: its StreamRecordId.</summary>
    public long? StreamRecordId { get; init; }

    public override string ToString() => $"{Time:O} {RecordType} {Text}";
}
