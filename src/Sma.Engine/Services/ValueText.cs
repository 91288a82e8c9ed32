using System.Collections;
using System.Globalization;
using System.Management.Automation;
using System.Text.Json;

namespace Sma.Engine.Services;

/// <summary>
/// A value as SMA's web service carries it: text. Strings as they are, numbers and times invariant, arrays and
/// hashtables as JSON. The server shows job parameters and variables this way; the module's remote cmdlets send
/// parameter values this way (the server converts them back to the runbook's declared types).
/// </summary>
public static class ValueText
{
    public static string? ToText(object? value)
    {
        var plain = Plain(value);
        return plain switch
        {
            null => null,
            string s => s,
            DateTime t => t.ToString("o", CultureInfo.InvariantCulture),
            bool b => b ? "true" : "false",
            IFormattable f when plain is not IEnumerable => f.ToString(null, CultureInfo.InvariantCulture),
            _ => JsonSerializer.Serialize(plain),
        };
    }

    /// <summary>A value PowerShell made or deserialized, as plain .NET values JSON can carry.</summary>
    public static object? Plain(object? value, int depth = 0)
    {
        if (depth > 8)
            return value?.ToString();
        var raw = value is PSObject p && p.BaseObject is not PSCustomObject ? p.BaseObject : value;
        switch (raw)
        {
            case null or string or bool or DateTime or Guid:
                return raw;
            case IFormattable when raw.GetType().IsPrimitive || raw is decimal:
                return raw;
            case IDictionary dictionary:
                return dictionary.Cast<DictionaryEntry>().ToDictionary(e => e.Key.ToString() ?? "", e => Plain(e.Value, depth + 1));
            case IEnumerable items:
                return items.Cast<object?>().Select(i => Plain(i, depth + 1)).ToList();
            case PSObject custom:
                return custom.Properties.ToDictionary(pr => pr.Name, pr => Plain(pr.Value, depth + 1));
            default:
                return raw.ToString();
        }
    }
}
