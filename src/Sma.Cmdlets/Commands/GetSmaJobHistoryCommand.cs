using System.Management.Automation;
using Sma.Cmdlets.Infrastructure;
using Sma.Engine.Model;

namespace Sma.Cmdlets.Commands;

/// <summary>Gets the history of a job: its status changes and its stream records, in time order.</summary>
/// <remarks>
/// <para>
/// Get-SmaJobHistory merges a job's status changes with the records it wrote, oldest first, as the History tab of SMA's
/// portal shows them. A status change reads "From -> To: details" and names the worker that made it; a record shows its
/// kind (Output, Error, Warning, ...) and its text. Use -StatusOnly for the status changes alone.
/// </para>
/// <para>
/// Statuses are named in the portal's words (Queued, Starting, ...), as SMA's portal shows them; a job's JobStatus
/// property uses the web service's (New, Activating, ...). Jobs can be piped in; a job that is not found is a
/// non-terminating error (JobNotFound).
/// </para>
/// </remarks>
/// <returns>
/// History lines: Time (UTC), RecordType ('Status' or the stream kind), Status (the status entered), Text, Worker and,
/// for a record, its StreamRecordId.
/// </returns>
/// <seealso cref="GetSmaJobOutputCommand"/>
/// <seealso cref="GetSmaJobCommand"/>
[Cmdlet(VerbsCommon.Get, "SmaJobHistory")]
[OutputType(typeof(JobHistoryRecord))]
public sealed class GetSmaJobHistoryCommand : SmaCmdlet
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

    /// <summary>Returns only the status changes, without the stream records.</summary>
    [Parameter]
    public SwitchParameter StatusOnly { get; set; }

    #endregion

    protected override bool WorksRemotely => true;

    protected override void Process()
    {
        var id = ParseJobId(Id);
        PerItem(() =>
        {
            var records = Remote?.History(id) ?? Jobs.FullHistory(id);
            foreach (var record in StatusOnly ? records.Where(r => r.RecordType == "Status") : records)
                WriteObject(record);
        });
    }
}
