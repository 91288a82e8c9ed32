using System.Collections;
using System.Management.Automation;
using Sma.Engine.Model;
using Sma.Engine.States;
using Sma.Engine.Store;

namespace Sma.Engine.Services;

/// <summary>A job to seed: which runbook, the statuses it went through and when, and optionally what it was given and wrote.</summary>
public sealed record SeedRequest(string RunbookName, IReadOnlyList<SeedStatus> History)
{
    public IDictionary? Parameters { get; init; }

    /// <summary>Output records (text), written when the job entered Running.</summary>
    public IReadOnlyList<string>? Output { get; init; }

    public string? Worker { get; init; }

    public string? StatusDetails { get; init; }
}

/// <summary>
/// Writes jobs with a given status history through the store (tests and benchmarks: a history with times the clock
/// cannot produce). Each history must be one the engine could have written: it starts Queued, every step is in the
/// transition table and times never go back. Jobs refer to a published runbook and the version it has now.
/// </summary>
public sealed class SeedService
{
    private const int ParameterDepth = 4;
    private readonly SmaRuntime _runtime;

    public SeedService(SmaRuntime runtime) => _runtime = runtime;

    /// <summary>Checks every request, then writes them all in one transaction; returns the new job ids in order.</summary>
    public IReadOnlyList<Guid> Seed(IReadOnlyList<SeedRequest> requests)
    {
        var runbooks = new Dictionary<string, Runbook>(StringComparer.OrdinalIgnoreCase);
        var jobs = new List<SeedJob>(requests.Count);
        foreach (var request in requests)
        {
            if (!runbooks.TryGetValue(request.RunbookName, out var runbook))
            {
                runbook = _runtime.Store.FindRunbook(request.RunbookName) ?? throw SmaErrors.RunbookNotFound(request.RunbookName);
                runbooks[request.RunbookName] = runbook;
            }
            if (runbook.PublishedRunbookVersionID is not { } versionId)
                throw SmaErrors.RunbookNotPublished(runbook.RunbookName);
            var history = Check(request);
            var output = request.Output ?? Array.Empty<string>();
            var ran = history.FirstOrDefault(h => h.Status == JobStatus.Running);
            if (output.Count > 0 && ran is null)
                throw SmaErrors.InvalidSeedJob("it has output but never entered Running.", request.RunbookName);
            var records = output
                .Select((text, i) => new StreamRow(i + 1, ran!.Time, StreamType.Output, text, PSSerializer.Serialize(text), null))
                .ToList();
            jobs.Add(new SeedJob(Guid.NewGuid(), runbook, versionId, history, Parameters(request.Parameters), records,
                request.Worker ?? "seed", Environment.UserName, request.StatusDetails));
        }
        (_runtime.Store as IStoreSeeding
            ?? throw new NotSupportedException($"The store at {_runtime.Store.Description} cannot be seeded.")).SeedJobs(jobs);
        return jobs.Select(j => j.JobId).ToList();
    }

    /// <summary>
    /// Benchmarks: <paramref name="count"/> jobs with realistic histories spread over the last <paramref name="days"/>
    /// days — mostly Completed, some Failed, a few Stopped or Suspended — each with two output records, written in
    /// transactions of 5,000 jobs. Deterministic for a given <paramref name="seed"/>.
    /// </summary>
    public void SeedSynthetic(int count, IReadOnlyList<string> runbookNames, int days, int seed, Action<int>? progress = null)
    {
        var random = new Random(seed);
        var now = DateTime.UtcNow;
        var batch = new List<SeedRequest>(5000);
        for (var i = 0; i < count; i++)
        {
            var queued = now.AddSeconds(-random.NextDouble() * days * 86400);
            var step = queued;
            DateTime Next(double maxSeconds) => step = step.AddMilliseconds(1 + random.NextDouble() * maxSeconds * 1000);
            var roll = random.Next(100);
            var history = new List<SeedStatus>
            {
                new(JobStatus.Queued, queued), new(JobStatus.Starting, Next(0.5)), new(JobStatus.Running, Next(0.5)),
            };
            if (roll < 85) history.Add(new(JobStatus.Completed, Next(120)));
            else if (roll < 95) history.Add(new(JobStatus.Failed, Next(60)));
            else if (roll < 98) { history.Add(new(JobStatus.Stopping, Next(60))); history.Add(new(JobStatus.Stopped, Next(1))); }
            else history.Add(new(JobStatus.Suspended, Next(60)));
            batch.Add(new SeedRequest(runbookNames[i % runbookNames.Count], history)
            {
                Output = new[] { $"item {i}", $"done {i}" },
                StatusDetails = history[^1].Status == JobStatus.Failed ? "The disk is full." : null,
            });
            if (batch.Count == 5000 || i == count - 1)
            {
                Seed(batch);
                batch.Clear();
                progress?.Invoke(i + 1);
            }
        }
    }

    private static List<SeedStatus> Check(SeedRequest request)
    {
        var history = request.History.Select(h => h with { Time = h.Time.ToUniversalTime() }).ToList();
        if (history.Count == 0)
            throw SmaErrors.InvalidSeedJob("the history is empty; it must start with Queued.", request.RunbookName);
        if (history[0].Status != JobTransitions.Initial)
            throw SmaErrors.InvalidSeedJob($"the history starts with {history[0].Status}; every job starts {JobTransitions.Initial}.", request.RunbookName);
        for (var i = 1; i < history.Count; i++)
        {
            var (from, to) = (history[i - 1].Status, history[i].Status);
            if (!JobTransitions.All.Any(t => t.From == from && t.To == to))
                throw SmaErrors.InvalidSeedJob($"step {i + 1}, {from} -> {to}, is not in the transition table.", request.RunbookName);
            if (history[i].Time < history[i - 1].Time)
                throw SmaErrors.InvalidSeedJob($"step {i + 1} ({to}) is earlier than the step before it.", request.RunbookName);
        }
        return history;
    }

    private List<StoredParameter> Parameters(IDictionary? values)
    {
        var result = new List<StoredParameter>();
        foreach (DictionaryEntry entry in values ?? new Hashtable())
        {
            var (xml, secret) = _runtime.Codec.Encode(entry.Value, ParameterDepth);
            result.Add(new StoredParameter(entry.Key.ToString() ?? "", xml, secret, secret is null ? null : "********"));
        }
        return result;
    }
}
