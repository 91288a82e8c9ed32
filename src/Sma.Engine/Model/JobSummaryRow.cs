namespace Sma.Engine.Model;

/// <summary>
/// One time slice of the job summary (Get-SmaJobSummary, the dashboards): how many times jobs entered each status
/// during [<see cref="SliceStart"/>, <see cref="SliceEnd"/>), counted from the status history. Times are UTC. A job
/// that enters the same status twice in one slice (Running again after a resume) counts twice.
/// </summary>
public sealed class JobSummaryRow
{
    private readonly int[] _counts;

    public JobSummaryRow(DateTime sliceStart, DateTime sliceEnd, string? runbookName, IReadOnlyList<int> counts)
    {
        if (counts.Count != Statuses.Count)
            throw new ArgumentException($"Expected {Statuses.Count} counts, one per status.", nameof(counts));
        SliceStart = sliceStart;
        SliceEnd = sliceEnd;
        RunbookName = runbookName;
        _counts = counts.ToArray();
    }

    /// <summary>The ten statuses in their usual order (the order of <see cref="JobStatus"/>).</summary>
    public static IReadOnlyList<JobStatus> Statuses { get; } = Enum.GetValues<JobStatus>();

    /// <summary>Start of the slice (UTC, inclusive).</summary>
    public DateTime SliceStart { get; }

    /// <summary>End of the slice (UTC, exclusive).</summary>
    public DateTime SliceEnd { get; }

    /// <summary>The runbook name (or wildcard pattern) the summary is for; null for all runbooks.</summary>
    public string? RunbookName { get; }

    public int Queued => Count(JobStatus.Queued);
    public int Starting => Count(JobStatus.Starting);
    public int Running => Count(JobStatus.Running);
    public int Completed => Count(JobStatus.Completed);
    public int Failed => Count(JobStatus.Failed);
    public int Stopping => Count(JobStatus.Stopping);
    public int Stopped => Count(JobStatus.Stopped);
    public int Suspending => Count(JobStatus.Suspending);
    public int Suspended => Count(JobStatus.Suspended);
    public int Resuming => Count(JobStatus.Resuming);

    /// <summary>Every status change in the slice.</summary>
    public int Total => _counts.Sum();

    /// <summary>How many times jobs entered <paramref name="status"/> in this slice.</summary>
    public int Count(JobStatus status) => _counts[(int)status];

    public override string ToString() => $"{SliceStart:yyyy-MM-dd HH:mm}Z {Total} changes";
}
