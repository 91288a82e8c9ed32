using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Sma.Server.OData;

/// <summary>
/// Writes OData v3's verbose JSON (<c>Accept: application/json;odata=verbose</c>): <c>{"d":{"results":[…],"__count":"…",
/// "__next":"…"}}</c> for feeds, <c>{"d":{…}}</c> for entries with <c>__metadata</c> and deferred links, dates as
/// <c>"\/Date(ms)\/"</c>, 64-bit integers as strings, errors as <c>{"error":{"code","message":{"lang","value"}}}</c>;
/// an expanded link is its entry (or null) or <c>{"results":[…]}</c> in place of <c>__deferred</c>.
/// </summary>
internal static class JsonWriter
{
    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static byte[] Feed(RequestContext ctx, EntitySetDefinition set, IEnumerable<object> entries, long? count, string? next,
        ExpandClause? expand = null) => Write(w =>
    {
        w.WriteStartObject();
        w.WriteStartObject("d");
        w.WriteStartArray("results");
        foreach (var entry in entries)
            WriteEntry(w, ctx, set, entry, expand);
        w.WriteEndArray();
        if (count is { } c)
            w.WriteString("__count", c.ToString(CultureInfo.InvariantCulture));
        if (next is not null)
            w.WriteString("__next", ctx.ServiceRoot + next);
        w.WriteEndObject();
        w.WriteEndObject();
    });

    public static byte[] Entry(RequestContext ctx, EntitySetDefinition set, object entity, ExpandClause? expand = null) => Write(w =>
    {
        w.WriteStartObject();
        w.WritePropertyName("d");
        WriteEntry(w, ctx, set, entity, expand);
        w.WriteEndObject();
    });

    public static byte[] Primitive(string name, EdmType type, object? value) => Write(w =>
    {
        w.WriteStartObject();
        w.WriteStartObject("d");
        w.WritePropertyName(name);
        WriteValue(w, type, value);
        w.WriteEndObject();
        w.WriteEndObject();
    });

    public static byte[] ServiceDocument(IEnumerable<EntitySetDefinition> sets) => Write(w =>
    {
        w.WriteStartObject();
        w.WriteStartObject("d");
        w.WriteStartArray("EntitySets");
        foreach (var set in sets)
            w.WriteStringValue(set.Name);
        w.WriteEndArray();
        w.WriteEndObject();
        w.WriteEndObject();
    });

    public static byte[] Error(string code, string message, string? category = null) => Write(w =>
    {
        w.WriteStartObject();
        w.WriteStartObject("error");
        w.WriteString("code", code);
        w.WriteStartObject("message");
        w.WriteString("lang", "en-US");
        w.WriteString("value", message);
        w.WriteEndObject();
        if (category is not null)
        {
            // The engine's error category, so the module's remote cmdlets report the error as the local ones do.
            w.WriteStartObject("innererror");
            w.WriteString("message", message);
            w.WriteString("type", category);
            w.WriteEndObject();
        }
        w.WriteEndObject();
        w.WriteEndObject();
    });

    private static void WriteEntry(Utf8JsonWriter w, RequestContext ctx, EntitySetDefinition set, object entity, ExpandClause? expand)
    {
        var uri = ctx.ServiceRoot + set.KeyPath(entity);
        w.WriteStartObject();
        w.WriteStartObject("__metadata");
        w.WriteString("id", uri);
        w.WriteString("uri", uri);
        w.WriteString("type", set.QualifiedTypeName);
        if (set.HasStream)
        {
            w.WriteString("edit_media", uri + "/$value");
            w.WriteString("media_src", uri + "/$value");
            w.WriteString("content_type", "application/octet-stream");
        }
        w.WriteEndObject();
        foreach (var property in set.Properties)
        {
            w.WritePropertyName(property.Name);
            WriteValue(w, property.Type, property.Get(entity));
        }
        foreach (var navigation in set.Navigations)
        {
            if (expand?.For(navigation) is { } inner)
            {
                // Inline (OData 2.0+ verbose JSON): a collection as {"results":[…]} without __count, an entry as an object or null.
                var followed = navigation.Follow(ctx, entity);
                w.WritePropertyName(navigation.Name);
                if (navigation.Many)
                {
                    w.WriteStartObject();
                    w.WriteStartArray("results");
                    foreach (var entry in (IEnumerable<object>?)followed ?? Array.Empty<object>())
                        WriteEntry(w, ctx, inner.Set, entry, inner);
                    w.WriteEndArray();
                    w.WriteEndObject();
                }
                else if (followed is null)
                    w.WriteNullValue();
                else
                    WriteEntry(w, ctx, inner.Set, followed, inner);
                continue;
            }
            w.WriteStartObject(navigation.Name);
            w.WriteStartObject("__deferred");
            w.WriteString("uri", uri + "/" + navigation.Name);
            w.WriteEndObject();
            w.WriteEndObject();
        }
        w.WriteEndObject();
    }

    private static void WriteValue(Utf8JsonWriter w, EdmType type, object? value)
    {
        switch (value)
        {
            case null:
                w.WriteNullValue();
                break;
            case DateTime t:
                var ms = (long)Math.Floor((t.ToUniversalTime() - DateTime.UnixEpoch).TotalMilliseconds);
                w.WriteRawValue($"\"\\/Date({ms.ToString(CultureInfo.InvariantCulture)})\\/\"", skipInputValidation: true);
                break;
            case bool b:
                w.WriteBooleanValue(b);
                break;
            case long l when type == EdmType.Int64:
                w.WriteStringValue(l.ToString(CultureInfo.InvariantCulture));
                break;
            case short or int or long:
                w.WriteNumberValue(Convert.ToInt64(value, CultureInfo.InvariantCulture));
                break;
            case Guid g:
                w.WriteStringValue(g.ToString());
                break;
            default:
                w.WriteStringValue(value.ToString());
                break;
        }
    }

    private static byte[] Write(Action<Utf8JsonWriter> body)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, Options))
            body(w);
        return stream.ToArray();
    }
}
