using System.Management.Automation;
using Sma.Cmdlets.Infrastructure;
using Sma.Engine.Model;

namespace Sma.Cmdlets.Commands;

/// <summary>Waits until jobs have ended or are suspended.</summary>
/// <remarks>
/// <para>
/// Wait-SmaJob takes job ids or jobs (from the pipeline too), shows a progress bar, and returns the jobs once every one
/// of them is Completed, Failed, Stopped or Suspended. The jobs may run in any process that shares the store. An id no
/// job has is a non-terminating error (JobNotFound), written before the wait starts, and the other jobs are still
/// waited for; a malformed id stops the command (InvalidJobId). A job whose worker is gone is recovered while waiting,
/// so the wait never hangs on it.
/// </para>
/// <para>
/// With -Timeout, Wait-SmaJob stops waiting after that many seconds, writes a warning naming the jobs still running and
/// returns every job as it is then; the jobs keep running. Ctrl+C stops the wait, not the jobs.
/// </para>
/// </remarks>
/// <returns>The jobs, in the order they were given, as they are when the wait ends.</returns>
/// <seealso cref="StartSmaRunbookCommand"/>
/// <seealso cref="GetSmaJobCommand"/>
/// <seealso cref="StopSmaJobCommand"/>
[Cmdlet(VerbsLifecycle.Wait, "SmaJob")]
[OutputType(typeof(Job))]
public sealed class WaitSmaJobCommand : SmaCmdlet
{
    private readonly List<Guid> _ids = new();
    private readonly CancellationTokenSource _cancel = new();

    #region Parameters

    /// <summary>
    /// The jobs: their ids as Guids or text, or job objects. Also taken from the pipeline, by value or from an Id or
    /// JobId property.
    /// </summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("JobId")]
    [ValidateNotNullOrEmpty]
    public string[] Id { get; set; } = Array.Empty<string>();

    /// <summary>
    /// Stops waiting after this many seconds; the jobs keep running and are returned as they are then, with a warning.
    /// Omitted: no limit.
    /// </summary>
    [Parameter]
    [ValidateRange(0, int.MaxValue)]
    public int? Timeout { get; set; }

    #endregion

    protected override bool WorksRemotely => true;

    protected override void Process()
    {
        foreach (var text in Id)
        {
            var id = ParseJobId(text);
            // An unknown id is an error now, not after the wait; the other jobs are still waited for.
            if (PerItem(() => Remote?.GetJob(id) ?? Jobs.Get(id)) is not null)
                _ids.Add(id);
        }
    }

    protected override void End() => WriteObject(Remote is { } remote
        ? JobWaiter.Wait(this, remote, _ids, Timeout, _cancel.Token)
        : JobWaiter.Wait(this, Jobs, _ids, Timeout, _cancel.Token), enumerateCollection: true);

    protected override void StopProcessing() => _cancel.Cancel();
}
