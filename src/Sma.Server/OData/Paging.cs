using Sma.Engine;
using Sma.Engine.Model;
using Sma.Engine.Store;

namespace Sma.Server.OData;

/// <summary>
/// Filtering, ordering and server-driven paging. Small sets are read whole and handled in memory; jobs are paged by
/// the store (keyset pages in an indexed order), with the parts of a $filter the store cannot take evaluated here over
/// a bounded number of rows per request. Skip tokens are the ordering values of a page's last entry, as literals.
/// </summary>
internal static class Paging
{
    /// <summary>Entries per page when the client asks for more (or for all).</summary>
    public const int PageSize = 100;

    /// <summary>The most job rows one request reads to apply a filter the store cannot take; a page may end short of it.</summary>
    public const int ScanBudget = 20_000;

    private const int ScanBatch = 1_000;

    // -------- in memory --------

    public static PageResult InMemory(EntitySetDefinition set, QueryOptions options, IEnumerable<object> all)
    {
        var matching = options.Filter is { } filter ? all.Where(e => FilterEvaluator.Matches(filter, e)) : all;
        var order = options.OrderBy.Count > 0
            ? options.OrderBy
            : set.Key.Select(k => (set.FindProperty(k)!, false)).ToList();
        var keys = set.Key.Select(k => set.FindProperty(k)!).ToList();
        object?[] SortKey(object e) => order.Select(o => FilterEvaluator.Normalize(o.Item1.Get(e)))
            .Concat(keys.Select(k => FilterEvaluator.Normalize(k.Get(e)))).ToArray();
        var descending = order.Select(o => o.Item2).Concat(keys.Select(_ => false)).ToArray();
        var comparer = Comparer<object?[]>.Create((a, b) => CompareTuples(a, b, descending));
        var sorted = matching.Select(e => (Entity: e, Key: SortKey(e))).OrderBy(x => x.Key, comparer).ToList();

        long? count = options.InlineCount ? sorted.Count : null;
        IEnumerable<(object Entity, object?[] Key)> rest = sorted;
        if (options.SkipTokenValues is { } token)
        {
            if (token.Count != descending.Length)
                throw BadToken(options.SkipToken!);
            var after = token.Select(FilterEvaluator.Normalize).ToArray();
            rest = rest.Where(x => CompareTuples(x.Key, after, descending) > 0);
        }
        var size = Math.Min(options.Top ?? int.MaxValue, PageSize);
        var window = rest.Skip(options.Skip).Take(size + 1).ToList();
        var more = window.Count > size;
        var page = window.Take(size).ToList();
        string? next = null;
        if (more && page.Count > 0)
            next = string.Join(",", page[^1].Key.Select(Literals.Format));
        return Result(page.Select(x => x.Entity).ToList(), count, next, options);
    }

    private static int CompareTuples(object?[] a, object?[] b, bool[] descending)
    {
        for (var i = 0; i < a.Length; i++)
        {
            var order = (a[i], b[i]) switch
            {
                (null, null) => 0,
                (null, _) => -1,
                (_, null) => 1,
                var (x, y) => FilterEvaluator.CompareValues(x!, y!),
            };
            if (order != 0)
                return descending[i] ? -order : order;
        }
        return 0;
    }

    private static int? RemainingTop(QueryOptions options, int returned, string? next) =>
        next is not null && options.Top is { } top ? top - returned : null;

    /// <summary>
    /// A page, with its next link only while the client's $top wants more than it has been given: a page that
    /// completes $top is the last, even when more entries match.
    /// </summary>
    private static PageResult Result(IReadOnlyList<object> entries, long? count, string? next, QueryOptions options, int remainingSkip = 0)
    {
        if (options.Top is { } top && entries.Count >= top)
            next = null;
        return new PageResult(entries, count, next, RemainingTop(options, entries.Count, next), next is null ? 0 : remainingSkip);
    }

    private static SmaException BadToken(string token) => SmaErrors.WebRequestInvalid("InvalidSkipToken",
        $"'{token}' is not a skip token of this request: follow the 'next' link of the previous page as it is.", token);

    // -------- jobs, in the store --------

    /// <summary>How a job property's comparisons reach the store; properties without one are filtered here.</summary>
    private enum Push { Ids, RunbookIds, RunbookNames, VersionIds, Statuses, Created, Modified }

    private static readonly Dictionary<string, Push> Pushable = new(StringComparer.Ordinal)
    {
        ["JobID"] = Push.Ids,
        ["JobContextID"] = Push.Ids,
        ["RunbookID"] = Push.RunbookIds,
        ["RunbookName"] = Push.RunbookNames,
        ["RunbookVersionID"] = Push.VersionIds,
        ["JobStatus"] = Push.Statuses,
        ["CreationTime"] = Push.Created,
        ["LastModifiedTime"] = Push.Modified,
    };

    /// <summary>A page of jobs (or of job contexts, which are jobs seen through their parameters' owner).</summary>
    public static PageResult Jobs(RequestContext ctx, EntitySetDefinition set, QueryOptions options)
    {
        var (page, residual) = Plan(options.Filter);
        page = page with { OrderBy = JobOrder.CreationTime, Descending = true };
        if (options.OrderBy.Count > 0)
        {
            var (first, descending) = options.OrderBy[0];
            var extra = options.OrderBy.Skip(1).All(o => o.Property.Name is "JobID" or "JobContextID");
            if (first.Name is not ("CreationTime" or "LastModifiedTime") || !extra)
                throw SmaErrors.WebRequestInvalid("UnsupportedOrderBy",
                    $"{set.Name} can be ordered by CreationTime or LastModifiedTime (asc or desc), not by '{options.OrderByText}'.", options.OrderByText);
            page = page with { OrderBy = first.Name == "CreationTime" ? JobOrder.CreationTime : JobOrder.LastModifiedTime, Descending = descending };
        }
        if (options.SkipTokenValues is { } token)
        {
            if (token is not [DateTime time, Guid id])
                throw BadToken(options.SkipToken!);
            page = page with { After = (time, id) };
        }
        var service = ctx.Jobs;
        var size = Math.Min(options.Top ?? int.MaxValue, PageSize);
        DateTime OrderTime(Job j) => page.OrderBy == JobOrder.CreationTime ? j.CreationTime : j.LastModifiedTime;
        string Token(Job j) => $"{Literals.Format(OrderTime(j))},{Literals.Format(j.JobId)}";

        if (residual is null)
        {
            var rows = size == 0 ? Array.Empty<Job>() : service.Page(page with { Offset = options.Skip, Limit = size + 1 });
            var more = rows.Count > size;
            var entries = rows.Take(size).ToList();
            var next = more ? Token(entries[^1]) : null;
            long? count = options.InlineCount ? service.Count(page with { After = null }) : null;
            return Result(entries, count, next, options);
        }

        var results = new List<Job>();
        var skipLeft = options.Skip;
        var scanned = 0;
        var exhausted = false;
        Job? last = null;
        while (results.Count <= size && scanned < ScanBudget)
        {
            var rows = service.Page(page with { After = last is null ? page.After : (OrderTime(last), last.JobId), Limit = ScanBatch });
            foreach (var job in rows)
            {
                scanned++;
                last = job;
                if (!FilterEvaluator.Matches(residual, job))
                    continue;
                if (skipLeft > 0)
                    skipLeft--;
                else
                    results.Add(job);
                if (results.Count > size)
                    break;
            }
            if (rows.Count < ScanBatch)
            {
                exhausted = results.Count <= size;
                break;
            }
        }
        string? nextToken = null;
        var remainingSkip = 0;
        if (results.Count > size)
        {
            nextToken = Token(results[size - 1]);
        }
        else if (!exhausted && last is not null)
        {
            // The budget ran out before the page filled: the next page goes on from the last row looked at.
            nextToken = Token(last);
            remainingSkip = skipLeft;
        }
        var pageEntries = results.Take(size).ToList();
        long? total = null;
        if (options.InlineCount)
            total = CountWithResidual(service, page with { After = null }, residual, set);
        return Result(pageEntries, total, nextToken, options, remainingSkip);
    }

    private static long CountWithResidual(Engine.Services.JobService service, JobPage page, FilterNode residual, EntitySetDefinition set)
    {
        var candidates = service.Count(page);
        if (candidates > ScanBudget)
            throw SmaErrors.WebRequestInvalid("QueryTooBroad",
                $"$inlinecount=allpages with this $filter would read {candidates:N0} {set.Name} one by one (more than {ScanBudget:N0}). " +
                "Filter on JobID, RunbookID, RunbookName, RunbookVersionID, JobStatus, CreationTime or LastModifiedTime to narrow it, " +
                "or leave out $inlinecount.", set.Name);
        long count = 0;
        (DateTime, Guid)? after = null;
        while (true)
        {
            var rows = service.Page(page with { After = after, Limit = ScanBatch });
            count += rows.Count(j => FilterEvaluator.Matches(residual, j));
            if (rows.Count < ScanBatch)
                return count;
            var last = rows[^1];
            after = (page.OrderBy == JobOrder.CreationTime ? last.CreationTime : last.LastModifiedTime, last.JobId);
        }
    }

    /// <summary>Splits a filter into what the store can take (ANDed comparisons on indexed job properties) and the rest.</summary>
    private static (JobPage Page, FilterNode? Residual) Plan(FilterNode? filter)
    {
        var page = new JobPage();
        FilterNode? residual = null;
        if (filter is null)
            return (page, null);
        foreach (var conjunct in Conjuncts(filter))
        {
            if (!TryPush(conjunct, ref page))
                residual = residual is null ? conjunct : new BinaryNode(FilterOp.And, residual, conjunct);
        }
        return (page, residual);
    }

    private static IEnumerable<FilterNode> Conjuncts(FilterNode node) =>
        node is BinaryNode { Op: FilterOp.And } b ? Conjuncts(b.Left).Concat(Conjuncts(b.Right)) : new[] { node };

    private static bool TryPush(FilterNode node, ref JobPage page)
    {
        // Prop eq v (or v eq Prop), or an 'or' of such on one list property: an IN list.
        if (EqualityList(node) is { } list)
        {
            var (push, values) = list;
            switch (push)
            {
                case Push.Ids:
                    page = page with { Ids = Intersect(page.Ids, values.OfType<Guid>(), values) };
                    return true;
                case Push.RunbookIds:
                    page = page with { RunbookIds = Intersect(page.RunbookIds, values.OfType<Guid>(), values) };
                    return true;
                case Push.VersionIds:
                    page = page with { VersionIds = Intersect(page.VersionIds, values.OfType<Guid>(), values) };
                    return true;
                case Push.RunbookNames when values.All(v => v is string) && page.RunbookNames is null:
                    page = page with { RunbookNames = values.Cast<string>().ToList() };
                    return true;
                case Push.Statuses when values.All(v => v is string):
                    var statuses = values.Cast<string>()
                        .Select(s => JobStatusNames.TryParse(s, out var st) ? st : (JobStatus?)null)
                        .Where(s => s is not null).Select(s => s!.Value).ToList();
                    page = page with { Statuses = page.Statuses is null ? statuses : page.Statuses.Intersect(statuses).ToList() };
                    return true;
            }
        }
        if (node is BinaryNode { Op: var op and (FilterOp.Gt or FilterOp.Ge or FilterOp.Lt or FilterOp.Le or FilterOp.Eq) } b
            && Comparison(b) is var (property, value, flipped) && value is DateTime time
            && Pushable.TryGetValue(property.Name, out var kind) && kind is Push.Created or Push.Modified)
        {
            var effective = flipped ? Flip(op) : op;
            var lower = effective is FilterOp.Gt or FilterOp.Ge or FilterOp.Eq ? new TimeBound(time, effective != FilterOp.Gt) : (TimeBound?)null;
            var upper = effective is FilterOp.Lt or FilterOp.Le or FilterOp.Eq ? new TimeBound(time, effective != FilterOp.Lt) : (TimeBound?)null;
            if (kind == Push.Created)
            {
                if (lower is not null && page.CreatedAfter is not null || upper is not null && page.CreatedBefore is not null)
                    return false;
                page = page with { CreatedAfter = lower ?? page.CreatedAfter, CreatedBefore = upper ?? page.CreatedBefore };
            }
            else
            {
                if (lower is not null && page.ModifiedAfter is not null || upper is not null && page.ModifiedBefore is not null)
                    return false;
                page = page with { ModifiedAfter = lower ?? page.ModifiedAfter, ModifiedBefore = upper ?? page.ModifiedBefore };
            }
            return true;
        }
        return false;
    }

    /// <summary>A list filter narrowed by another on the same property; values of the wrong type match nothing.</summary>
    private static IReadOnlyList<Guid> Intersect(IReadOnlyList<Guid>? existing, IEnumerable<Guid> values, IReadOnlyList<object?> all)
    {
        var list = all.Count == values.Count() ? values.ToList() : new List<Guid>();
        return existing is null ? list : existing.Intersect(list).ToList();
    }

    private static (Push, IReadOnlyList<object?>)? EqualityList(FilterNode node)
    {
        if (node is BinaryNode { Op: FilterOp.Eq } b && Comparison(b) is var (property, value, _) && value is not null
            && Pushable.TryGetValue(property.Name, out var push) && push is not (Push.Created or Push.Modified))
            return (push, new[] { value });
        if (node is BinaryNode { Op: FilterOp.Or } or && EqualityList(or.Left) is var (lp, lv) && EqualityList(or.Right) is var (rp, rv) && lp == rp)
            return (lp, lv.Concat(rv).ToList());
        return null;
    }

    /// <summary>A property compared with a literal, either way round (flipped when the literal is on the left).</summary>
    private static (PropertyDefinition Property, object? Value, bool Flipped)? Comparison(BinaryNode b) => (b.Left, b.Right) switch
    {
        (PropertyNode p, LiteralNode l) => (p.Property, l.Value, false),
        (LiteralNode l, PropertyNode p) => (p.Property, l.Value, true),
        _ => null,
    };

    private static FilterOp Flip(FilterOp op) => op switch
    {
        FilterOp.Gt => FilterOp.Lt,
        FilterOp.Ge => FilterOp.Le,
        FilterOp.Lt => FilterOp.Gt,
        FilterOp.Le => FilterOp.Ge,
        _ => op,
    };
}
