using Sma.Engine;

namespace Sma.Server.OData;

/// <summary>
/// <c>$expand</c> as OData v3 reads it: comma-separated paths of links (<c>JobContext/JobParameters</c>), each link one
/// of its entity's navigation properties; the linked entries are written inline (Atom <c>m:inline</c>, verbose JSON
/// objects) so a client reads a page of jobs with their parameters in one request.
/// </summary>
internal sealed class ExpandClause
{
    /// <summary>How many links deep one path may go (as WCF Data Services' MaxExpandDepth): every level costs lookups.</summary>
    public const int MaxDepth = 4;

    private ExpandClause(EntitySetDefinition set) => Set = set;

    /// <summary>The set whose entries the links start from.</summary>
    public EntitySetDefinition Set { get; }

    /// <summary>The links to write inline, each with what to expand in turn on the entries it leads to.</summary>
    public Dictionary<string, ExpandClause> Links { get; } = new(StringComparer.Ordinal);

    /// <summary>Every set whose entries the expansion writes (to check the account may read each).</summary>
    public IEnumerable<EntitySetDefinition> TargetSets => Links.Values.SelectMany(l => l.TargetSets.Prepend(l.Set));

    /// <summary>The expansion of a link, or null when the request did not ask for it.</summary>
    public ExpandClause? For(NavigationDefinition navigation) => Links.GetValueOrDefault(navigation.Name);

    public static ExpandClause? Parse(EntitySetDefinition set, string? text)
    {
        if (text is null)
            return null;
        var root = new ExpandClause(set);
        foreach (var path in text.Split(','))
        {
            var segments = path.Trim().Split('/');
            if (segments.Any(s => s.Trim().Length == 0))
                throw SmaErrors.WebRequestInvalid("InvalidQueryOption",
                    $"'{text}' is not a valid $expand: give links separated by commas, a link of a link after '/' (Jobs?$expand=JobContext/JobParameters).", text);
            if (segments.Length > MaxDepth)
                throw SmaErrors.WebRequestInvalid("InvalidQueryOption",
                    $"'{path.Trim()}' in $expand goes {segments.Length} links deep; this service expands at most {MaxDepth}.", path.Trim());
            var at = root;
            foreach (var name in segments.Select(s => s.Trim()))
            {
                var navigation = at.Set.Navigations.FirstOrDefault(n => n.Name.Equals(name, StringComparison.Ordinal))
                    ?? throw SmaErrors.WebRequestInvalid("InvalidQueryOption", at.Set.Navigations.Count == 0
                        ? $"'{name}' in $expand is not a link of {at.Set.Name}, which has none to expand."
                        : $"'{name}' in $expand is not a link of {at.Set.Name}; its links are: {string.Join(", ", at.Set.Navigations.Select(n => n.Name))}.", name);
                if (!at.Links.TryGetValue(navigation.Name, out var next))
                    at.Links[navigation.Name] = next = new ExpandClause(ServiceModel.Find(navigation.TargetSet)!);
                at = next;
            }
        }
        return root;
    }
}
