using Sma.Engine;

namespace Sma.Server.OData;

/// <summary>
/// A resource path under the service root: <c>Set</c>, <c>Set/$count</c>, <c>Set(key)</c>, <c>Set(key)/$value</c>,
/// <c>Set(key)/Link</c>, <c>Set(key)/Link/$value</c>, <c>Set(key)/Property</c>, <c>Set(key)/Action</c>,
/// <c>Set/Function</c>, <c>$metadata</c> or the service document (empty).
/// </summary>
internal sealed record ODataPath
{
    public bool IsServiceDocument { get; init; }
    public bool IsMetadata { get; init; }
    public EntitySetDefinition? Set { get; init; }
    public IReadOnlyList<object?>? Key { get; init; }

    /// <summary>The segments after <c>Set(key)</c> or <c>Set</c> (a link, a property, an operation, $value, $count).</summary>
    public IReadOnlyList<string> Rest { get; init; } = Array.Empty<string>();

    public static ODataPath Parse(string path)
    {
        path = path.Trim('/'); // already decoded by the server (Request.Path)
        if (path.Length == 0)
            return new ODataPath { IsServiceDocument = true };
        if (path == "$metadata")
            return new ODataPath { IsMetadata = true };
        var segments = path.Split('/');
        var first = segments[0];
        var open = first.IndexOf('(');
        var setName = open < 0 ? first : first[..open];
        var set = ServiceModel.Find(setName) ?? throw SmaErrors.WebResourceNotFound(setName);
        IReadOnlyList<object?>? key = null;
        if (open >= 0)
        {
            if (!first.EndsWith(')'))
                throw InvalidKey(set, first[open..]);
            key = ParseKey(set, first[(open + 1)..^1]);
        }
        return new ODataPath { Set = set, Key = key, Rest = segments.Skip(1).ToList() };
    }

    private static IReadOnlyList<object?> ParseKey(EntitySetDefinition set, string text)
    {
        var values = new object?[set.Key.Count];
        if (set.Key.Count == 1 && !text.Contains('='))
        {
            values[0] = KeyValue(set, 0, text);
            return values;
        }
        // Name=literal,Name=literal (a comma inside a quoted literal stays in it).
        var position = 0;
        var seen = 0;
        while (position < text.Length)
        {
            var equals = text.IndexOf('=', position);
            if (equals < 0)
                throw InvalidKey(set, text);
            var name = text[position..equals].Trim();
            var index = set.Key.ToList().FindIndex(k => k.Equals(name, StringComparison.OrdinalIgnoreCase));
            if (index < 0 || values[index] is not null)
                throw InvalidKey(set, text);
            position = equals + 1;
            var start = position;
            if (!Literals.TryRead(text, ref position, out _))
                throw InvalidKey(set, text);
            values[index] = KeyValue(set, index, text[start..position]);
            seen++;
            if (position < text.Length)
            {
                if (text[position] != ',')
                    throw InvalidKey(set, text);
                position++;
            }
        }
        if (seen != set.Key.Count)
            throw InvalidKey(set, text);
        return values;
    }

    private static object KeyValue(EntitySetDefinition set, int index, string literal)
    {
        var position = 0;
        if (!Literals.TryRead(literal, ref position, out var value) || position != literal.Length)
            throw InvalidKey(set, literal);
        var type = set.KeyProperty(index).Type;
        return (type, value) switch
        {
            (EdmType.Guid, Guid g) => g,
            (EdmType.String, string s) => s,
            (EdmType.Int64, int i) => (long)i,
            (EdmType.Int64, long l) => l,
            (EdmType.Int32, int i) => i,
            _ => throw InvalidKey(set, literal),
        };
    }

    private static SmaException InvalidKey(EntitySetDefinition set, string text)
    {
        var example = set.Key.Count == 1
            ? $"{set.Name}({Example(set.KeyProperty(0).Type)})"
            : $"{set.Name}({string.Join(",", set.Key.Select((k, i) => $"{k}={Example(set.KeyProperty(i).Type)}"))})";
        return SmaErrors.WebInvalidKey(set.Name, text, example);
    }

    private static string Example(EdmType type) => type switch
    {
        EdmType.Guid => "guid'00000000-0000-0000-0000-000000000000'",
        EdmType.String => "'name'",
        _ => "1",
    };
}
