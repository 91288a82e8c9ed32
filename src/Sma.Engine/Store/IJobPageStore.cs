using Sma.Engine.Model;

namespace Sma.Engine.Store;

/// <summary>
/// Reads for clients that page through large sets (the web service, the portal): jobs by keyset pages in a stated
/// order, their counts, and runbook versions. Every filter is a typed value bound as a parameter; the order is one of
/// a fixed set of indexed columns.
/// </summary>
public interface IJobPageStore
{
    /// <summary>The jobs matching <paramref name="page"/>, in its order, after its <see cref="JobPage.After"/> position, at most <see cref="JobPage.Limit"/>.</summary>
    IReadOnlyList<Job> PageJobs(JobPage page);

    /// <summary>How many jobs match <paramref name="page"/>'s filters (its position and limit ignored).</summary>
    long CountJobs(JobPage page);

    /// <summary>The versions of one runbook (or of all runbooks), newest first, without their source.</summary>
    IReadOnlyList<RunbookVersion> ListVersions(Guid? runbookId);
}

/// <summary>The indexed orders a job page can be read in; the job id breaks ties.</summary>
public enum JobOrder
{
    CreationTime,
    LastModifiedTime,
}

/// <summary>A range bound on a time: after (or at) <see cref="Time"/>, or before (or at) it.</summary>
public readonly record struct TimeBound(DateTime Time, bool Inclusive);

/// <summary>Filters (null: no filter) and a keyset position for <see cref="IJobPageStore.PageJobs"/>.</summary>
public sealed record JobPage
{
    public IReadOnlyList<Guid>? Ids { get; init; }
    public IReadOnlyList<Guid>? RunbookIds { get; init; }
    /// <summary>Exact runbook names, in any case.</summary>
    public IReadOnlyList<string>? RunbookNames { get; init; }
    public IReadOnlyList<Guid>? VersionIds { get; init; }
    public IReadOnlyList<JobStatus>? Statuses { get; init; }
    public TimeBound? CreatedAfter { get; init; }
    public TimeBound? CreatedBefore { get; init; }
    public TimeBound? ModifiedAfter { get; init; }
    public TimeBound? ModifiedBefore { get; init; }

    public JobOrder OrderBy { get; init; } = JobOrder.CreationTime;
    public bool Descending { get; init; } = true;

    /// <summary>The last row of the previous page: its ordering time and job id; the page starts after it.</summary>
    public (DateTime Time, Guid JobId)? After { get; init; }

    /// <summary>How many matching rows to pass over first (after <see cref="After"/>).</summary>
    public int Offset { get; init; }

    public int Limit { get; init; } = 100;
}
