using System.Collections;
using System.Management.Automation;
using Sma.Cmdlets.Infrastructure;
using Sma.Engine;
using Sma.Engine.Services;
using Sma.Engine.Store;

namespace Sma.Cmdlets.Commands;

/// <summary>
/// For tests and benchmarks only (not part of the documented surface): writes jobs of a published runbook as if they
/// had run, with a status history at the given times, through the store. Each history starts Queued, follows the
/// transition table and never goes back in time. Pipe objects with these property names to seed many jobs: they are
/// written in one transaction per 1,000 jobs.
/// </summary>
[Cmdlet(VerbsCommon.Add, "SmaSeedJob", SupportsShouldProcess = true, DefaultParameterSetName = History)]
[OutputType(typeof(Job))]
public sealed class AddSmaSeedJobCommand : SmaCmdlet
{
    private const int BatchSize = 1000;
    private const string History = "History";
    private const string Synthetic = "Synthetic";
    private readonly List<SeedRequest> _pending = new();

    #region Parameters

    /// <summary>The runbook the job ran (it must be published; the job refers to its published version).</summary>
    [Parameter(Mandatory = true, ParameterSetName = History, ValueFromPipelineByPropertyName = true, DontShow = true)]
    [ValidateNotNullOrEmpty]
    public string RunbookName { get; set; } = "";

    /// <summary>The statuses the job entered, in order, starting with Queued.</summary>
    [Parameter(Mandatory = true, ParameterSetName = History, ValueFromPipelineByPropertyName = true, DontShow = true)]
    [ValidateSet("Queued", "Starting", "Running", "Completed", "Failed", "Stopping", "Stopped", "Suspending",
        "Suspended", "Resuming", IgnoreCase = true)]
    public string[] Status { get; set; } = Array.Empty<string>();

    /// <summary>When it entered each status (one time per status).</summary>
    [Parameter(Mandatory = true, ParameterSetName = History, ValueFromPipelineByPropertyName = true, DontShow = true)]
    public DateTime[] Time { get; set; } = Array.Empty<DateTime>();

    /// <summary>Parameter values stored with the job.</summary>
    [Parameter(ParameterSetName = History, ValueFromPipelineByPropertyName = true, DontShow = true)]
    public IDictionary? Parameters { get; set; }

    /// <summary>Output records (text) the job wrote when it entered Running.</summary>
    [Parameter(ParameterSetName = History, ValueFromPipelineByPropertyName = true, DontShow = true)]
    public string[]? Output { get; set; }

    /// <summary>The worker that ran it.</summary>
    [Parameter(ParameterSetName = History, ValueFromPipelineByPropertyName = true, DontShow = true)]
    public string? Worker { get; set; }

    /// <summary>The job's StatusDetails (also the details of its last history row).</summary>
    [Parameter(ParameterSetName = History, ValueFromPipelineByPropertyName = true, DontShow = true)]
    public string? StatusDetails { get; set; }

    /// <summary>Synthetic: this many jobs with realistic histories, spread over the last -Days days (benchmarks).</summary>
    [Parameter(Mandatory = true, ParameterSetName = Synthetic, DontShow = true)]
    [ValidateRange(1, 100_000_000)]
    public int Count { get; set; }

    /// <summary>Synthetic: the runbooks (published) the jobs are spread over.</summary>
    [Parameter(Mandatory = true, ParameterSetName = Synthetic, DontShow = true)]
    [ValidateNotNullOrEmpty]
    public string[] SpreadOver { get; set; } = Array.Empty<string>();

    /// <summary>Synthetic: how many days back the jobs go.</summary>
    [Parameter(ParameterSetName = Synthetic, DontShow = true)]
    [ValidateRange(1, 3650)]
    public int Days { get; set; } = 30;

    /// <summary>Return the jobs written.</summary>
    [Parameter(DontShow = true)]
    public SwitchParameter PassThru { get; set; }

    #endregion

    protected override void Process()
    {
        if (ParameterSetName == Synthetic)
        {
            if (ShouldProcess(Runtime.Store.Location, $"Write {Count} synthetic job(s)"))
                new SeedService(Runtime).SeedSynthetic(Count, SpreadOver, Days, seed: 1,
                    progress: done => WriteProgress(new ProgressRecord(1, "Seeding jobs", $"{done} of {Count}") { PercentComplete = (int)(100L * done / Count) }));
            return;
        }
        if (Status.Length != Time.Length)
            throw SmaErrors.InvalidSeedJob($"{Status.Length} statuses but {Time.Length} times; give one time per status.", RunbookName);
        _pending.Add(new SeedRequest(
            RunbookName,
            Status.Zip(Time, (s, t) => new SeedStatus(Enum.Parse<Sma.Engine.Model.JobStatus>(s, ignoreCase: true), t)).ToList())
        {
            Parameters = Parameters,
            Output = Output,
            Worker = Worker,
            StatusDetails = StatusDetails,
        });
        if (_pending.Count >= BatchSize)
            Flush();
    }

    protected override void End() => Flush();

    private void Flush()
    {
        if (_pending.Count == 0)
            return;
        var batch = _pending.ToList();
        _pending.Clear();
        if (!ShouldProcess(Runtime.Store.Location, $"Write {batch.Count} seeded job(s)"))
            return;
        var ids = new SeedService(Runtime).Seed(batch);
        if (PassThru)
            foreach (var id in ids)
                WriteObject(Jobs.Get(id));
    }
}
