using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Xml;
using Sma.Engine;

namespace Sma.Server.OData;

/// <summary>
/// The properties of an entry a client sent (POST, PUT, MERGE): JSON (verbose <c>{"d":{…}}</c> or plain) or an Atom
/// entry with <c>m:properties</c>. Values are kept as text (objects and arrays as JSON text) and read typed on demand.
/// </summary>
internal sealed class EntityBody
{
    private readonly Dictionary<string, string?> _values;

    private EntityBody(Dictionary<string, string?> values) => _values = values;

    public IReadOnlyCollection<string> Names => _values.Keys;

    public bool Has(string name) => _values.ContainsKey(name);

    public string? Text(string name) => _values.TryGetValue(name, out var v) ? v : null;

    public bool? Bool(string name) => Text(name) is not { } text ? null
        : bool.TryParse(text, out var b) ? b
        : throw Invalid(name, text, "true or false");

    public Guid? Guid(string name) => Text(name) is not { } text ? null
        : System.Guid.TryParse(text, out var g) ? g
        : throw Invalid(name, text, "a GUID");

    public static EntityBody Parse(byte[] body, string? contentType)
    {
        if (body.Length == 0)
            throw SmaErrors.WebInvalidBody("it is empty; send the entry's properties as JSON or as an Atom entry");
        var text = Encoding.UTF8.GetString(body).TrimStart('\uFEFF');
        return IsXml(contentType, text) ? ParseAtom(text) : ParseJson(text);
    }

    private static bool IsXml(string? contentType, string text) =>
        contentType?.Contains("xml", StringComparison.OrdinalIgnoreCase) == true || text.TrimStart().StartsWith('<');

    private static EntityBody ParseJson(string text)
    {
        try
        {
            using var document = JsonDocument.Parse(text, new JsonDocumentOptions { MaxDepth = 32 });
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("d", out var d) && d.ValueKind == JsonValueKind.Object)
                root = d;
            if (root.ValueKind != JsonValueKind.Object)
                throw SmaErrors.WebInvalidBody("it is not a JSON object");
            var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
            foreach (var property in root.EnumerateObject())
            {
                if (property.Name == "__metadata")
                    continue;
                values[property.Name] = JsonText(property.Value);
            }
            return new EntityBody(values);
        }
        catch (JsonException e)
        {
            throw SmaErrors.WebInvalidBody($"it is not valid JSON ({e.Message})");
        }
    }

    /// <summary>A JSON value as text: strings as they are, numbers and booleans as written, objects and arrays as JSON.</summary>
    public static string? JsonText(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Null or JsonValueKind.Undefined => null,
        JsonValueKind.String => value.GetString(),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        _ => value.GetRawText(),
    };

    private static EntityBody ParseAtom(string text)
    {
        var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null, MaxCharactersInDocument = 64 * 1024 * 1024 };
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        try
        {
            using var reader = XmlReader.Create(new StringReader(text), settings);
            while (reader.Read())
            {
                if (reader.NodeType != XmlNodeType.Element || reader.LocalName != "properties" || reader.NamespaceURI != AtomNames.Metadata)
                    continue;
                if (reader.IsEmptyElement)
                    break;
                var depth = reader.Depth;
                reader.Read();
                while (!reader.EOF && reader.Depth > depth)
                {
                    if (reader.NodeType != XmlNodeType.Element || reader.NamespaceURI != AtomNames.Data)
                    {
                        reader.Read();
                        continue;
                    }
                    var name = reader.LocalName;
                    var isNull = reader.GetAttribute("null", AtomNames.Metadata) == "true";
                    // Reading the content moves to the node after the element: the next property when nothing is between.
                    var content = reader.ReadElementContentAsString();
                    values[name] = isNull ? null : content;
                }
                break;
            }
        }
        catch (XmlException e)
        {
            throw SmaErrors.WebInvalidBody($"it is not a valid Atom entry ({e.Message})");
        }
        return new EntityBody(values);
    }

    private static SmaException Invalid(string name, string text, string expected) =>
        SmaErrors.WebRequestInvalid("InvalidPropertyValue",
            $"The value '{(text.Length > 60 ? text[..57] + "..." : text)}' of property {name} is not valid: give {expected}.", name);

    public static string Invariant(IFormattable value) => value.ToString(null, CultureInfo.InvariantCulture);
}
