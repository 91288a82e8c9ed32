using Sma.Engine.Model;

namespace Sma.Server.OData;

/// <summary>One property of an entity type: its Edm type and how it is read from (and written to) the entity.</summary>
internal sealed class PropertyDefinition
{
    public PropertyDefinition(string name, EdmType type, Func<object, object?> get, bool nullable = true)
    {
        Name = name;
        Type = type;
        Get = get;
        Nullable = nullable;
    }

    public string Name { get; }
    public EdmType Type { get; }
    public Func<object, object?> Get { get; }
    public bool Nullable { get; }

    /// <summary>How a literal compared with this property is read (job statuses: either vocabulary).</summary>
    public Func<object?, object?>? NormalizeLiteral { get; init; }

    /// <summary>True when PUT/MERGE/POST bodies may set it.</summary>
    public bool Writable { get; init; }
}

/// <summary>A link from an entity to others (one, or a collection), and how to follow it.</summary>
internal sealed record NavigationDefinition(string Name, string TargetSet, bool Many, Func<RequestContext, object, object?> Follow);

/// <summary>
/// A bound action (POST Set(key)/Name), a function of the set (GET Set/Name?arg='…') or, when <see cref="Bound"/>, a
/// function of one entry (GET Set(key)/Name).
/// </summary>
internal sealed record OperationDefinition(
    string Name,
    string HttpMethod,
    WebServiceRole Role,
    EdmType? ReturnType,
    Func<RequestContext, object?, OperationResult> Invoke)
{
    /// <summary>For a GET function: it is called on one entry (Set(key)/Name), not on the set.</summary>
    public bool Bound { get; init; }

    /// <summary>For a GET function of the set: the query arguments it takes, as $metadata declares them.</summary>
    public IReadOnlyList<(string Name, EdmType Type)> Arguments { get; init; } = Array.Empty<(string, EdmType)>();
}

/// <summary>
/// What an operation returns: nothing (204), a primitive value, or entries of a set — paged when it says how an entry
/// is the skip token of the next page (GetStreamItems), else answered whole (a bounded list).
/// </summary>
internal sealed record OperationResult(object? Value, EdmType? Type = null, EntitySetDefinition? Set = null, IEnumerable<object>? Entries = null,
    Func<object, string>? SkipTokenOf = null)
{
    public static readonly OperationResult None = new((object?)null);
}

/// <summary>The media resource of an entry (RunbookVersions(…)/$value): its bytes, content type and entity tag.</summary>
internal sealed record MediaContent(byte[] Content, string ContentType, string ETag);

/// <summary>
/// One entity set of the service, declared once: its entity type (properties, key, links), who may read and change
/// it, and how to list, get, create, update, delete its entries and run its operations. Everything the writers,
/// the $filter parser and $metadata need comes from here.
/// </summary>
internal sealed class EntitySetDefinition
{
    public required string Name { get; init; }

    /// <summary>The entity type's name in Orchestrator.ResourceModel (Job, Runbook, ...).</summary>
    public required string TypeName { get; init; }

    public required IReadOnlyList<PropertyDefinition> Properties { get; init; }

    /// <summary>The key properties, in order (one for most sets).</summary>
    public required IReadOnlyList<string> Key { get; init; }

    /// <summary>A media link entry: its content is a stream at Set(key)/$value (SMA's Job, RunbookVersion, Module).</summary>
    public bool HasStream { get; init; }

    public IReadOnlyList<NavigationDefinition> Navigations { get; init; } = Array.Empty<NavigationDefinition>();
    public IReadOnlyList<OperationDefinition> Operations { get; init; } = Array.Empty<OperationDefinition>();

    /// <summary>The role that may read the set; writes need Administrator unless an operation says otherwise.</summary>
    public WebServiceRole ReadRole { get; init; } = WebServiceRole.Reader;

    /// <summary>
    /// Lists a page. Sets that are small are listed whole and filtered, ordered and paged in memory
    /// (<see cref="ListAll"/>); large ones (Jobs) page in the store.
    /// </summary>
    public Func<RequestContext, QueryOptions, PageResult>? ListPage { get; init; }

    /// <summary>Every entry (for sets small enough to filter and page in memory).</summary>
    public Func<RequestContext, IEnumerable<object>>? ListAll { get; init; }

    /// <summary>The entry with the key (values in <see cref="Key"/> order), or null.</summary>
    public required Func<RequestContext, IReadOnlyList<object?>, object?> Get { get; init; }

    public Func<RequestContext, EntityBody, object>? Create { get; init; }

    /// <summary>PUT (merge false: unset properties take their defaults) or MERGE (merge true).</summary>
    public Func<RequestContext, object, EntityBody, bool, object>? Update { get; init; }

    public Action<RequestContext, object>? Delete { get; init; }

    public Func<RequestContext, object, MediaContent>? ReadMedia { get; init; }

    /// <summary>PUT Set(key)/$value.</summary>
    public Action<RequestContext, object, byte[]>? WriteMedia { get; init; }

    /// <summary>POST Set with a media body (a new runbook from its source).</summary>
    public Func<RequestContext, byte[], object>? CreateFromMedia { get; init; }

    public string QualifiedTypeName => ServiceModel.Namespace + "." + TypeName;

    public PropertyDefinition? FindProperty(string name) =>
        Properties.FirstOrDefault(p => p.Name.Equals(name, StringComparison.Ordinal))
        ?? Properties.FirstOrDefault(p => p.Name.Equals(name, StringComparison.OrdinalIgnoreCase));

    public PropertyDefinition KeyProperty(int i) => FindProperty(Key[i])!;

    public IReadOnlyList<object?> KeyOf(object entity) => Key.Select(k => FindProperty(k)!.Get(entity)).ToList();

    /// <summary>The entry's address relative to the service root: <c>Jobs(guid'…')</c> or <c>JobParameters(JobContextID=guid'…',Name='x')</c>.</summary>
    public string KeyPath(object entity)
    {
        var values = KeyOf(entity);
        return values.Count == 1
            ? $"{Name}({Literals.Format(values[0])})"
            : $"{Name}({string.Join(",", Key.Select((k, i) => $"{k}={Literals.Format(values[i])}"))})";
    }
}

/// <summary>A page of entries, with the total when asked ($inlinecount) and the skip token of the next page.</summary>
internal sealed record PageResult(IReadOnlyList<object> Entries, long? Count, string? NextSkipToken, int? RemainingTop, int RemainingSkip = 0);
