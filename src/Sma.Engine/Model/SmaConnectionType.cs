namespace Sma.Engine.Model;

/// <summary>
/// A connection type: the fields a connection of this type has. Integration modules bring them (their
/// <c>&lt;Module&gt;-Automation.json</c>); <c>Generic</c> is built in. Times are UTC.
/// </summary>
public sealed class SmaConnectionType
{
    /// <summary>The name of the built-in connection type.</summary>
    public const string GenericName = "Generic";

    public Guid ConnectionTypeID { get; init; }
    public string Name { get; init; } = "";

    /// <summary>The integration module that brought it; null for the built-in type.</summary>
    public string? ModuleName { get; init; }

    public IReadOnlyList<SmaConnectionField> Fields { get; init; } = Array.Empty<SmaConnectionField>();
    public DateTime CreationTime { get; init; }

    public override string ToString() => Name;
}

/// <summary>One field of a connection type (SMA's ConnectionField).</summary>
public sealed class SmaConnectionField
{
    public string ConnectionTypeName { get; init; } = "";
    public string Name { get; init; } = "";

    /// <summary>The .NET type of the value, as the module's Automation.json says (System.String, System.Int32, ...).</summary>
    public string TypeName { get; init; } = "System.String";

    /// <summary>True when the value is stored encrypted and never shown.</summary>
    public bool IsEncrypted { get; init; }

    /// <summary>False when every connection of the type must have a value for it.</summary>
    public bool IsOptional { get; init; }

    public override string ToString() => Name;
}
