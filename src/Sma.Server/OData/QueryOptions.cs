using System.Globalization;
using Microsoft.AspNetCore.Http;
using Sma.Engine;

namespace Sma.Server.OData;

/// <summary>The system query options of a request ($filter, $orderby, $top, $skip, $inlinecount, $skiptoken, $expand, $format).</summary>
internal sealed class QueryOptions
{
    private static readonly HashSet<string> Supported = new(StringComparer.Ordinal)
    {
        "$filter", "$orderby", "$top", "$skip", "$inlinecount", "$skiptoken", "$expand", "$format",
    };

    public FilterNode? Filter { get; private init; }
    public string? FilterText { get; private init; }
    public IReadOnlyList<(PropertyDefinition Property, bool Descending)> OrderBy { get; private init; } = Array.Empty<(PropertyDefinition, bool)>();
    public string? OrderByText { get; private init; }
    public int? Top { get; private init; }
    public int Skip { get; private init; }
    public bool InlineCount { get; private init; }
    public string? SkipToken { get; private init; }

    /// <summary>The links to write inline ($expand), or null.</summary>
    public ExpandClause? Expand { get; private init; }

    /// <summary>The literals of $skiptoken (the position after which the page starts).</summary>
    public IReadOnlyList<object?>? SkipTokenValues { get; private init; }

    public static QueryOptions Parse(EntitySetDefinition? set, IQueryCollection query)
    {
        foreach (var key in query.Keys)
        {
            if (key.StartsWith('$') && !Supported.Contains(key))
                throw SmaErrors.WebRequestInvalid("UnsupportedQueryOption",
                    $"The query option '{key}' is not supported by this service. It supports {string.Join(", ", Supported)}.", key);
        }
        var filterText = Single(query, "$filter");
        var orderText = Single(query, "$orderby");
        var skipToken = Single(query, "$skiptoken");
        IReadOnlyList<object?>? tokenValues = null;
        if (skipToken is not null)
        {
            tokenValues = Literals.ReadList(skipToken)
                ?? throw SmaErrors.WebRequestInvalid("InvalidSkipToken",
                    $"'{skipToken}' is not a skip token this service wrote: follow the 'next' link of the previous page as it is.", skipToken);
        }
        var inline = Single(query, "$inlinecount");
        if (inline is not (null or "allpages" or "none"))
            throw SmaErrors.WebRequestInvalid("InvalidQueryOption", $"$inlinecount takes 'allpages' or 'none', not '{inline}'.", inline);
        return new QueryOptions
        {
            FilterText = filterText,
            Filter = filterText is null || set is null ? null : FilterParser.Parse(set, filterText),
            OrderByText = orderText,
            OrderBy = orderText is null || set is null ? Array.Empty<(PropertyDefinition, bool)>() : ParseOrderBy(set, orderText),
            Top = Count(query, "$top"),
            Skip = Count(query, "$skip") ?? 0,
            InlineCount = inline == "allpages",
            SkipToken = skipToken,
            SkipTokenValues = tokenValues,
            Expand = set is null ? null : ExpandClause.Parse(set, Single(query, "$expand")),
        };
    }

    /// <summary>$expand alone, for a request that reads one entry (the other options concern feeds).</summary>
    public static ExpandClause? ExpandOf(EntitySetDefinition set, IQueryCollection query) => ExpandClause.Parse(set, Single(query, "$expand"));

    private static string? Single(IQueryCollection query, string name)
    {
        if (!query.TryGetValue(name, out var values))
            return null;
        if (values.Count > 1)
            throw SmaErrors.WebRequestInvalid("InvalidQueryOption", $"The query option '{name}' is given more than once.", name);
        return values[0];
    }

    private static int? Count(IQueryCollection query, string name)
    {
        if (Single(query, name) is not { } text)
            return null;
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
            throw SmaErrors.WebRequestInvalid("InvalidQueryOption", $"{name} takes a whole number from 0 to {int.MaxValue}, not '{text}'.", text);
        return value;
    }

    private static List<(PropertyDefinition, bool)> ParseOrderBy(EntitySetDefinition set, string text)
    {
        var result = new List<(PropertyDefinition, bool)>();
        foreach (var part in text.Split(','))
        {
            var words = part.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (words.Length is 0 or > 2 || words.Length == 2 && words[1] is not ("asc" or "desc"))
                throw SmaErrors.WebRequestInvalid("InvalidQueryOption",
                    $"'{part.Trim()}' in $orderby is not 'Property', 'Property asc' or 'Property desc'.", text);
            var property = set.FindProperty(words[0]) ?? throw SmaErrors.WebUnknownProperty(set.Name, words[0], set.Properties.Select(p => p.Name));
            result.Add((property, words.Length == 2 && words[1] == "desc"));
        }
        return result;
    }
}
