using System.Management.Automation;
using System.Text;

namespace Sma.Engine.Store;

/// <summary>
/// A runbook name filter from the user (a name or a PowerShell wildcard pattern, any case), as both backends query it:
/// an exact ASCII name is an equality on the case-insensitive column; anything else is a LIKE pre-filter that never
/// compares letters outside ASCII (each becomes one-character <c>_</c>) and needs no collation, finished by PowerShell's
/// own matcher, which decides case and character classes as PowerShell does.
/// </summary>
public sealed class NamePattern
{
    private readonly WildcardPattern _matcher;

    private NamePattern(string pattern)
    {
        Pattern = pattern;
        IsExact = !WildcardPattern.ContainsWildcardCharacters(pattern) && pattern.All(char.IsAscii);
        Like = ToLike(pattern);
        _matcher = new WildcardPattern(pattern, WildcardOptions.IgnoreCase);
    }

    public static NamePattern Of(string pattern) => new(pattern);

    public string Pattern { get; }

    /// <summary>An ASCII name with no wildcard: the column's case-insensitive equality decides alone.</summary>
    public bool IsExact { get; }

    /// <summary>The LIKE pre-filter (escape character <c>\</c>), to be compared case-insensitively for ASCII.</summary>
    public string Like { get; }

    /// <summary>The final decision on a name the pre-filter let through.</summary>
    public bool IsMatch(string name) => IsExact ? name.Equals(Pattern, StringComparison.OrdinalIgnoreCase) : _matcher.IsMatch(name);

    /// <summary>PowerShell wildcards (* ?) as a LIKE pattern; LIKE's own % _ and the escape are escaped.</summary>
    private static string ToLike(string pattern)
    {
        var sb = new StringBuilder(pattern.Length + 8);
        for (var i = 0; i < pattern.Length; i++)
        {
            var ch = pattern[i];
            switch (ch)
            {
                case '*': sb.Append('%'); break;
                case '?': sb.Append('_'); break;
                case '[':
                    // A character class: match one character here, PowerShell's matcher checks it afterwards.
                    var close = pattern.IndexOf(']', i + 1);
                    if (close > i) { sb.Append('_'); i = close; } else sb.Append('[');
                    break;
                case '`' when i + 1 < pattern.Length:
                    Literal(sb, pattern[++i]);
                    break;
                default: Literal(sb, ch); break;
            }
        }
        return sb.ToString();
    }

    private static void Literal(StringBuilder sb, char ch)
    {
        if (ch is '%' or '_' or '\\')
            sb.Append('\\').Append(ch);
        else if (!char.IsAscii(ch))
            sb.Append('_'); // the matcher folds its case; a backend's LIKE might not
        else
            sb.Append(ch);
    }
}
