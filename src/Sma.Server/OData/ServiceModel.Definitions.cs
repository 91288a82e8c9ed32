using System.Globalization;
using Sma.Engine;
using Sma.Engine.Model;

namespace Sma.Server.OData;

/// <summary>A child runbook version a job pinned when it started, at its place in the order they were resolved.</summary>
internal sealed record JobChildRunbookEntry(Guid JobID, int Position, RunbookDefinition Definition);

/// <summary>
/// What Get-SmaRunbookDefinition -Translated and -Children and Get-SmaScheduleHistory read through the service:
/// RunbookVersions(guid'…')/GetTranslatedContent (the text the version's jobs run: a Workflow's PowerShell 7
/// translation, else the source), Jobs(guid'…')/ChildRunbooks (the pinned child versions, in resolution order; each
/// links to its RunbookVersion, whose $value is its source), and ScheduleOccurrences/GetHistory (what became of
/// schedule occurrences, newest first).
/// </summary>
internal static partial class ServiceModel
{
    /// <summary>The bound function GET RunbookVersions(guid'…')/GetTranslatedContent: one Edm.String.</summary>
    private static OperationDefinition TranslatedContentFunction() =>
        new("GetTranslatedContent", "GET", WebServiceRole.Reader, EdmType.String,
            (ctx, e) => new OperationResult(ctx.Runbooks.GetDefinition(Version(e!).RunbookVersionID, translated: true).Content, EdmType.String))
        {
            Bound = true,
        };

    private static IReadOnlyList<JobChildRunbookEntry> ChildRunbooks(RequestContext ctx, Job job) =>
        ctx.Runbooks.GetChildDefinitions(job.JobId).Select((d, i) => new JobChildRunbookEntry(job.JobId, i, d)).ToList();

    private static EntitySetDefinition JobChildRunbooksSet() => new()
    {
        Name = "JobChildRunbooks",
        TypeName = "JobChildRunbook",
        Key = new[] { "JobID", "Position" },
        Properties = new[]
        {
            P("JobID", EdmType.Guid, e => ((JobChildRunbookEntry)e).JobID, nullable: false),
            P("Position", EdmType.Int32, e => ((JobChildRunbookEntry)e).Position, nullable: false),
            P("RunbookVersionID", EdmType.Guid, e => ((JobChildRunbookEntry)e).Definition.RunbookVersion.RunbookVersionID, nullable: false),
            P("RunbookID", EdmType.Guid, e => ((JobChildRunbookEntry)e).Definition.RunbookVersion.RunbookID, nullable: false),
            P("RunbookName", EdmType.String, e => ((JobChildRunbookEntry)e).Definition.RunbookName, nullable: false),
            P("VersionNumber", EdmType.Int32, e => ((JobChildRunbookEntry)e).Definition.RunbookVersion.VersionNumber, nullable: false),
            P("IsDraft", EdmType.Boolean, e => ((JobChildRunbookEntry)e).Definition.RunbookVersion.IsDraft, nullable: false),
            P("CreationTime", EdmType.DateTime, e => ((JobChildRunbookEntry)e).Definition.RunbookVersion.CreationTime, nullable: false),
        },
        Navigations = new[]
        {
            new NavigationDefinition("RunbookVersion", "RunbookVersions", false, (_, e) => ((JobChildRunbookEntry)e).Definition),
        },
        Get = (ctx, key) => FindJob(ctx, (Guid)key[0]!) is { } job
            ? ChildRunbooks(ctx, job).FirstOrDefault(c => c.Position == (int)key[1]!)
            : null,
    };

    private static EntitySetDefinition ScheduleOccurrencesSet() => new()
    {
        Name = "ScheduleOccurrences",
        TypeName = "ScheduleOccurrence",
        Key = new[] { "ScheduleName", "RunbookName", "OccurrenceTime" },
        Properties = new[]
        {
            P("ScheduleName", EdmType.String, e => ((ScheduleOccurrence)e).ScheduleName, nullable: false),
            P("RunbookName", EdmType.String, e => ((ScheduleOccurrence)e).RunbookName, nullable: false),
            P("OccurrenceTime", EdmType.DateTime, e => ((ScheduleOccurrence)e).OccurrenceTime, nullable: false),
            P("Outcome", EdmType.String, e => ((ScheduleOccurrence)e).Outcome.ToString(), nullable: false),
            P("Count", EdmType.Int64, e => ((ScheduleOccurrence)e).Count, nullable: false),
            P("ThroughTime", EdmType.DateTime, e => ((ScheduleOccurrence)e).ThroughTime),
            P("JobID", EdmType.Guid, e => ((ScheduleOccurrence)e).JobId),
            P("RecordedTime", EdmType.DateTime, e => ((ScheduleOccurrence)e).RecordedTime, nullable: false),
            P("Worker", EdmType.String, e => ((ScheduleOccurrence)e).Worker),
            P("Details", EdmType.String, e => ((ScheduleOccurrence)e).Details),
        },
        Operations = new[]
        {
            new OperationDefinition("GetHistory", "GET", WebServiceRole.Reader, null, ScheduleHistory)
            {
                Arguments = new[] { ("scheduleName", EdmType.String), ("runbookName", EdmType.String), ("first", EdmType.Int32) },
            },
        },
        // An occurrence is an answer of GetHistory only: there is no row to look up by itself.
        Get = (_, _) => null,
    };

    /// <summary>
    /// ScheduleOccurrences/GetHistory?scheduleName='…'&amp;runbookName='…'&amp;first=100: newest first, as
    /// Get-SmaScheduleHistory; a name that does not exist is ScheduleNotFound or RunbookNotFound (404).
    /// </summary>
    private static OperationResult ScheduleHistory(RequestContext ctx, object? _)
    {
        var query = ctx.Http.Request.Query;
        var scheduleName = Unquote(query["scheduleName"].ToString()) is { Length: > 0 } s ? s : null;
        var runbookName = Unquote(query["runbookName"].ToString()) is { Length: > 0 } r ? r : null;
        var first = 100;
        if (query["first"].ToString() is { Length: > 0 } text
            && !(int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out first) && first is >= 1 and <= MaxScheduleHistory))
            throw SmaErrors.WebRequestInvalid("InvalidParameter", $"first is a whole number from 1 to {MaxScheduleHistory}, not '{text}'.", "first");
        var rows = ctx.Schedules.History(scheduleName, runbookName, first);
        return new OperationResult(null, Set: Find("ScheduleOccurrences"), Entries: rows);
    }

    /// <summary>The most rows one GetHistory answers (Get-SmaScheduleHistory -First's range).</summary>
    public const int MaxScheduleHistory = 100000;
}
