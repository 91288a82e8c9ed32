namespace Sma.Engine.Model;

/// <summary>One immutable version of a runbook's source.</summary>
public sealed class RunbookVersion
{
    public Guid RunbookVersionID { get; init; }
    public Guid RunbookID { get; init; }
    public int VersionNumber { get; init; }
    public bool IsDraft { get; init; }
    public DateTime CreationTime { get; init; }

    public override string ToString() => RunbookVersionID.ToString();
}

/// <summary>What Get-SmaRunbookDefinition returns: the source text and the version it belongs to.</summary>
public sealed class RunbookDefinition
{
    public string RunbookName { get; init; } = "";
    public string Content { get; init; } = "";
    public RunbookVersion RunbookVersion { get; init; } = new();

    public override string ToString() => Content;
}
