using System.Text.Json;
using System.Text.RegularExpressions;
using Sma.Engine.Services;
using Sma.Engine.Store;

namespace Sma.Engine.Modules;

/// <summary>
/// Reads SMA's <c>&lt;Module&gt;-Automation.json</c>: the connection type an integration module brings —
/// <c>ConnectionTypeName</c> and <c>ConnectionFields</c>, each with <c>Name</c>, <c>TypeName</c>, <c>IsEncrypted</c>
/// and <c>IsOptional</c>. Property names match in any case, as SMA's reader did.
/// </summary>
internal static class ConnectionTypeFile
{
    private static readonly Regex TypeNamePattern = new("^[A-Za-z0-9][A-Za-z0-9 ._-]{0,127}$", RegexOptions.CultureInvariant);
    private static readonly Regex FieldNamePattern = new("^[A-Za-z_][A-Za-z0-9_]{0,127}$", RegexOptions.CultureInvariant);

    public static string FileName(string moduleName) => $"{moduleName}-Automation.json";

    public static ConnectionTypeDefinition Parse(string file, string json)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions
            {
                AllowTrailingCommas = true,
                CommentHandling = JsonCommentHandling.Skip,
            });
        }
        catch (JsonException e)
        {
            throw SmaErrors.ConnectionTypeFileInvalid(file, $"it is not valid JSON ({e.Message.TrimEnd('.')})");
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                throw SmaErrors.ConnectionTypeFileInvalid(file, "it is not a JSON object");
            var name = Property(root, "ConnectionTypeName") is { ValueKind: JsonValueKind.String } n ? n.GetString()! : "";
            if (!TypeNamePattern.IsMatch(name))
                throw SmaErrors.ConnectionTypeFileInvalid(file,
                    name.Length == 0 ? "ConnectionTypeName is missing" : $"ConnectionTypeName '{name}' is not a valid name");
            if (Property(root, "ConnectionFields") is not { ValueKind: JsonValueKind.Array } array)
                throw SmaErrors.ConnectionTypeFileInvalid(file, "ConnectionFields is missing or not an array");
            var fields = new List<ConnectionFieldDefinition>();
            foreach (var item in array.EnumerateArray())
                fields.Add(Field(file, item, fields));
            return new ConnectionTypeDefinition(name, fields);
        }
    }

    private static ConnectionFieldDefinition Field(string file, JsonElement item, List<ConnectionFieldDefinition> before)
    {
        if (item.ValueKind != JsonValueKind.Object)
            throw SmaErrors.ConnectionTypeFileInvalid(file, "a ConnectionFields entry is not an object");
        var name = Property(item, "Name") is { ValueKind: JsonValueKind.String } n ? n.GetString()! : "";
        if (!FieldNamePattern.IsMatch(name))
            throw SmaErrors.ConnectionTypeFileInvalid(file,
                name.Length == 0 ? "a field has no Name" : $"field name '{name}' is not valid (letters, digits and '_')");
        if (before.Any(f => f.Name.Equals(name, StringComparison.OrdinalIgnoreCase)))
            throw SmaErrors.ConnectionTypeFileInvalid(file, $"field '{name}' is listed twice");
        var typeName = Property(item, "TypeName") is { ValueKind: JsonValueKind.String } t ? t.GetString()! : "System.String";
        if (!ConnectionFieldTypes.IsKnown(typeName))
            throw SmaErrors.ConnectionTypeFileInvalid(file,
                $"field '{name}' has TypeName '{typeName}'; the types are {string.Join(", ", ConnectionFieldTypes.Names)}");
        return new ConnectionFieldDefinition(name, typeName, Flag(file, item, name, "IsEncrypted"), Flag(file, item, name, "IsOptional"));
    }

    private static bool Flag(string file, JsonElement item, string field, string flag) => Property(item, flag) switch
    {
        null => false,
        { ValueKind: JsonValueKind.True } => true,
        { ValueKind: JsonValueKind.False } => false,
        _ => throw SmaErrors.ConnectionTypeFileInvalid(file, $"{flag} of field '{field}' is not true or false"),
    };

    private static JsonElement? Property(JsonElement element, string name)
    {
        foreach (var property in element.EnumerateObject())
            if (property.Name.Equals(name, StringComparison.OrdinalIgnoreCase))
                return property.Value;
        return null;
    }
}
