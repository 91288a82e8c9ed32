using System.Management.Automation;
using Sma.Cmdlets.Infrastructure;
using Sma.Engine.Model;
using Sma.Engine.Store;

namespace Sma.Cmdlets.Commands;

/// <summary>Gets jobs from the store, newest first.</summary>
/// <remarks>
/// <para>
/// Without parameters, Get-SmaJob returns every job in the store, newest (by CreationTime) first. -Id returns the jobs
/// with those ids, in the order given; an id no job has is a non-terminating error (JobNotFound) and the other ids are
/// still returned, while a malformed id stops the command (InvalidJobId). -RunbookName (one or more names, any case,
/// wildcards allowed) or -RunbookId selects the jobs of runbooks; -JobStatus, the time range and -First narrow any of
/// these lists.
/// </para>
/// <para>
/// A job's status has two names: JobStatus is SMA's web service's word (New, Activating, Running, Completed, ...), the
/// one scripts written for SMA compare with; Status is the portal's (Queued, Starting, Running, Completed, ...), the
/// one the table view shows. Only the first two differ. -JobStatus accepts both.
/// </para>
/// <para>
/// Reading jobs also recovers those of a worker that is gone (its process ended on this computer, or its heartbeat
/// is stale), so a job of a dead worker never shows as plainly Running: a Workflow job resumes from its last
/// checkpoint, a Script job fails naming the worker.
/// </para>
/// <para>
/// -StartTime and -EndTime compare with the time of a job's last change (LastModifiedTime), as SMA's portal does. Times
/// you give are local unless they say otherwise; the times a job shows are UTC.
/// </para>
/// <para>
/// A job carries SMA's property names (JobId, JobStatus, JobException, JobParameters, RunbookId, CreationTime,
/// StartTime, EndTime, LastModifiedTime, ErrorCount, WarningCount) and the names of SMA's documented samples (Id,
/// Status, LastModifiedDate), plus RunbookName, RunbookVersionId, StatusDetails, Worker, StartedBy and ScheduleName (the
/// schedule that started it). Its string form is its id.
/// </para>
/// </remarks>
/// <returns>Jobs, newest first (with -Id, in the order of the ids).</returns>
/// <seealso cref="StartSmaRunbookCommand"/>
/// <seealso cref="GetSmaJobOutputCommand"/>
/// <seealso cref="GetSmaJobHistoryCommand"/>
/// <seealso cref="WaitSmaJobCommand"/>
[Cmdlet(VerbsCommon.Get, "SmaJob", DefaultParameterSetName = All)]
[OutputType(typeof(Job))]
public sealed class GetSmaJobCommand : SmaCmdlet
{
    private const string All = "All";
    private const string ById = "ById";
    private const string ByRunbookName = "ByRunbookName";
    private const string ByRunbookId = "ByRunbookId";

    #region Parameters

    /// <summary>
    /// The jobs: their ids as Guids or text, or job objects. Also taken from the pipeline, by value or from an Id or
    /// JobId property.
    /// </summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = ById, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("JobId")]
    [ValidateNotNullOrEmpty]
    public string[] Id { get; set; } = Array.Empty<string>();

    /// <summary>
    /// Gets the jobs of runbooks with these names (any case; wildcards allowed), also of runbooks since removed. Names
    /// that overlap give each job once.
    /// </summary>
    [Parameter(Mandatory = true, ParameterSetName = ByRunbookName)]
    [ArgumentCompleter(typeof(RunbookNameCompleter))]
    [ValidateNotNullOrEmpty]
    [SupportsWildcards]
    public string[] RunbookName { get; set; } = Array.Empty<string>();

    /// <summary>Gets the jobs of the runbook with this id (its RunbookID).</summary>
    [Parameter(Mandatory = true, ParameterSetName = ByRunbookId)]
    public Guid RunbookId { get; set; }

    /// <summary>
    /// Gets only jobs in one of these statuses (any case), in the portal's words (Queued, Starting, Running, Completed,
    /// Failed, Stopping, Stopped, Suspending, Suspended, Resuming) or SMA's web service's (New for Queued, Activating
    /// for Starting).
    /// </summary>
    [Parameter(ParameterSetName = All)]
    [Parameter(ParameterSetName = ByRunbookName)]
    [Parameter(ParameterSetName = ByRunbookId)]
    [ValidateSet("Queued", "Starting", "Running", "Completed", "Failed", "Stopping", "Stopped", "Suspending",
        "Suspended", "Resuming", "New", "Activating", IgnoreCase = true)]
    public string[]? JobStatus { get; set; }

    /// <summary>Gets only jobs whose last change (LastModifiedTime) is at or after this time.</summary>
    [Parameter(ParameterSetName = All)]
    [Parameter(ParameterSetName = ByRunbookName)]
    [Parameter(ParameterSetName = ByRunbookId)]
    public DateTime? StartTime { get; set; }

    /// <summary>Gets only jobs whose last change (LastModifiedTime) is at or before this time.</summary>
    [Parameter(ParameterSetName = All)]
    [Parameter(ParameterSetName = ByRunbookName)]
    [Parameter(ParameterSetName = ByRunbookId)]
    public DateTime? EndTime { get; set; }

    /// <summary>Gets at most this many jobs: the newest.</summary>
    [Parameter(ParameterSetName = All)]
    [Parameter(ParameterSetName = ByRunbookName)]
    [Parameter(ParameterSetName = ByRunbookId)]
    [ValidateRange(1, int.MaxValue)]
    public int? First { get; set; }

    #endregion

    protected override bool WorksRemotely => true;

    protected override void Process()
    {
        var remote = Remote;
        if (ParameterSetName == ById)
        {
            foreach (var text in Id)
            {
                var id = ParseJobId(text);
                PerItem(() => WriteObject(remote?.GetJob(id) ?? Jobs.Get(id)));
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
        IReadOnlyList<Job> Query(JobQuery q) => remote?.QueryJobs(q) ?? Jobs.Query(q);
        if (ParameterSetName != ByRunbookName)
        {
            WriteObject(Query(query), enumerateCollection: true);
            return;
        }
        // A pattern names the runbooks it matches (the service filters by exact name).
        var names = remote is null ? RunbookName : RunbookName.SelectMany(name => WildcardPattern.ContainsWildcardCharacters(name)
            ? remote.ListRunbooks().Select(r => r.RunbookName).Where(new WildcardPattern(name, WildcardOptions.IgnoreCase).IsMatch)
            : new[] { name }).ToArray();
        // One query per name, merged newest first as the store orders them (names may overlap: each job once).
        var jobs = names.SelectMany(name => Query(query with { RunbookNamePattern = name }))
            .DistinctBy(j => j.JobId)
            .OrderByDescending(j => j.CreationTime).ThenBy(j => j.JobId.ToString());
        WriteObject(First is { } first ? jobs.Take(first) : jobs, enumerateCollection: true);
    }
}
