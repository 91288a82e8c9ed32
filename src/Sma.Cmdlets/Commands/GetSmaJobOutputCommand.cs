using System.Management.Automation;
using Sma.Cmdlets.Infrastructure;
using Sma.Engine.Model;

namespace Sma.Cmdlets.Commands;

/// <summary>A job's stream records in the order it wrote them, each with its time; Output records carry the object.</summary>
[Cmdlet(VerbsCommon.Get, "SmaJobOutput")]
[OutputType(typeof(JobStreamRecord))]
public sealed class GetSmaJobOutputCommand : SmaCmdlet
{
    #region Parameters

    /// <summary>The job's id (a Guid, a job object or its text).</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("JobId")]
    [ValidateNotNullOrEmpty]
    public string Id { get; set; } = "";

    /// <summary>Which stream: Any (default), Output, Error, Warning, Verbose, Progress, Debug, Information.</summary>
    [Parameter(Position = 1)]
    [Alias("OutputType")]
    [ValidateSet("Any", "Output", "Error", "Warning", "Verbose", "Progress", "Debug", "Information", IgnoreCase = true)]
    public string Stream { get; set; } = "Any";

    /// <summary>Only records written at or after this time.</summary>
    [Parameter]
    public DateTime? StartTime { get; set; }

    #endregion

    protected override void Process()
    {
        StreamType? type = Stream.Equals("Any", StringComparison.OrdinalIgnoreCase)
            ? null
            : Enum.Parse<StreamType>(Stream, ignoreCase: true);
        var id = ParseJobId(Id);
        PerItem(() =>
        {
            foreach (var record in Jobs.Output(id, type, ToUtc(StartTime)))
                WriteObject(record);
        });
    }
}
