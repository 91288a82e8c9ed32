using System.Management.Automation;
using Sma.Cmdlets.Infrastructure;
using Sma.Engine.Model;

namespace Sma.Cmdlets.Commands;

/// <summary>A job's history: its status changes and stream records in time order, each with its timestamp.</summary>
[Cmdlet(VerbsCommon.Get, "SmaJobHistory")]
[OutputType(typeof(JobHistoryRecord))]
public sealed class GetSmaJobHistoryCommand : SmaCmdlet
{
    #region Parameters

    /// <summary>The job's id (a Guid, a job object or its text).</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("JobId")]
    [ValidateNotNullOrEmpty]
    public string Id { get; set; } = "";

    /// <summary>Only status changes, without stream records.</summary>
    [Parameter]
    public SwitchParameter StatusOnly { get; set; }

    #endregion

    protected override void Process()
    {
        var id = ParseJobId(Id);
        PerItem(() =>
        {
            var records = Jobs.FullHistory(id);
            foreach (var record in StatusOnly ? records.Where(r => r.RecordType == "Status") : records)
                WriteObject(record);
        });
    }
}
