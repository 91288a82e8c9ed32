using System.Globalization;
using Microsoft.AspNetCore.Http;
using Sma.Engine;
using Sma.Engine.Model;
using Sma.Engine.Services;

namespace Sma.Server.Portal;

/// <summary>The portal's views that SMA's OData service has no entity set for. Times are UTC (ISO 8601).</summary>
internal static class PortalApi
{
    /// <summary>
    /// The Automation dashboard: for the last <c>hours</c> (by hour) or <c>days</c> (by day), how many jobs entered each
    /// status in each slice, for all runbooks or <c>runbook</c> — the same summary as Get-SmaJobSummary.
    /// </summary>
    public static object Summary(HttpContext http, SmaRuntime runtime, WebServiceRole role)
    {
        var query = http.Request.Query;
        var now = DateTime.UtcNow;
        var range = query.ContainsKey("days")
            ? SummaryRange.LastDays(Number(query["days"], 1, SummaryRange.MaxDays, "days"), now)
            : SummaryRange.LastHours(query.ContainsKey("hours") ? Number(query["hours"], 1, SummaryRange.MaxHours, "hours") : 24, now);
        var runbook = query["runbook"].ToString() is { Length: > 0 } name ? name : null;
        var rows = new DashboardService(runtime).Summarize(range, runbook);
        return new
        {
            unit = range.Unit.ToString(),
            runbook,
            statuses = JobSummaryRow.Statuses.Select(s => s.ToString()),
            slices = rows.Select(r => new
            {
                start = r.SliceStart,
                counts = JobSummaryRow.Statuses.Select(r.Count),
            }),
        };
    }

    /// <summary>A job's history (status changes with who and why) and the source it ran (and its translation).</summary>
    public static object JobDetails(HttpContext http, SmaRuntime runtime, WebServiceRole role)
    {
        var text = http.Request.RouteValues["id"]?.ToString() ?? "";
        if (!Guid.TryParse(text, out var id))
            throw SmaErrors.InvalidJobId(text);
        var jobs = new JobService(runtime);
        var job = jobs.Get(id);
        var definition = new RunbookService(runtime).GetDefinition(job.RunbookVersionId);
        return new
        {
            history = jobs.History(id).Select(h => new { time = h.Time, from = h.FromStatus, to = h.ToStatus, worker = h.Worker, details = h.Details }),
            source = definition.Content,
            translated = definition.Translated,
        };
    }

    /// <summary>The workers of the store and their heartbeats, as Get-SmaRunbookWorkerDeployment shows them.</summary>
    public static object Workers(HttpContext http, SmaRuntime runtime, WebServiceRole role) =>
        new WorkerService(runtime).List().Select(w => new
        {
            name = w.Name,
            computerName = w.ComputerName,
            processId = w.ProcessId,
            status = w.Status,
            lastHeartbeat = w.LastHeartbeat,
            runningJobs = w.RunningJobs,
            throttleLimit = w.ThrottleLimit,
        });

    private static int Number(string? text, int min, int max, string name) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max
            ? n
            : throw SmaErrors.WebRequestInvalid("InvalidQueryOption", $"'{name}' takes a whole number from {min} to {max}, not '{text}'.", name);
}
