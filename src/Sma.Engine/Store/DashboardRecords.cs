using Sma.Engine.Model;

namespace Sma.Engine.Store;

/// <summary>How many times jobs entered <see cref="Status"/> in time slice number <see cref="Slice"/> (0 = the first).</summary>
public sealed record StatusCount(int Slice, JobStatus Status, int Count);

/// <summary>One status a seeded job entered, and when (UTC).</summary>
public sealed record SeedStatus(JobStatus Status, DateTime Time);

/// <summary>
/// A job written as it would look after it ran, with a status history at given times: for tests and benchmarks
/// that need a history the clock cannot produce (DashboardService, RetentionPurger, the 7-day summary benchmark).
/// The history starts with Queued and follows the transition table (checked by the caller).
/// </summary>
public sealed record SeedJob(
    Guid JobId,
    Runbook Runbook,
    Guid VersionId,
    IReadOnlyList<SeedStatus> History,
    IReadOnlyList<StoredParameter> Parameters,
    IReadOnlyList<StreamRow> Records,
    string? Worker,
    string? StartedBy,
    string? StatusDetails);
