namespace Sma.Engine.Model;

/// <summary>An integration module kept in the store (Get-SmaModule). Times are UTC.</summary>
public sealed class SmaModule
{
    public Guid ModuleID { get; init; }
    public string ModuleName { get; init; } = "";

    /// <summary>The version its manifest declares (ModuleVersion), if it has a manifest.</summary>
    public string? ModuleVersion { get; init; }

    /// <summary>The store's version: 1 for the first import, one more for each import after it.</summary>
    public int StoreVersion { get; init; }

    public string? Description { get; init; }

    /// <summary>The connection types the module registered (from its Automation.json).</summary>
    public IReadOnlyList<string> ConnectionTypes { get; init; } = Array.Empty<string>();

    /// <summary>The size of the module's files as stored (compressed), in bytes.</summary>
    public long Size { get; init; }

    /// <summary>SHA-256 of the stored content, as workers check it.</summary>
    public string Sha256 { get; init; } = "";

    public DateTime CreationTime { get; init; }
    public DateTime LastModifiedTime { get; init; }

    public override string ToString() => ModuleName;
}
