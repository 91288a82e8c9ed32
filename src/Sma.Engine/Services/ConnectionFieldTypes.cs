using System.Globalization;
using System.Management.Automation;
using System.Net;
using System.Security;

namespace Sma.Engine.Services;

/// <summary>
/// The field types a connection type may declare (the TypeName of SMA's Automation.json), and the conversion of a
/// given value to one of them.
/// </summary>
public static class ConnectionFieldTypes
{
    private static readonly Dictionary<string, Type> Known = new(StringComparer.OrdinalIgnoreCase)
    {
        ["System.String"] = typeof(string),
        ["System.Int32"] = typeof(int),
        ["System.Int64"] = typeof(long),
        ["System.Boolean"] = typeof(bool),
        ["System.DateTime"] = typeof(DateTime),
        ["System.Double"] = typeof(double),
        ["System.Decimal"] = typeof(decimal),
        ["System.Guid"] = typeof(Guid),
        ["System.Object"] = typeof(object),
    };

    public static IEnumerable<string> Names => Known.Keys;

    public static bool IsKnown(string typeName) => Known.ContainsKey(typeName);

    /// <summary>Converts <paramref name="value"/> to the field's type; the reason why not otherwise.</summary>
    internal static bool TryConvert(object? value, string typeName, out object? converted, out string why)
    {
        why = "";
        var type = Known.TryGetValue(typeName, out var t) ? t : typeof(object);
        var raw = value is PSObject p ? p.BaseObject : value;
        // A SecureString is how a secret is typed at a prompt: a string field takes its text.
        if (raw is SecureString secure && type == typeof(string))
            raw = new NetworkCredential("", secure).Password;
        try
        {
            converted = type == typeof(object) ? raw : LanguagePrimitives.ConvertTo(raw, type, CultureInfo.InvariantCulture);
            return true;
        }
        catch (Exception e) when (e is PSInvalidCastException or InvalidCastException or FormatException or OverflowException)
        {
            converted = null;
            why = $"a [{raw?.GetType().Name ?? "null"}] value cannot be converted to it.";
            return false;
        }
    }
}
