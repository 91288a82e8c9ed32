using System.Management.Automation;
using Sma.Engine.Model;

namespace Sma.Cmdlets.Infrastructure;

/// <summary>
/// Shared shape of Stop-, Suspend- and Resume-SmaJob: ids from the pipeline, -WhatIf/-Confirm, -PassThru. Whether the
/// request is allowed is the transition table's call; a job that is not found or refuses the request (one that ended
/// in between) is a non-terminating JobNotFound or InvalidJobStateTransition error, and the other jobs still get it.
/// </summary>
public abstract class JobRequestCmdlet : SmaCmdlet
{
    #region Parameters

    /// <summary>
    /// The jobs: their ids as Guids or text, or the job objects that Get-SmaJob and Start-SmaRunbook return. Also taken
    /// from the pipeline, by value or from an Id or JobId property. A malformed id stops the command (InvalidJobId); an
    /// id no job has is a non-terminating error (JobNotFound).
    /// </summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("JobId")]
    [ValidateNotNullOrEmpty]
    public string[] Id { get; set; } = Array.Empty<string>();

    /// <summary>Returns each job as it is right after the request. By default nothing is returned.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    #endregion

    /// <summary>What ShouldProcess says is about to happen.</summary>
    protected abstract string Action { get; }

    /// <summary>Makes the request; returns the job as it is after it.</summary>
    protected abstract Job Request(Guid id);

    /// <summary>The same request through a remote web service.</summary>
    protected abstract Job Request(Sma.Engine.Remote.RemoteService remote, Guid id);

    protected override bool WorksRemotely => true;

    protected override void Process()
    {
        foreach (var text in Id)
        {
            var id = ParseJobId(text);
            PerItem(() =>
            {
                var remote = Remote;
                var job = remote?.GetJob(id) ?? Jobs.Get(id);
                if (!ShouldProcess($"{id} ({job.RunbookName}, {job.Status})", Action))
                    return;
                job = remote is null ? Request(id) : Request(remote, id);
                if (PassThru)
                    WriteObject(job);
            });
        }
    }
}
