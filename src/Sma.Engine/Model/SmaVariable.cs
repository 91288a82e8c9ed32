namespace Sma.Engine.Model;

/// <summary>A variable asset as Get-SmaVariable shows it. An encrypted variable shows no value. Times are UTC.</summary>
public sealed class SmaVariable
{
    public Guid VariableID { get; init; }
    public string Name { get; init; } = "";

    /// <summary>The value; null for an encrypted variable (only a job reads it, with Get-AutomationVariable).</summary>
    public object? Value { get; init; }

    public bool IsEncrypted { get; init; }
    public string? Description { get; init; }
    public DateTime CreationTime { get; init; }
    public DateTime LastModifiedTime { get; init; }

    public override string ToString() => Name;
}
