using System.Globalization;
using Sma.Engine;
using Sma.Engine.Model;
using Sma.Engine.Services;

namespace Sma.Server.OData;

/// <summary>
/// The dashboard's counts (Get-SmaJobSummary, Show-SmaDashboard through the service): status changes per hour or day,
/// by status. Read with the function JobSummaries/Summarize?hours=24 (or days=7), runbookName='…' and now=datetime'…'
/// (the caller's clock, so the slices are the ones it asked for).
/// </summary>
internal static partial class ServiceModel
{
    private static EntitySetDefinition JobSummariesSet() => new()
    {
        Name = "JobSummaries",
        TypeName = "JobSummary",
        Key = new[] { "SliceStart" },
        Properties = new[]
        {
            P("SliceStart", EdmType.DateTime, e => ((JobSummaryRow)e).SliceStart, nullable: false),
            P("SliceEnd", EdmType.DateTime, e => ((JobSummaryRow)e).SliceEnd, nullable: false),
            P("RunbookName", EdmType.String, e => ((JobSummaryRow)e).RunbookName),
        }.Concat(JobSummaryRow.Statuses.Select(status =>
            P(status.ToString(), EdmType.Int32, e => ((JobSummaryRow)e).Count(status), nullable: false))).ToArray(),
        Operations = new[]
        {
            new OperationDefinition("Summarize", "GET", WebServiceRole.Reader, null, Summarize)
            {
                Arguments = new[] { ("hours", EdmType.Int32), ("days", EdmType.Int32), ("runbookName", EdmType.String), ("now", EdmType.DateTime) },
            },
        },
        // A row is an answer of Summarize only: there is no row to look up by itself.
        Get = (_, _) => null,
    };

    private static OperationResult Summarize(RequestContext ctx, object? _)
    {
        var query = ctx.Http.Request.Query;
        var now = DateTime.UtcNow;
        if (Unquote(query["now"].ToString()) is { Length: > 0 } nowText)
        {
            var literal = nowText.StartsWith("datetime'", StringComparison.OrdinalIgnoreCase) ? nowText[9..].TrimEnd('\'') : nowText;
            if (!Literals.TryParseDateTime(literal, out now))
                throw SmaErrors.WebRequestInvalid("InvalidParameter", $"now is a time (datetime'2030-01-01T09:00:00Z'), not '{nowText}'.", "now");
        }
        var hours = SummaryCount(query["hours"].ToString(), "hours", SummaryRange.MaxHours);
        var days = SummaryCount(query["days"].ToString(), "days", SummaryRange.MaxDays);
        if (hours is not null && days is not null)
            throw SmaErrors.WebRequestInvalid("InvalidParameter", "Summarize takes hours or days, not both.", "days");
        var range = days is { } d ? SummaryRange.LastDays(d, now) : SummaryRange.LastHours(hours ?? 24, now);
        var runbookName = Unquote(query["runbookName"].ToString()) is { Length: > 0 } name ? name : null;
        var rows = new DashboardService(ctx.Runtime).Summarize(range, runbookName);
        return new OperationResult(null, Set: Find("JobSummaries"), Entries: rows);
    }

    private static int? SummaryCount(string text, string name, int max)
    {
        if (text.Length == 0)
            return null;
        return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n >= 1 && n <= max ? n
            : throw SmaErrors.WebRequestInvalid("InvalidParameter", $"{name} is a whole number from 1 to {max}, not '{text}'.", name);
    }
}
