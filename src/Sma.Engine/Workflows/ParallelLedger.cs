using System.Collections.Concurrent;

namespace Sma.Engine.Workflows;

/// <summary>
/// The one place that knows which branches of a Parallel block, and which items of a foreach -parallel, have
/// completed, per block that is still running (a block's entry goes when the block ends). One ledger per job, shared
/// by its branch runspaces. Meant to be saved with each checkpoint (<see cref="Snapshot"/>) and given back on resume
/// (<see cref="Restore"/>) so that completed branches and items are not run again; the checkpoint store does not
/// call these yet.
/// </summary>
public sealed class ParallelLedger
{
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<int, byte>> _done = new(StringComparer.Ordinal);

    /// <summary>True when the branch or item <paramref name="index"/> of block <paramref name="block"/> has completed.</summary>
    public bool IsDone(string block, int index) => _done.TryGetValue(block, out var set) && set.ContainsKey(index);

    internal void MarkDone(string block, int index) => _done.GetOrAdd(block, _ => new ConcurrentDictionary<int, byte>())[index] = 0;

    /// <summary>The block ended (all done, or failed): nothing of it is remembered.</summary>
    internal void Forget(string block)
    {
        foreach (var key in _done.Keys.Where(k => k == block || k.StartsWith(block + "/", StringComparison.Ordinal)))
            _done.TryRemove(key, out _);
    }

    /// <summary>The completed branches and items of the blocks now running, by block key.</summary>
    public IReadOnlyDictionary<string, int[]> Snapshot() =>
        _done.ToDictionary(kv => kv.Key, kv => kv.Value.Keys.OrderBy(i => i).ToArray(), StringComparer.Ordinal);

    /// <summary>Puts back what a checkpoint saved, before the job runs again.</summary>
    public void Restore(IReadOnlyDictionary<string, int[]> completed)
    {
        _done.Clear();
        foreach (var (block, indexes) in completed)
        {
            foreach (var index in indexes)
                MarkDone(block, index);
        }
    }
}
