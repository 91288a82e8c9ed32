namespace Sma.Engine.Model;

/// <summary>What Test-SmaStore finds: the file, its schema, its integrity and what it holds.</summary>
public sealed class StoreReport
{
    public string Path { get; init; } = "";
    public int SchemaVersion { get; init; }
    public string? StoreId { get; init; }
    public string Integrity { get; init; } = "";
    public bool IsHealthy => Integrity == "ok";
    public long Runbooks { get; init; }
    public long Jobs { get; init; }
    public long StreamRecords { get; init; }
    public long Checkpoints { get; init; }
    public long Workers { get; init; }
    public long SizeBytes { get; init; }

    public override string ToString() => $"{Path}: {Integrity}";
}
