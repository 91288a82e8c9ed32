using System.Collections;
using System.Globalization;
using Sma.Engine.Model;
using Sma.Engine.Services;

namespace Sma.Engine.Dashboard;

/// <summary>
/// Where the dashboard page's data comes from: this machine's store, or a remote web service (Export-SmaDashboard
/// -WebServiceEndpoint). The page is built from either the same way, so both show the same jobs.
/// </summary>
internal interface IDashboardSource
{
    /// <summary>The counts per slice (RunbookNotFound for a plain name no runbook and no job has).</summary>
    IReadOnlyList<JobSummaryRow> Summarize(SummaryRange range, string? runbookName);

    /// <summary>At most <paramref name="first"/> jobs whose last change is at or after the time, newest first (a name or wildcard pattern, or all).</summary>
    IReadOnlyList<Job> Jobs(string? runbookName, DateTime modifiedAfter, int first);

    /// <summary>A version with its source; null when it is gone.</summary>
    RunbookDefinition? Definition(Guid versionId);

    /// <summary>The first <paramref name="first"/> records of a job, in order.</summary>
    IReadOnlyList<JobStreamRecord> Records(Guid jobId, int first);

    /// <summary>The job's status changes, in order.</summary>
    IReadOnlyList<JobStatusChange> StatusHistory(Guid jobId);
}

/// <summary>The dashboard page's data (what <see cref="HtmlDashboard"/> renders), gathered from a source.</summary>
internal static class DashboardPage
{
    /// <summary>A longer record is cut to this many characters on the page.</summary>
    private const int MaxRecordText = 4000;

    /// <summary>
    /// The chart of the summary, and the newest <paramref name="jobLimit"/> jobs whose last change is in the range with
    /// their parameters, status history, first <paramref name="recordLimit"/> records and source.
    /// </summary>
    public static PageData Build(IDashboardSource source, SummaryRange range, string? runbookName, DateTime generated, int jobLimit, int recordLimit)
    {
        var rows = source.Summarize(range, runbookName);
        var statuses = JobSummaryRow.Statuses;
        var jobs = source.Jobs(runbookName, range.Start, jobLimit + 1);
        var sources = new Dictionary<string, SourceData>(StringComparer.OrdinalIgnoreCase);
        var missing = new HashSet<Guid>();
        var jobData = new List<JobData>();
        foreach (var job in jobs.Take(jobLimit))
        {
            var version = job.RunbookVersionId.ToString();
            if (!sources.ContainsKey(version) && !missing.Contains(job.RunbookVersionId))
            {
                if (source.Definition(job.RunbookVersionId) is { } definition)
                    sources[version] = new SourceData(definition.RunbookName, definition.RunbookVersion.VersionNumber, definition.Content);
                else
                    missing.Add(job.RunbookVersionId);
            }
            var records = source.Records(job.JobId, recordLimit + 1);
            jobData.Add(new JobData(
                job.JobId.ToString(),
                job.RunbookName,
                job.Status,
                job.StatusDetails,
                job.JobException,
                Iso(job.CreationTime),
                job.StartTime is { } started ? Iso(started) : null,
                job.EndTime is { } ended ? Iso(ended) : null,
                Iso(job.LastModifiedTime),
                job.Worker,
                job.StartedBy,
                job.ErrorCount,
                job.WarningCount,
                version,
                job.JobParameters.Cast<DictionaryEntry>().Select(p => new ParameterData(p.Key.ToString() ?? "", DashboardService.Display(p.Value))).ToList(),
                source.StatusHistory(job.JobId).Select(h => new HistoryData(Iso(h.Time), h.FromStatus, h.ToStatus, h.Worker, h.Details)).ToList(),
                records.Take(recordLimit).Select(r => new RecordData(r.StreamRecordId, Iso(r.StreamTime), r.StreamTypeName, Cut(r.StreamText))).ToList(),
                records.Count > recordLimit));
        }
        return new PageData(
            Iso(generated),
            range.Unit == SummarySlice.Hour ? "hour" : "day",
            range.Describe(),
            Iso(range.Start),
            Iso(range.End),
            runbookName,
            statuses.Select(s => s.ToString()).ToList(),
            rows.Select(r => new SliceData(Iso(r.SliceStart), Iso(r.SliceEnd), statuses.Select(r.Count).ToList())).ToList(),
            statuses.Select(s => rows.Sum(r => r.Count(s))).ToList(),
            jobData,
            jobs.Count > jobLimit,
            jobLimit,
            recordLimit,
            sources);
    }

    private static string Iso(DateTime time) =>
        time.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private static string Cut(string text) =>
        text.Length <= MaxRecordText ? text : text[..MaxRecordText] + $"… ({text.Length - MaxRecordText} more characters)";
}
