using System.Collections.Concurrent;
using Sma.Engine.Model;
using Sma.Engine.States;

namespace Sma.Engine.Store.PostgreSql;

public sealed partial class PostgresStore
{
    // The state this process last left each job it holds in: claimed, or moved by a change it wrote. A worker's next
    // change to its job (Running, then Completed) is planned from it without reading the row first; the compare-and-set
    // checks it all the same, so a job someone else moved since (a stop request, a recovery) fails it and is read as
    // usual. Only held, unfinished jobs are kept: a job released or ended is forgotten.
    private readonly ConcurrentDictionary<Guid, JobState> _knownStates = new();

    /// <summary>A bound on what is kept: a process holds at most a few throttle limits' worth of jobs.</summary>
    private const int KnownStatesLimit = 10_000;

    private JobState? KnownState(Guid jobId) => _knownStates.TryGetValue(jobId, out var state) ? state : null;

    private void KnowState(Guid jobId, JobState state)
    {
        if (state.Holder is null || JobTransitions.IsFinal(state.Status))
        {
            ForgetState(jobId);
            return;
        }
        if (_knownStates.Count >= KnownStatesLimit)
            _knownStates.Clear(); // only a guess is lost: the next change reads the row
        _knownStates[jobId] = state;
    }

    private void ForgetState(Guid jobId) => _knownStates.TryRemove(jobId, out _);
}
