using System.Collections;
using System.Globalization;
using System.Management.Automation;
using Sma.Engine.Dashboard;
using Sma.Engine.Model;
using Sma.Engine.Store;

namespace Sma.Engine.Services;

/// <summary>
/// The dashboard (DESIGN §4.9): how many jobs entered each status in each hour or day of a range, from the status
/// history, for all runbooks or some; as objects, as text for a terminal, and as a self-contained HTML page.
/// </summary>
public sealed class DashboardService
{
    /// <summary>The page embeds at most this many jobs (the newest) ...</summary>
    public const int DefaultJobLimit = 500;

    /// <summary>... and at most this many records per job, so it stays small.</summary>
    public const int DefaultRecordLimit = 200;

    /// <summary>A longer record is cut to this many characters on the page.</summary>
    private const int MaxRecordText = 4000;

    private readonly IJobStore _store;
    private readonly JobService _jobs;
    private readonly RunbookService _runbooks;

    public DashboardService(SmaRuntime runtime)
    {
        _store = runtime.Store;
        _jobs = new JobService(runtime);
        _runbooks = new RunbookService(runtime);
    }

    /// <summary>
    /// One row per slice of <paramref name="range"/>, zeros included. <paramref name="runbookName"/> is a name or a
    /// wildcard pattern (any case), or null for all runbooks; a plain name no runbook and no job has is
    /// RunbookNotFound, a pattern that matches nothing gives zeros.
    /// </summary>
    public IReadOnlyList<JobSummaryRow> Summarize(SummaryRange range, string? runbookName)
    {
        if (runbookName is not null && !WildcardPattern.ContainsWildcardCharacters(runbookName))
            CheckRunbookKnown(runbookName);
        var counts = new int[range.SliceCount][];
        for (var i = 0; i < counts.Length; i++)
            counts[i] = new int[JobSummaryRow.Statuses.Count];
        foreach (var c in _store.CountStatusChanges(range.Start, range.SliceLength, range.SliceCount, runbookName))
            counts[c.Slice][(int)c.Status] += c.Count;
        return counts
            .Select((slice, i) => new JobSummaryRow(range.SliceStart(i), range.SliceStart(i + 1), runbookName, slice))
            .ToList();
    }

    /// <summary>The summary as lines of plain text, none longer than 79 characters (Show-SmaDashboard).</summary>
    public IReadOnlyList<string> RenderText(SummaryRange range, string? runbookName) =>
        TextDashboard.Render(Summarize(range, runbookName), range, runbookName);

    /// <summary>
    /// The dashboard page: the chart of the summary, and the newest <paramref name="jobLimit"/> jobs whose last change
    /// is in the range with their parameters, status history, first <paramref name="recordLimit"/> records and source.
    /// </summary>
    public string RenderHtml(SummaryRange range, string? runbookName, DateTime generated,
        int jobLimit = DefaultJobLimit, int recordLimit = DefaultRecordLimit) =>
        HtmlDashboard.Render(BuildPage(range, runbookName, generated, jobLimit, recordLimit));

    internal PageData BuildPage(SummaryRange range, string? runbookName, DateTime generated, int jobLimit, int recordLimit)
    {
        var rows = Summarize(range, runbookName);
        var statuses = JobSummaryRow.Statuses;
        var jobs = _jobs.Query(new JobQuery { RunbookNamePattern = runbookName, ModifiedAfter = range.Start, First = jobLimit + 1 });
        var sources = new Dictionary<string, SourceData>(StringComparer.OrdinalIgnoreCase);
        var missing = new HashSet<Guid>();
        var jobData = new List<JobData>();
        foreach (var job in jobs.Take(jobLimit))
        {
            var version = job.RunbookVersionId.ToString();
            if (!sources.ContainsKey(version) && !missing.Contains(job.RunbookVersionId))
            {
                try
                {
                    var definition = _runbooks.GetDefinition(job.RunbookVersionId);
                    sources[version] = new SourceData(definition.RunbookName, definition.RunbookVersion.VersionNumber, definition.Content);
                }
                catch (SmaException e) when (e.ErrorId == "RunbookVersionNotFound")
                {
                    missing.Add(job.RunbookVersionId);
                }
            }
            var records = _jobs.Output(job.JobId, null, null).Take(recordLimit + 1).ToList();
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
                job.JobParameters.Cast<DictionaryEntry>().Select(p => new ParameterData(p.Key.ToString() ?? "", Display(p.Value))).ToList(),
                _jobs.History(job.JobId).Select(h => new HistoryData(Iso(h.Time), h.FromStatus, h.ToStatus, h.Worker, h.Details)).ToList(),
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

    private void CheckRunbookKnown(string name)
    {
        // Jobs outlive their runbook: a removed runbook's name still has a history.
        if (_store.FindRunbook(name) is null && _store.QueryJobs(new JobQuery { RunbookNamePattern = name, First = 1 }).Count == 0)
            throw SmaErrors.RunbookNotFound(name);
    }

    private static string Iso(DateTime time) =>
        time.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private static string Cut(string text) =>
        text.Length <= MaxRecordText ? text : text[..MaxRecordText] + $"… ({text.Length - MaxRecordText} more characters)";

    /// <summary>A parameter value as one line of text, the way PowerShell would show it.</summary>
    internal static string Display(object? value)
    {
        var bare = value is PSObject { BaseObject: var b } && b is not PSCustomObject ? b : value;
        return bare switch
        {
            null => "$null",
            string text => text,
            bool flag => flag ? "$true" : "$false",
            DateTime time => time.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
            IDictionary dictionary => "@{" + string.Join("; ",
                dictionary.Cast<DictionaryEntry>().Select(e => $"{e.Key}={Display(e.Value)}")) + "}",
            IEnumerable items => string.Join(", ", items.Cast<object?>().Select(Display)),
            IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
            _ => PSObject.AsPSObject(value!).ToString(),
        };
    }
}
