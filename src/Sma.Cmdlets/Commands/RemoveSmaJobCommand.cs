using System.Management.Automation;
using Sma.Cmdlets.Infrastructure;

namespace Sma.Cmdlets.Commands;

/// <summary>Deletes ended jobs and everything they recorded.</summary>
/// <remarks>
/// <para>
/// Remove-SmaJob deletes jobs that have ended (Completed, Failed or Stopped) with their stream records, status history
/// and checkpoints. -Id deletes the given jobs (or jobs piped in); a job that is not found (JobNotFound) or has not
/// ended (JobNotFinished: stop it first) is a non-terminating error and the other jobs are still removed. A malformed
/// id stops the command (InvalidJobId). -OlderThan deletes every ended job whose last change is before that time,
/// whatever the retention settings say.
/// </para>
/// <para>
/// The workers also delete old ended jobs by themselves, after PurgeJobsOlderThanCountDays (Set-SmaAdminConfiguration).
/// Remove-SmaJob supports -WhatIf and -Confirm.
/// </para>
/// </remarks>
/// <seealso cref="SetSmaAdminConfigurationCommand"/>
/// <seealso cref="GetSmaJobCommand"/>
/// <seealso cref="StopSmaJobCommand"/>
[Cmdlet(VerbsCommon.Remove, "SmaJob", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = ById)]
public sealed class RemoveSmaJobCommand : SmaCmdlet
{
    private const string ById = "ById";
    private const string ByAge = "ByAge";

    #region Parameters

    /// <summary>
    /// The jobs to delete: their ids as Guids or text, or job objects. Also taken from the pipeline, by value or from
    /// an Id or JobId property.
    /// </summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = ById, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("JobId")]
    [ValidateNotNullOrEmpty]
    public string[] Id { get; set; } = Array.Empty<string>();

    /// <summary>Deletes every ended job whose last change (LastModifiedTime) is before this time.</summary>
    [Parameter(Mandatory = true, ParameterSetName = ByAge)]
    public DateTime OlderThan { get; set; }

    #endregion

    protected override bool WorksRemotely => true;

    protected override void Process()
    {
        var remote = Remote;
        var ids = ParameterSetName == ById
            ? Id.Select(ParseJobId).ToList()
            : (remote?.FinalJobsOlderThan(OlderThan.ToUniversalTime()) ?? Jobs.FinalJobsOlderThan(OlderThan.ToUniversalTime())).ToList();
        foreach (var id in ids)
        {
            PerItem(() =>
            {
                var job = remote?.GetJob(id) ?? Jobs.Get(id);
                if (ShouldProcess($"{id} ({job.RunbookName}, {job.Status}, {job.LastModifiedTime.ToLocalTime():g})", "Remove job and its records"))
                {
                    if (remote is not null)
                        remote.RemoveJob(id);
                    else
                        Jobs.Remove(id);
                }
            });
        }
    }
}
