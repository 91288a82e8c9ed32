using System.Globalization;
using System.Text;

namespace Sma.Server.OData;

/// <summary>The primitive types the service speaks (OData v3's Edm names).</summary>
internal enum EdmType
{
    String,
    Guid,
    DateTime,
    Int16,
    Int32,
    Int64,
    Boolean,
}

/// <summary>OData v3 literals: <c>guid'…'</c>, <c>datetime'…'</c>, <c>'text'</c> (quotes doubled), integers, true/false, null.</summary>
internal static class Literals
{
    public static string EdmName(EdmType type) => "Edm." + type;

    /// <summary>A value as the literal a URL carries (keys, skip tokens, next links).</summary>
    public static string Format(object? value) => value switch
    {
        null => "null",
        Guid g => $"guid'{g}'",
        DateTime t => $"datetime'{FormatDateTime(t)}'",
        bool b => b ? "true" : "false",
        string s => "'" + s.Replace("'", "''") + "'",
        long l => l.ToString(CultureInfo.InvariantCulture) + "L",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => "'" + value.ToString()!.Replace("'", "''") + "'",
    };

    /// <summary>UTC with seven fractional digits, so a value read back compares equal to the one written.</summary>
    public static string FormatDateTime(DateTime time) =>
        time.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    /// <summary>A date and time as a literal or a property body carries it; a value without an offset is UTC.</summary>
    public static bool TryParseDateTime(string text, out DateTime time)
    {
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var offset))
        {
            time = offset.UtcDateTime;
            return true;
        }
        time = default;
        return false;
    }

    /// <summary>
    /// Reads one literal at <paramref name="position"/> of <paramref name="text"/> (for keys and skip tokens, which
    /// are lists of literals); returns false when there is none.
    /// </summary>
    public static bool TryRead(string text, ref int position, out object? value)
    {
        value = null;
        var start = position;
        if (position >= text.Length)
            return false;
        var rest = text.AsSpan(position);
        foreach (var (prefix, kind) in new[] { ("guid'", 'g'), ("datetime'", 'd'), ("datetimeoffset'", 'o'), ("X'", 'x'), ("binary'", 'x') })
        {
            if (!rest.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
                continue;
            position += prefix.Length;
            if (!ReadQuoted(text, ref position, out var body))
                return false;
            switch (kind)
            {
                case 'g' when Guid.TryParseExact(body, "D", out var g):
                    value = g;
                    return true;
                case 'd' or 'o' when TryParseDateTime(body, out var t):
                    value = t;
                    return true;
                default:
                    position = start;
                    return false;
            }
        }
        if (text[position] == '\'')
        {
            position++;
            if (!ReadQuoted(text, ref position, out var s))
                return false;
            value = s;
            return true;
        }
        foreach (var word in new[] { "true", "false", "null" })
        {
            if (rest.StartsWith(word, StringComparison.Ordinal) && (rest.Length == word.Length || !char.IsLetterOrDigit(rest[word.Length])))
            {
                position += word.Length;
                value = word switch { "true" => true, "false" => false, _ => null };
                return true;
            }
        }
        var end = position;
        if (end < text.Length && text[end] == '-')
            end++;
        while (end < text.Length && char.IsAsciiDigit(text[end]))
            end++;
        if (end == position || end == position + 1 && text[position] == '-')
            return false;
        var digits = text[position..end];
        if (end < text.Length && text[end] is 'L' or 'l')
        {
            end++;
            if (!long.TryParse(digits, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l))
                return false;
            value = l;
        }
        else if (int.TryParse(digits, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var i))
        {
            value = i;
        }
        else if (long.TryParse(digits, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var big))
        {
            value = big;
        }
        else
        {
            return false;
        }
        position = end;
        return true;
    }

    /// <summary>Reads up to the closing quote ('' is one quote); <paramref name="position"/> is just after the opening one.</summary>
    private static bool ReadQuoted(string text, ref int position, out string value)
    {
        var sb = new StringBuilder();
        while (position < text.Length)
        {
            var ch = text[position++];
            if (ch != '\'')
            {
                sb.Append(ch);
                continue;
            }
            if (position < text.Length && text[position] == '\'')
            {
                sb.Append('\'');
                position++;
                continue;
            }
            value = sb.ToString();
            return true;
        }
        value = "";
        return false;
    }

    /// <summary>A comma-separated list of literals (a skip token), or null when it is not one.</summary>
    public static IReadOnlyList<object?>? ReadList(string text)
    {
        var values = new List<object?>();
        var position = 0;
        while (true)
        {
            if (!TryRead(text, ref position, out var value))
                return null;
            values.Add(value);
            if (position == text.Length)
                return values;
            if (text[position] != ',')
                return null;
            position++;
        }
    }
}
