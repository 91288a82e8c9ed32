using System.Management.Automation;
using Sma.Cmdlets.Infrastructure;
using Sma.Engine.Model;
using Sma.Engine.Store;

namespace Sma.Cmdlets.Commands;

/// <summary>Lists jobs, newest first, by id, runbook, status and time of last change.</summary>
[Cmdlet(VerbsCommon.Get, "SmaJob", DefaultParameterSetName = All)]
[OutputType(typeof(Job))]
public sealed class GetSmaJobCommand : SmaCmdlet
{
    private const string All = "All";
    private const string ById = "ById";
    private const string ByRunbookName = "ByRunbookName";
    private const string ByRunbookId = "ByRunbookId";

    #region Parameters

    /// <summary>Job ids (a Guid, a job object or its text).</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = ById, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("JobId")]
    [ValidateNotNullOrEmpty]
    public string[] Id { get; set; } = Array.Empty<string>();

    /// <summary>Jobs of runbooks with these names (any case); wildcards are allowed.</summary>
    [Parameter(Mandatory = true, ParameterSetName = ByRunbookName)]
    [ArgumentCompleter(typeof(RunbookNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string[] RunbookName { get; set; } = Array.Empty<string>();

    /// <summary>Jobs of the runbook with this id.</summary>
    [Parameter(Mandatory = true, ParameterSetName = ByRunbookId)]
    public Guid RunbookId { get; set; }

    /// <summary>
    /// Only jobs in these statuses, in the portal's words (Queued, Starting, Running, Completed, Failed, Stopping,
    /// Stopped, Suspending, Suspended, Resuming) or SMA's web service's (New for Queued, Activating for Starting).
    /// </summary>
    [Parameter(ParameterSetName = All)]
    [Parameter(ParameterSetName = ByRunbookName)]
    [Parameter(ParameterSetName = ByRunbookId)]
    [ValidateSet("Queued", "Starting", "Running", "Completed", "Failed", "Stopping", "Stopped", "Suspending",
        "Suspended", "Resuming", "New", "Activating", IgnoreCase = true)]
    public string[]? JobStatus { get; set; }

    /// <summary>Only jobs whose last change is at or after this time.</summary>
    [Parameter(ParameterSetName = All)]
    [Parameter(ParameterSetName = ByRunbookName)]
    [Parameter(ParameterSetName = ByRunbookId)]
    public DateTime? StartTime { get; set; }

    /// <summary>Only jobs whose last change is at or before this time.</summary>
    [Parameter(ParameterSetName = All)]
    [Parameter(ParameterSetName = ByRunbookName)]
    [Parameter(ParameterSetName = ByRunbookId)]
    public DateTime? EndTime { get; set; }

    /// <summary>At most this many jobs (the newest).</summary>
    [Parameter(ParameterSetName = All)]
    [Parameter(ParameterSetName = ByRunbookName)]
    [Parameter(ParameterSetName = ByRunbookId)]
    [ValidateRange(1, int.MaxValue)]
    public int? First { get; set; }

    #endregion

    protected override void Process()
    {
        if (ParameterSetName == ById)
        {
            foreach (var text in Id)
            {
                var id = ParseJobId(text);
                PerItem(() => WriteObject(Jobs.Get(id)));
            }
            return;
        }
        var query = new JobQuery
        {
            RunbookId = ParameterSetName == ByRunbookId ? RunbookId : null,
            Statuses = JobStatus?.Select(JobStatusNames.Parse).Distinct().ToList(),
            ModifiedAfter = ToUtc(StartTime),
            ModifiedBefore = ToUtc(EndTime),
            First = First,
        };
        if (ParameterSetName != ByRunbookName)
        {
            WriteObject(Jobs.Query(query), enumerateCollection: true);
            return;
        }
        // One query per name, merged newest first as the store orders them (names may overlap: each job once).
        var jobs = RunbookName.SelectMany(name => Jobs.Query(query with { RunbookNamePattern = name }))
            .DistinctBy(j => j.JobId)
            .OrderByDescending(j => j.CreationTime).ThenBy(j => j.JobId.ToString());
        WriteObject(First is { } first ? jobs.Take(first) : jobs, enumerateCollection: true);
    }
}
