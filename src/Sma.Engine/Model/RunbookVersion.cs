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

/// <summary>
/// What Get-SmaRunbookDefinition returns: the source text and the version it belongs to. For a Workflow source,
/// <see cref="Translated"/> is the PowerShell 7 script its jobs run (null for a script, which runs as it is).
/// </summary>
public sealed class RunbookDefinition
{
    public string RunbookName { get; init; } = "";
    public string Content { get; init; } = "";
    public string? Translated { get; init; }
    public RunbookVersion RunbookVersion { get; init; } = new();

    /// <summary>The text jobs of this version run: the translation of a Workflow source, else the source.</summary>
    public RunbookDefinition WithTranslatedContent() => new()
    {
        RunbookName = RunbookName,
        Content = Translated ?? Content,
        Translated = Translated,
        RunbookVersion = RunbookVersion,
    };

    public override string ToString() => Content;
}
