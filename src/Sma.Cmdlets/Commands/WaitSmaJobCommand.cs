using System.Management.Automation;
using Sma.Cmdlets.Infrastructure;
using Sma.Engine.Model;

namespace Sma.Cmdlets.Commands;

/// <summary>Waits until the jobs end (Completed, Failed, Stopped) or are Suspended, showing progress; returns them.</summary>
[Cmdlet(VerbsLifecycle.Wait, "SmaJob")]
[OutputType(typeof(Job))]
public sealed class WaitSmaJobCommand : SmaCmdlet
{
    private readonly List<Guid> _ids = new();
    private readonly CancellationTokenSource _cancel = new();

    #region Parameters

    /// <summary>Job ids (a Guid, a job object or its text).</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("JobId")]
    [ValidateNotNullOrEmpty]
    public string[] Id { get; set; } = Array.Empty<string>();

    /// <summary>Give up after this many seconds; the jobs keep running and are returned as they are.</summary>
    [Parameter]
    [ValidateRange(0, int.MaxValue)]
    public int? Timeout { get; set; }

    #endregion

    protected override void Process()
    {
        foreach (var text in Id)
        {
            var id = ParseJobId(text);
            // An unknown id is an error now, not after the wait; the other jobs are still waited for.
            if (PerItem(() => Jobs.Get(id)) is not null)
                _ids.Add(id);
        }
    }

    protected override void End() =>
        WriteObject(JobWaiter.Wait(this, Jobs, _ids, Timeout, _cancel.Token), enumerateCollection: true);

    protected override void StopProcessing() => _cancel.Cancel();
}
