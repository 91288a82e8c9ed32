using System.Collections;
using System.Management.Automation;
using System.Security;
using Sma.Engine.Children;
using Sma.Engine.Model;
using Sma.Engine.States;
using Sma.Engine.Store;

namespace Sma.Engine.Services;

/// <summary>Jobs for the cmdlets: start, query, read output and history, stop, wait.</summary>
public sealed class JobService
{
    private const int ParameterDepth = 4;
    private static readonly TimeSpan WaitPoll = TimeSpan.FromMilliseconds(100);
    private readonly SmaRuntime _runtime;
    private readonly IJobStore _store;

    public JobService(SmaRuntime runtime)
    {
        _runtime = runtime;
        _store = runtime.Store;
    }

    /// <summary>
    /// Queues a job of the runbook's published version. Parameters are checked against its param() block first;
    /// a bad one is an error and no job is created.
    /// </summary>
    public Job Start(Runbook runbook, IDictionary? parameters, string? workingDirectory, string? actor = null)
    {
        using var _ = Execution.PhaseProfile.Measure("caller.start");
        var (versionId, stored) = CheckParameters(runbook, parameters);
        return Create(runbook, versionId, stored, workingDirectory, claim: null, actor)!;
    }

    /// <summary>
    /// Start with values given as text (SMA's web service: arrays and hashtables as JSON), each converted to the type
    /// the runbook declares for it; then checked and started as <see cref="Start"/> does. <paramref name="actor"/> is
    /// recorded as the job's StartedBy.
    /// </summary>
    public Job StartWithText(Runbook runbook, IReadOnlyList<KeyValuePair<string, string?>> values, string actor)
    {
        if (runbook.PublishedRunbookVersionID is not { } versionId)
            throw SmaErrors.RunbookNotPublished(runbook.RunbookName);
        var converted = TextParameters.Convert(runbook.RunbookName, ParsedVersion(runbook.RunbookName, versionId), values);
        return Start(runbook, converted, null, actor);
    }

    /// <summary>
    /// Parameter values sent as text (the web service), converted to the types the published version declares; what
    /// cannot be converted is an error, and names it does not declare pass for the parameter check to refuse.
    /// </summary>
    public Hashtable ConvertText(Runbook runbook, IReadOnlyList<KeyValuePair<string, string?>> values)
    {
        if (runbook.PublishedRunbookVersionID is not { } versionId)
            throw SmaErrors.RunbookNotPublished(runbook.RunbookName);
        return TextParameters.Convert(runbook.RunbookName, ParsedVersion(runbook.RunbookName, versionId), values);
    }

    /// <summary>A page of jobs as they are now (a job whose worker is dead is recovered first, as <see cref="Query"/> does).</summary>
    public IReadOnlyList<Job> Page(JobPage page)
    {
        var store = PageStore;
        var jobs = store.PageJobs(page);
        var held = jobs.Where(IsHeld).Select(j => j.JobId).ToList();
        return held.Count > 0 && _runtime.Recovery.CheckJobs(held) ? store.PageJobs(page) : jobs;
    }

    /// <summary>How many jobs match the filters of <paramref name="page"/>.</summary>
    public long Count(JobPage page) => PageStore.CountJobs(page);

    private IJobPageStore PageStore => _store as IJobPageStore
        ?? throw new NotSupportedException($"The store at {_store.Description} cannot page through jobs.");

    /// <summary>
    /// The values a start (or a schedule link) stores: checked against the published version's param() block (a
    /// bad one is an error and nothing is stored) and encoded, secrets encrypted.
    /// </summary>
    internal (Guid VersionId, IReadOnlyList<StoredParameter> Stored) CheckParameters(Runbook runbook, IDictionary? parameters)
    {
        if (runbook.PublishedRunbookVersionID is not { } versionId)
            throw SmaErrors.RunbookNotPublished(runbook.RunbookName);
        var script = ParsedVersion(runbook.RunbookName, versionId);
        var values = ParameterCheck.Check(runbook.RunbookName, script, parameters);
        var stored = values.Select(kv =>
        {
            var (xml, secret) = _runtime.Codec.Encode(kv.Value, ParameterDepth);
            return new StoredParameter(kv.Key, xml, secret, secret is null ? null : MaskedText(kv.Value));
        }).ToList();
        return (versionId, stored);
    }

    /// <summary>
    /// Queues the job a schedule's occurrence starts, with the link's stored values, through the same path as a
    /// start (pinning included). Null when another worker claimed the occurrence first.
    /// </summary>
    internal Job? StartScheduled(Runbook runbook, IReadOnlyList<StoredParameter> stored, string? workingDirectory, OccurrenceClaim claim,
        string scheduleName, string details)
    {
        if (runbook.PublishedRunbookVersionID is not { } versionId)
            throw SmaErrors.RunbookNotPublished(runbook.RunbookName);
        return Create(runbook, versionId, stored, workingDirectory, (claim, scheduleName, details), actor: null);
    }

    private Job? Create(Runbook runbook, Guid versionId, IReadOnlyList<StoredParameter> stored, string? workingDirectory,
        (OccurrenceClaim Claim, string ScheduleName, string Details)? claim, string? actor)
    {
        // Inline child runbooks are resolved now, so a cycle or an unpublished child creates no job, and every run of
        // the job (a resume too) uses the versions published at its start.
        var children = new StoreChildRunbookCatalog(_runtime).Resolve(runbook.RunbookName, versionId);
        var pinned = runbook.RunbookWorker;
        _runtime.PrepareSessionWorker(anyWorkerMay: pinned is null);
        var unavailable = pinned is not null && !new WorkerService(_runtime).IsAvailable(pinned);
        var newJob = new NewJob(Guid.NewGuid(), runbook, versionId, stored, actor ?? Environment.UserName, workingDirectory, pinned)
        {
            Children = children,
            ScheduleName = claim?.ScheduleName,
            Details = claim?.Details ?? (actor is null ? null : $"Started by {actor}."),
        };
        var job = claim is { } c ? _runtime.ScheduleStore.CreateScheduledJob(newJob, c.Claim) : _store.CreateJob(newJob);
        if (job is null)
            return null;
        if (unavailable)
        {
            // SMA's rule: a job pinned to a worker that is not there fails at once, naming the worker.
            return _store.Transition(job.JobId, JobTrigger.PinnedWorkerUnavailable,
                new TransitionChange { Details = SmaErrors.PinnedWorkerUnavailable(runbook.RunbookName, pinned!).Message });
        }
        EnsureWorker(pinned is null);
        return job;
    }

    /// <summary>
    /// The parsed source of a runbook version. Versions never change, so each is read and parsed once per process
    /// (a busy Start-SmaRunbook loop would otherwise parse the same text every time).
    /// </summary>
    private System.Management.Automation.Language.ScriptBlockAst ParsedVersion(string runbookName, Guid versionId)
    {
        if (ParsedVersions.TryGetValue(versionId, out var cached))
            return cached;
        var definition = _store.GetDefinition(versionId) ?? throw SmaErrors.VersionNotFound(versionId);
        var script = RunbookSource.Parse(runbookName, definition.Translated ?? definition.Content);
        if (ParsedVersions.Count >= 256)
            ParsedVersions.Clear();
        return ParsedVersions[versionId] = script;
    }

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<Guid, System.Management.Automation.Language.ScriptBlockAst> ParsedVersions = new();

    /// <summary>Suspend-SmaJob: the job suspends at its next checkpoint (or ends as usual if it reaches none).</summary>
    public Job Suspend(Guid jobId, string? actor = null)
    {
        var job = _store.Transition(jobId, JobTrigger.Suspend,
            new TransitionChange { Details = $"Suspend requested by {actor ?? Environment.UserName}: the job suspends at its next checkpoint." });
        _runtime.Signal();
        return job;
    }

    /// <summary>Resume-SmaJob: a Suspended job goes to Resuming and any available worker continues it from its checkpoint.</summary>
    public Job Resume(Guid jobId, string? actor = null)
    {
        _runtime.PrepareSessionWorker(anyWorkerMay: _store.GetJob(jobId) is { } before && _store.FindRunbook(before.RunbookId)?.RunbookWorker is null);
        var job = _store.Transition(jobId, JobTrigger.Resume, new TransitionChange { Details = $"Resume requested by {actor ?? Environment.UserName}." });
        var pinned = _store.FindRunbook(job.RunbookId)?.RunbookWorker;
        EnsureWorker(pinned is null);
        return job;
    }

    /// <summary>The session's own worker, if it needs one (<see cref="SmaRuntime.EnsureSessionWorker"/>), and a wake-up.</summary>
    private void EnsureWorker(bool anyWorkerMay) =>
        _runtime.EnsureSessionWorker(anyWorkerMay, () => new WorkerService(_runtime).AnyAvailable());

    public Job Get(Guid id)
    {
        var job = _store.GetJob(id) ?? throw SmaErrors.JobNotFound(id);
        return IsHeld(job) && _runtime.Recovery.CheckJobs(new[] { id }) ? _store.GetJob(id) ?? job : job;
    }

    /// <summary>Jobs as they are now: a job whose worker is dead is recovered before it is shown, never shown Running.</summary>
    public IReadOnlyList<Job> Query(JobQuery query)
    {
        var jobs = _store.QueryJobs(query);
        var held = jobs.Where(IsHeld).Select(j => j.JobId).ToList();
        return held.Count > 0 && _runtime.Recovery.CheckJobs(held) ? _store.QueryJobs(query) : jobs;
    }

    /// <summary>A job some worker may hold: it is lost if that worker is dead.</summary>
    private static bool IsHeld(Job job) =>
        JobTransitions.IsActive(job.State) || job.State == JobStatus.Resuming && job.Worker is not null;

    public IEnumerable<JobStreamRecord> Output(Guid jobId, StreamType? type, DateTime? since)
    {
        Get(jobId);
        foreach (var row in _store.ReadStreams(jobId, type, since))
            yield return new JobStreamRecord(jobId, row.StreamId, row.Time, row.Type, row.Text,
                _runtime.Codec.DecodeXml(row.ValueXml, row.Secret));
    }

    public IReadOnlyList<JobStatusChange> History(Guid jobId)
    {
        Get(jobId);
        return _store.ReadHistory(jobId);
    }

    /// <summary>Status changes and stream records merged in time order (status first on equal times), read lazily.</summary>
    public IEnumerable<JobHistoryRecord> FullHistory(Guid jobId)
    {
        var changes = History(jobId);
        var next = 0;
        foreach (var row in _store.ReadStreams(jobId, null, null))
        {
            for (; next < changes.Count && changes[next].Time <= row.Time; next++)
                yield return StatusLine(changes[next]);
            yield return new JobHistoryRecord
            {
                JobId = jobId, Time = row.Time, RecordType = row.Type.ToString(), Text = row.Text, StreamRecordId = row.StreamId,
            };
        }
        for (; next < changes.Count; next++)
            yield return StatusLine(changes[next]);
    }

    private static JobHistoryRecord StatusLine(JobStatusChange change) => new()
    {
        JobId = change.JobId,
        Time = change.Time,
        RecordType = "Status",
        Status = change.ToStatus,
        Worker = change.Worker,
        Text = $"{change.FromStatus ?? "(new)"} -> {change.ToStatus}" + (change.Details is null ? "" : $": {change.Details}"),
    };

    /// <summary>Stop-SmaJob: a running job goes to Stopping and its worker stops it; a job no worker holds stops at once.</summary>
    public Job Stop(Guid jobId, string? actor = null)
    {
        var job = _store.Transition(
            jobId, JobTrigger.Stop, new TransitionChange { Details = $"Stop requested by {actor ?? Environment.UserName}." },
            (from, worker) => JobTransitions.StopsAtOnce(from, worker) ? JobTrigger.PipelineStopped : null);
        _runtime.Signal();
        _runtime.WakeWorkers();
        // A job whose worker is dead has nobody to stop it: recovery completes the stop now.
        return IsHeld(job) && _runtime.Recovery.CheckJobs(new[] { jobId }) ? _store.GetJob(jobId) ?? job : job;
    }

    /// <summary>Deletes a final job and everything it recorded.</summary>
    public void Remove(Guid jobId) => _store.RemoveJob(jobId);

    /// <summary>Final jobs whose last change is older than <paramref name="cutoff"/>.</summary>
    public IReadOnlyList<Guid> FinalJobsOlderThan(DateTime cutoff) => _store.FinalJobsEndedBefore(cutoff, int.MaxValue);

    /// <summary>
    /// Waits until every job is at rest (ended, or Suspended), or the timeout passes; returns the jobs as last seen.
    /// Polls only the statuses of the jobs still moving (one query), woken by this process's commits.
    /// </summary>
    public IReadOnlyList<Job> Wait(IReadOnlyList<Guid> jobIds, TimeSpan? timeout, Action<int, int>? onPoll, CancellationToken cancel)
    {
        var deadline = timeout is { } t ? DateTime.UtcNow + t : DateTime.MaxValue;
        var moving = new HashSet<Guid>(jobIds);
        var nextWorkerCheck = DateTime.UtcNow + WorkerCheck;
        // Jobs that run in another process (a background or dedicated worker) come to rest there: its nudge wakes
        // this wait as this process's own commits do.
        using var nudges = _runtime.Signals.Listen(Signals.StoreSignal.JobsAtRest, _runtime.Signal);
        while (true)
        {
            var seen = _runtime.Generation;
            var waitingForWorker = false;
            var held = new List<Guid>();
            foreach (var (id, state) in _store.GetStatuses(moving))
            {
                if (JobTransitions.IsAtRest(state.Status))
                    moving.Remove(id);
                else if (state.Status == JobStatus.Queued || state.Status == JobStatus.Resuming && state.Holder is null)
                    waitingForWorker = true;
                else
                    held.Add(id);
            }
            if (DateTime.UtcNow >= nextWorkerCheck)
            {
                // The workers that were there when the job started may have died since: a job a dead worker holds is
                // recovered, and someone waiting for a job makes sure a worker exists to run it (this session's, if
                // no other is alive).
                if (held.Count > 0 && _runtime.Recovery.CheckJobs(held))
                    _runtime.Signal();
                if (waitingForWorker)
                    EnsureWorker(anyWorkerMay: true);
                nextWorkerCheck = DateTime.UtcNow + WorkerCheck;
                if (held.Count > 0 || waitingForWorker)
                    continue; // look again at once: a recovered job may be at rest now
            }
            onPoll?.Invoke(jobIds.Count - moving.Count, jobIds.Count);
            if (moving.Count == 0 || DateTime.UtcNow >= deadline || cancel.IsCancellationRequested)
            {
                var position = new Dictionary<Guid, int>();
                for (var i = jobIds.Count - 1; i >= 0; i--)
                    position[jobIds[i]] = i;
                return _store.QueryJobs(new JobQuery { Ids = position.Keys.ToList() }).OrderBy(j => position[j.JobId]).ToList();
            }
            var left = deadline - DateTime.UtcNow;
            _runtime.WaitForChange(seen, left < WaitPoll ? left : WaitPoll);
            // Commits can come thousands a second; re-reading statuses on each would cost more than the jobs.
            // A long list is read in chunks, so it is read less often.
            Thread.Sleep(WaitFloor * Math.Clamp(moving.Count / 500, 1, 100));
        }
    }

    private static readonly TimeSpan WaitFloor = TimeSpan.FromMilliseconds(10);
    private static readonly TimeSpan WorkerCheck = TimeSpan.FromSeconds(1);

    /// <summary>What JobParameters shows for a value that holds a secret.</summary>
    private static string MaskedText(object? value) => (value is PSObject p ? p.BaseObject : value) switch
    {
        PSCredential credential => $"PSCredential (UserName: {credential.UserName}, Password: ********)",
        SecureString => "********",
        _ => "******** (the value holds a secret)",
    };
}
