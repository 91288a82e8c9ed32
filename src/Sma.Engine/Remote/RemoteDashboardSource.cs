using Sma.Engine.Dashboard;
using Sma.Engine.Model;
using Sma.Engine.Services;

namespace Sma.Engine.Remote;

/// <summary>The dashboard page's data read through a remote web service (OData reads), for the same page as locally.</summary>
internal sealed class RemoteDashboardSource : IDashboardSource
{
    private readonly RemoteService _remote;

    public RemoteDashboardSource(RemoteService remote) => _remote = remote;

    public IReadOnlyList<JobSummaryRow> Summarize(SummaryRange range, string? runbookName) => _remote.Summarize(range, runbookName);

    public IReadOnlyList<Job> Jobs(string? runbookName, DateTime modifiedAfter, int first) => _remote.DashboardJobs(runbookName, modifiedAfter, first);

    public RunbookDefinition? Definition(Guid versionId) => _remote.FindDefinition(versionId);

    public IReadOnlyList<JobStreamRecord> Records(Guid jobId, int first) => _remote.FirstRecords(jobId, first);

    public IReadOnlyList<JobStatusChange> StatusHistory(Guid jobId) => _remote.StatusHistory(jobId);
}
