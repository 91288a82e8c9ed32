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

    /// <summary>Jobs of runbooks with this name; wildcards are allowed.</summary>
    [Parameter(Mandatory = true, ParameterSetName = ByRunbookName)]
    [ArgumentCompleter(typeof(RunbookNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string RunbookName { get; set; } = "";

    /// <summary>Jobs of the runbook with this id.</summary>
    [Parameter(Mandatory = true, ParameterSetName = ByRunbookId)]
    public Guid RunbookId { get; set; }

    /// <summary>Only jobs in these statuses.</summary>
    [Parameter(ParameterSetName = All)]
    [Parameter(ParameterSetName = ByRunbookName)]
    [Parameter(ParameterSetName = ByRunbookId)]
    [ValidateSet("Queued", "Starting", "Running", "Completed", "Failed", "Stopping", "Stopped", "Suspending",
        "Suspended", "Resuming", IgnoreCase = true)]
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
                WriteObject(Jobs.Get(ParseJobId(text)));
            return;
        }
        var query = new JobQuery
        {
            RunbookNamePattern = ParameterSetName == ByRunbookName ? RunbookName : null,
            RunbookId = ParameterSetName == ByRunbookId ? RunbookId : null,
            Statuses = JobStatus?.Select(s => Enum.Parse<Sma.Engine.Model.JobStatus>(s, ignoreCase: true)).ToList(),
            ModifiedAfter = ToUtc(StartTime),
            ModifiedBefore = ToUtc(EndTime),
            First = First,
        };
        WriteObject(Jobs.Query(query), enumerateCollection: true);
    }
}
