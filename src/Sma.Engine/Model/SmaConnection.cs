using System.Collections.Specialized;

namespace Sma.Engine.Model;

/// <summary>
/// A connection asset as Get-SmaConnection shows it: its type and field values, encrypted fields masked. Times are UTC.
/// </summary>
public sealed class SmaConnection
{
    /// <summary>What an encrypted field shows instead of its value.</summary>
    public const string Masked = "********";

    public Guid ConnectionID { get; init; }
    public string Name { get; init; } = "";
    public string ConnectionTypeName { get; init; } = "";
    public string? Description { get; init; }

    /// <summary>Field name to value, in the type's field order (case-insensitive); encrypted fields show ********.</summary>
    public OrderedDictionary ConnectionFieldValues { get; init; } = new(StringComparer.OrdinalIgnoreCase);

    public DateTime CreationTime { get; init; }
    public DateTime LastModifiedTime { get; init; }

    public override string ToString() => Name;
}
