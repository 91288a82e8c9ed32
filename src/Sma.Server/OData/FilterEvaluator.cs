namespace Sma.Server.OData;

/// <summary>Evaluates a parsed $filter against one entity (the part of a filter no store query could take).</summary>
internal static class FilterEvaluator
{
    public static bool Matches(FilterNode node, object entity) => Value(node, entity) is true;

    private static object? Value(FilterNode node, object entity) => node switch
    {
        LiteralNode l => Normalize(l.Value),
        PropertyNode p => Normalize(p.Property.Get(entity)),
        NotNode n => Value(n.Operand, entity) is true ? false : true,
        BinaryNode { Op: FilterOp.And } b => Value(b.Left, entity) is true && Value(b.Right, entity) is true,
        BinaryNode { Op: FilterOp.Or } b => Value(b.Left, entity) is true || Value(b.Right, entity) is true,
        BinaryNode b => Compare(b, entity),
        CallNode c => Call(c, entity),
        _ => null,
    };

    private static object? Compare(BinaryNode b, object entity)
    {
        var left = Operand(b.Left, b.Right, entity);
        var right = Operand(b.Right, b.Left, entity);
        if (left is null || right is null)
        {
            return b.Op switch
            {
                FilterOp.Eq => left is null && right is null,
                FilterOp.Ne => !(left is null && right is null),
                _ => false,
            };
        }
        var order = CompareValues(left, right);
        return b.Op switch
        {
            FilterOp.Eq => order == 0,
            FilterOp.Ne => order != 0,
            FilterOp.Gt => order > 0,
            FilterOp.Ge => order >= 0,
            FilterOp.Lt => order < 0,
            _ => order <= 0,
        };
    }

    /// <summary>A literal compared with a property is read in that property's terms (e.g. a job status in either vocabulary).</summary>
    private static object? Operand(FilterNode node, FilterNode other, object entity) =>
        node is LiteralNode l && other is PropertyNode { Property.NormalizeLiteral: { } normalize }
            ? Normalize(normalize(l.Value))
            : Value(node, entity);

    public static int CompareValues(object left, object right) => (left, right) switch
    {
        (string a, string b) => string.Compare(a, b, StringComparison.OrdinalIgnoreCase),
        (long a, long b) => a.CompareTo(b),
        (DateTime a, DateTime b) => a.CompareTo(b),
        (Guid a, Guid b) => a.CompareTo(b),
        (bool a, bool b) => a.CompareTo(b),
        _ => string.Compare(left.ToString(), right.ToString(), StringComparison.OrdinalIgnoreCase),
    };

    private static object? Call(CallNode c, object entity)
    {
        var args = c.Arguments.Select(a => Value(a, entity) as string).ToList();
        return c.Function switch
        {
            "substringof" => args[0] is { } s && args[1] is { } t && t.Contains(s, StringComparison.OrdinalIgnoreCase),
            "startswith" => args[0] is { } s && args[1] is { } t && s.StartsWith(t, StringComparison.OrdinalIgnoreCase),
            "endswith" => args[0] is { } s && args[1] is { } t && s.EndsWith(t, StringComparison.OrdinalIgnoreCase),
            "tolower" => args[0]?.ToLowerInvariant(),
            "toupper" => args[0]?.ToUpperInvariant(),
            "trim" => args[0]?.Trim(),
            "length" => args[0] is { } s ? (long)s.Length : null,
            _ => null,
        };
    }

    /// <summary>Numbers as long and times as UTC, so values of one Edm type always compare.</summary>
    public static object? Normalize(object? value) => value switch
    {
        short s => (long)s,
        int i => (long)i,
        DateTime t => t.Kind == DateTimeKind.Utc ? t : DateTime.SpecifyKind(t.ToUniversalTime(), DateTimeKind.Utc),
        _ => value,
    };
}
