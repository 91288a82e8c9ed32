using System.Collections;
using System.Text.Json;
using Sma.Engine;
using Sma.Engine.Model;
using Sma.Engine.Services;

namespace Sma.Server.OData;

/// <summary>
/// SMA's job schedules: the links of runbooks to schedules with their parameter values (Register-, Get- and
/// Remove-SmaScheduledRunbook through the service). Values are sent as text and converted to the types the runbook
/// declares, as for a start; a secret's value is never shown.
/// </summary>
internal static partial class ServiceModel
{
    private static EntitySetDefinition JobSchedulesSet() => new()
    {
        Name = "JobSchedules",
        TypeName = "JobSchedule",
        Key = new[] { "JobScheduleID" },
        Properties = new[]
        {
            TenantProperty(),
            P("JobScheduleID", EdmType.Guid, e => ((ScheduledRunbook)e).JobScheduleId, nullable: false),
            P("RunbookID", EdmType.Guid, e => ((ScheduledRunbook)e).RunbookId, nullable: false),
            P("RunbookName", EdmType.String, e => ((ScheduledRunbook)e).RunbookName, nullable: false),
            P("ScheduleID", EdmType.Guid, e => ((ScheduledRunbook)e).ScheduleId, nullable: false),
            P("ScheduleName", EdmType.String, e => ((ScheduledRunbook)e).ScheduleName, nullable: false),
            P("Parameters", EdmType.String, e => LinkParameters((ScheduledRunbook)e), nullable: false),
            P("NextRun", EdmType.DateTime, e => ((ScheduledRunbook)e).NextRun),
            P("LastRun", EdmType.DateTime, e => ((ScheduledRunbook)e).LastRun),
            P("LastJobID", EdmType.Guid, e => ((ScheduledRunbook)e).LastJobId),
            P("LastMissed", EdmType.DateTime, e => ((ScheduledRunbook)e).LastMissed),
            P("MissedCount", EdmType.Int64, e => ((ScheduledRunbook)e).MissedCount, nullable: false),
            P("CreationTime", EdmType.DateTime, e => ((ScheduledRunbook)e).CreationTime, nullable: false),
        },
        ListAll = ctx => ctx.Schedules.Links(null, null),
        Get = (ctx, key) => ctx.Schedules.Links(null, null).FirstOrDefault(l => l.JobScheduleId == (Guid)key[0]!),
        Create = CreateJobSchedule,
        Delete = (ctx, e) => ctx.Schedules.Unlink(((ScheduledRunbook)e).RunbookName, ((ScheduledRunbook)e).ScheduleName),
    };

    /// <summary>A link's values as one JSON object (numbers, booleans, strings, arrays, objects); a secret as its mask.</summary>
    private static string LinkParameters(ScheduledRunbook link) =>
        JsonSerializer.Serialize(link.Parameters.Cast<DictionaryEntry>().ToDictionary(p => (string)p.Key, p => ValueText.Plain(p.Value)));

    /// <summary>
    /// POST JobSchedules: RunbookID (or RunbookName), ScheduleName, and Parameters — an object of name to value, or SMA's
    /// [{"Name":…,"Value":…}]; each value as text (arrays and hashtables as JSON), converted as for a start.
    /// </summary>
    private static object CreateJobSchedule(RequestContext ctx, EntityBody body)
    {
        var runbook = body.Guid("RunbookID") is { } id
            ? FindRunbook(ctx, id) ?? throw SmaErrors.RunbookIdNotFound(id)
            : ctx.Runbooks.Get(Required(body, "RunbookName"));
        var scheduleName = Required(body, "ScheduleName");
        return ctx.Schedules.LinkWithText(runbook, scheduleName, NameValues(body.Text("Parameters")));
    }

    private static IReadOnlyList<KeyValuePair<string, string?>> NameValues(string? json)
    {
        if (json is null)
            return Array.Empty<KeyValuePair<string, string?>>();
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("results", out var results))
                root = results;
            if (root.ValueKind == JsonValueKind.Object)
                return root.EnumerateObject().Select(p => new KeyValuePair<string, string?>(p.Name, EntityBody.JsonText(p.Value))).ToList();
            if (root.ValueKind == JsonValueKind.Array)
            {
                return root.EnumerateArray().Select(pair =>
                {
                    if (pair.ValueKind != JsonValueKind.Object || !pair.TryGetProperty("Name", out var name) || name.ValueKind != JsonValueKind.String)
                        throw SmaErrors.WebInvalidBody("each of Parameters is an object with Name and Value");
                    return new KeyValuePair<string, string?>(name.GetString()!, pair.TryGetProperty("Value", out var value) ? EntityBody.JsonText(value) : null);
                }).ToList();
            }
        }
        catch (JsonException e)
        {
            throw SmaErrors.WebInvalidBody($"Parameters is not valid JSON ({e.Message})");
        }
        throw SmaErrors.WebInvalidBody("Parameters is a JSON object of name to value, or an array of {\"Name\":…,\"Value\":…}");
    }
}
