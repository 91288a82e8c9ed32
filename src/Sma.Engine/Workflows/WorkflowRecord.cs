namespace Sma.Engine.Workflows;

/// <summary>What a branch wrote, handed to the job's pipeline thread in the order it was written.</summary>
public enum WorkflowRecordKind
{
    /// <summary>Nothing yet: lets the pipeline thread notice a stop request while branches run.</summary>
    Tick,
    Output,
    Error,
    Warning,
    Verbose,
    Debug,
    Information,
    Progress,
}

/// <summary>One record of a branch; <see cref="Value"/> is the object or the stream record itself.</summary>
public sealed class WorkflowRecord
{
    internal static readonly WorkflowRecord Tick = new(WorkflowRecordKind.Tick, null);

    internal WorkflowRecord(WorkflowRecordKind kind, object? value)
    {
        Kind = kind;
        Value = value;
    }

    public WorkflowRecordKind Kind { get; }
    public object? Value { get; }
}
