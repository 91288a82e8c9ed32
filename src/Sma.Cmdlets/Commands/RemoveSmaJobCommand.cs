using System.Management.Automation;
using Sma.Cmdlets.Infrastructure;

namespace Sma.Cmdlets.Commands;

/// <summary>
/// Deletes ended jobs (Completed, Failed, Stopped) with their records, by id or by age. A job that is not found or has
/// not ended is a non-terminating error; the others are still removed.
/// </summary>
[Cmdlet(VerbsCommon.Remove, "SmaJob", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = ById)]
public sealed class RemoveSmaJobCommand : SmaCmdlet
{
    private const string ById = "ById";
    private const string ByAge = "ByAge";

    #region Parameters

    /// <summary>Job ids (a Guid, a job object or its text).</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = ById, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("JobId")]
    [ValidateNotNullOrEmpty]
    public string[] Id { get; set; } = Array.Empty<string>();

    /// <summary>Every ended job whose last change is before this time.</summary>
    [Parameter(Mandatory = true, ParameterSetName = ByAge)]
    public DateTime OlderThan { get; set; }

    #endregion

    protected override void Process()
    {
        var ids = ParameterSetName == ById
            ? Id.Select(ParseJobId).ToList()
            : Jobs.FinalJobsOlderThan(OlderThan.ToUniversalTime()).ToList();
        foreach (var id in ids)
        {
            PerItem(() =>
            {
                var job = Jobs.Get(id);
                if (ShouldProcess($"{id} ({job.RunbookName}, {job.Status}, {job.LastModifiedTime.ToLocalTime():g})", "Remove job and its records"))
                    Jobs.Remove(id);
            });
        }
    }
}
