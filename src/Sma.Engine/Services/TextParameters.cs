using System.Collections;
using System.Globalization;
using System.Management.Automation;
using System.Management.Automation.Language;
using System.Text;
using System.Text.Json;

namespace Sma.Engine.Services;

/// <summary>
/// Parameter values that arrive as text (SMA's web service takes every value as a string: arrays and hashtables as
/// JSON text), converted to the types the runbook's param() block declares before the usual checks run.
/// </summary>
internal static class TextParameters
{
    public static Hashtable Convert(string runbookName, ScriptBlockAst script, IReadOnlyList<KeyValuePair<string, string?>> values)
    {
        var declared = (script.ParamBlock?.Parameters ?? (IEnumerable<ParameterAst>)Array.Empty<ParameterAst>())
            .ToDictionary(p => p.Name.VariablePath.UserPath, p => p.StaticType, StringComparer.OrdinalIgnoreCase);
        var result = new Hashtable(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, text) in values)
        {
            if (result.ContainsKey(name))
                throw SmaErrors.DuplicateParameter(runbookName, name, name);
            // An undeclared name passes as it is: the parameter check names it (UnknownParameter).
            result[name] = text is null || !declared.TryGetValue(name, out var type) ? text : ConvertText(runbookName, name, type, text);
        }
        return result;
    }

    private static object? ConvertText(string runbookName, string name, Type type, string text)
    {
        try
        {
            if (ConvertTo(type, text, out var value))
                return value;
        }
        catch (Exception e) when (e is JsonException or FormatException or InvalidCastException or PSInvalidCastException or OverflowException)
        {
        }
        throw SmaErrors.InvalidParameterValue(runbookName, name, type, text.Length <= 80 ? text : text[..77] + "...", name);
    }

    private static bool ConvertTo(Type type, string text, out object? value)
    {
        var underlying = Nullable.GetUnderlyingType(type) ?? type;
        if (underlying == typeof(string))
        {
            value = text;
            return true;
        }
        if (underlying == typeof(bool) || underlying == typeof(SwitchParameter))
        {
            bool? flag = text.Trim().ToLowerInvariant() switch
            {
                "true" or "$true" or "1" => true,
                "false" or "$false" or "0" or "" => false,
                _ => null,
            };
            value = flag is { } f ? underlying == typeof(bool) ? f : new SwitchParameter(f) : null;
            return flag is not null;
        }
        if (underlying == typeof(DateTime))
        {
            var ok = DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var time);
            value = time;
            return ok;
        }
        if (underlying.IsArray)
        {
            if (ParseJson(text) is not object[] items)
            {
                // A single value for an array parameter is a one-element array, as PowerShell binds it.
                items = new object?[] { text }!;
            }
            var element = underlying.GetElementType()!;
            var array = Array.CreateInstance(element, items.Length);
            for (var i = 0; i < items.Length; i++)
                array.SetValue(element == typeof(object) ? items[i] : LanguagePrimitives.ConvertTo(items[i], element, CultureInfo.InvariantCulture), i);
            value = array;
            return true;
        }
        if (typeof(IDictionary).IsAssignableFrom(underlying) || underlying == typeof(PSObject))
        {
            value = ParseJson(text);
            return value is Hashtable;
        }
        if (underlying == typeof(object))
        {
            // Untyped: JSON arrays and objects become arrays and hashtables, anything else stays text.
            var trimmed = text.TrimStart();
            value = trimmed.StartsWith('[') || trimmed.StartsWith('{') ? ParseJsonOrNull(text) ?? text : text;
            return true;
        }
        value = LanguagePrimitives.ConvertTo(text, underlying, CultureInfo.InvariantCulture);
        return true;
    }

    private static object? ParseJsonOrNull(string text)
    {
        try
        {
            return ParseJson(text);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>
    /// JSON text as PowerShell values (objects as Hashtables, arrays as object[]). Single-quoted strings are accepted
    /// too, as community SMA clients write arrays (<c>['a','b']</c>).
    /// </summary>
    internal static object? ParseJson(string text)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(text);
        }
        catch (JsonException) when (text.Contains('\''))
        {
            document = JsonDocument.Parse(SingleToDoubleQuotes(text));
        }
        using (document)
            return ToValue(document.RootElement);
    }

    private static object? ToValue(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Object => e.EnumerateObject().Aggregate(new Hashtable(StringComparer.OrdinalIgnoreCase), (h, p) =>
        {
            h[p.Name] = ToValue(p.Value);
            return h;
        }),
        JsonValueKind.Array => e.EnumerateArray().Select(ToValue).ToArray(),
        JsonValueKind.String => e.GetString(),
        JsonValueKind.Number => e.TryGetInt32(out var i) ? i : e.TryGetInt64(out var l) ? l : e.GetDouble(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => null,
    };

    private static string SingleToDoubleQuotes(string text)
    {
        var sb = new StringBuilder(text.Length + 8);
        var quote = '\0';
        for (var i = 0; i < text.Length; i++)
        {
            var ch = text[i];
            if (quote == '\0')
            {
                if (ch is '\'' or '"')
                {
                    quote = ch;
                    sb.Append('"');
                }
                else
                {
                    sb.Append(ch);
                }
                continue;
            }
            if (ch == '\\' && i + 1 < text.Length)
            {
                sb.Append(ch).Append(text[++i]);
            }
            else if (ch == quote)
            {
                quote = '\0';
                sb.Append('"');
            }
            else if (ch == '"')
            {
                sb.Append("\\\"");
            }
            else
            {
                sb.Append(ch);
            }
        }
        return sb.ToString();
    }
}
