using System.Management.Automation;
using Sma.Cmdlets.Infrastructure;
using Sma.Engine.Model;

namespace Sma.Cmdlets.Commands;

/// <summary>Gets the records a job wrote to its streams, in the order it wrote them.</summary>
/// <remarks>
/// <para>
/// Get-SmaJobOutput reads a job's stream records from the store: Output, Error, Warning, Verbose, Progress, Debug and
/// Information (Write-Host). Each has its time (StreamTime, UTC), its kind (StreamTypeName), its text (StreamText) and
/// a StreamRecordId; the ids form one sequence per job across all kinds, so the records come back in the order the job
/// wrote them. An Output record also keeps the object itself: Value holds it, deserialized like Receive-Job output.
/// </para>
/// <para>
/// Records are written while the job runs, so the output of a running job can be read at any time, from any session.
/// Output, Error, Warning and Information records are always kept; Verbose, Progress and Debug records only when the
/// runbook's LogVerbose, LogProgress or LogDebug setting is on (Set-SmaRunbookConfiguration). The records of inline
/// child runbooks are the job's own, kept under the logging settings of the runbook that was started.
/// </para>
/// <para>
/// Jobs can be piped in; a job that is not found is a non-terminating error (JobNotFound) and the other jobs' records
/// are still returned.
/// </para>
/// </remarks>
/// <returns>Stream records, oldest first.</returns>
/// <seealso cref="GetSmaJobHistoryCommand"/>
/// <seealso cref="SetSmaRunbookConfigurationCommand"/>
/// <seealso cref="GetSmaJobCommand"/>
[Cmdlet(VerbsCommon.Get, "SmaJobOutput")]
[OutputType(typeof(JobStreamRecord))]
public sealed class GetSmaJobOutputCommand : SmaCmdlet
{
    #region Parameters

    /// <summary>
    /// The job: its id as a Guid or text, or a job object. Also taken from the pipeline, by value or from an Id or
    /// JobId property.
    /// </summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("JobId")]
    [ValidateNotNullOrEmpty]
    public string Id { get; set; } = "";

    /// <summary>Which records: Any (the default: all of them, in order) or one kind, in any case.</summary>
    [Parameter(Position = 1)]
    [Alias("OutputType")]
    [ValidateSet("Any", "Output", "Error", "Warning", "Verbose", "Progress", "Debug", "Information", IgnoreCase = true)]
    public string Stream { get; set; } = "Any";

    /// <summary>Gets only the records written at or after this time.</summary>
    [Parameter]
    public DateTime? StartTime { get; set; }

    #endregion

    protected override bool WorksRemotely => true;

    protected override void Process()
    {
        StreamType? type = Stream.Equals("Any", StringComparison.OrdinalIgnoreCase)
            ? null
            : Enum.Parse<StreamType>(Stream, ignoreCase: true);
        var id = ParseJobId(Id);
        PerItem(() =>
        {
            foreach (var record in Remote?.Output(id, type, ToUtc(StartTime)) ?? Jobs.Output(id, type, ToUtc(StartTime)))
                WriteObject(record);
        });
    }
}
