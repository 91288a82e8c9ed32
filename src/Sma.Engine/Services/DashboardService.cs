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

    internal PageData BuildPage(SummaryRange range, string? runbookName, DateTime generated, int jobLimit, int recordLimit) =>
        DashboardPage.Build(new LocalSource(this), range, runbookName, generated, jobLimit, recordLimit);

    /// <summary>The page's data read from this machine's store.</summary>
    private sealed class LocalSource : IDashboardSource
    {
        private readonly DashboardService _service;

        public LocalSource(DashboardService service) => _service = service;

        public IReadOnlyList<JobSummaryRow> Summarize(SummaryRange range, string? runbookName) => _service.Summarize(range, runbookName);

        public IReadOnlyList<Job> Jobs(string? runbookName, DateTime modifiedAfter, int first) =>
            _service._jobs.Query(new JobQuery { RunbookNamePattern = runbookName, ModifiedAfter = modifiedAfter, First = first });

        public RunbookDefinition? Definition(Guid versionId)
        {
            try
            {
                return _service._runbooks.GetDefinition(versionId);
            }
            catch (SmaException e) when (e.ErrorId == "RunbookVersionNotFound")
            {
                return null;
            }
        }

        public IReadOnlyList<JobStreamRecord> Records(Guid jobId, int first) => _service._jobs.Output(jobId, null, null).Take(first).ToList();

        public IReadOnlyList<JobStatusChange> StatusHistory(Guid jobId) => _service._jobs.History(jobId);
    }

    private void CheckRunbookKnown(string name)
    {
        // Jobs outlive their runbook: a removed runbook's name still has a history.
        if (_store.FindRunbook(name) is null && _store.QueryJobs(new JobQuery { RunbookNamePattern = name, First = 1 }).Count == 0)
            throw SmaErrors.RunbookNotFound(name);
    }

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
