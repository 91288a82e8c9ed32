using System.Collections;
using System.Management.Automation;
using Sma.Engine.Execution;

namespace Sma.Engine.Workflows;

/// <summary>
/// The one place that knows, per block still running, which branches of a Parallel block and which items of a
/// foreach -parallel have completed, and the items a foreach -parallel walks. One ledger per job, shared by its
/// branch runspaces. It lives in the job's resume state (<see cref="JobContext.SetResumeState"/>), so every checkpoint
/// keeps it; a resumed run reads it back and runs again, of a block it re-enters, only what had not completed, over the
/// items it had (not those its expression gives now). A block's entry goes when the block ends.
/// </summary>
public sealed class ParallelLedger
{
    /// <summary>The key of the ledger in the job's resume state.</summary>
    internal const string StateKey = "Sma.ParallelLedger";

    private readonly Action<string, object?> _write;
    private readonly object _gate = new();
    private readonly Dictionary<string, Entry> _blocks = new(StringComparer.Ordinal);

    private sealed class Entry
    {
        public SortedSet<int> Done { get; } = new();
        public object?[]? Items { get; set; }
    }

    /// <summary>The ledger of a job, read from its resume state and written back to it on every change.</summary>
    internal ParallelLedger(JobContext job)
        : this(job.ResumeState, job.SetResumeState)
    {
    }

    /// <summary>A ledger over any resume state: <paramref name="read"/> and <paramref name="write"/> take <see cref="StateKey"/>.</summary>
    internal ParallelLedger(Func<string, object?> read, Action<string, object?> write)
    {
        _write = write;
        Read(read(StateKey));
    }

    /// <summary>True when the branch or item <paramref name="index"/> of block <paramref name="block"/> has completed.</summary>
    public bool IsDone(string block, int index)
    {
        lock (_gate)
            return _blocks.TryGetValue(block, out var entry) && entry.Done.Contains(index);
    }

    /// <summary>
    /// A foreach -parallel starts: the items it had when a checkpoint kept it (deserialized), else
    /// <paramref name="items"/>, which are then kept with the next checkpoints.
    /// </summary>
    internal IReadOnlyList<object?> Items(string block, IReadOnlyList<object?> items)
    {
        lock (_gate)
        {
            var entry = Get(block);
            if (entry.Items is { } kept)
                return kept;
            entry.Items = items.ToArray();
            Save();
            return items;
        }
    }

    internal void MarkDone(string block, int index)
    {
        lock (_gate)
        {
            if (Get(block).Done.Add(index))
                Save();
        }
    }

    /// <summary>The block ended (all done, failed or stopped): nothing of it, or of blocks nested in it, is kept.</summary>
    internal void Forget(string block)
    {
        lock (_gate)
        {
            var gone = _blocks.Keys.Where(k => k == block || k.StartsWith(block + "/", StringComparison.Ordinal)).ToList();
            foreach (var key in gone)
                _blocks.Remove(key);
            if (gone.Count > 0)
                Save();
        }
    }

    /// <summary>The completed branches and items of the blocks now running, by block key.</summary>
    public IReadOnlyDictionary<string, int[]> Snapshot()
    {
        lock (_gate)
            return _blocks.Where(b => b.Value.Done.Count > 0).ToDictionary(b => b.Key, b => b.Value.Done.ToArray(), StringComparer.Ordinal);
    }

    private Entry Get(string block)
    {
        if (!_blocks.TryGetValue(block, out var entry))
            _blocks[block] = entry = new Entry();
        return entry;
    }

    /// <summary>Hands the ledger to the job's resume state (a fresh copy: the state is serialized at each checkpoint).</summary>
    private void Save()
    {
        if (_blocks.Count == 0)
        {
            _write(StateKey, null);
            return;
        }
        var table = new Hashtable(StringComparer.Ordinal);
        foreach (var (block, entry) in _blocks)
        {
            table[block] = new Hashtable
            {
                ["Done"] = entry.Done.ToArray(),
                ["Items"] = entry.Items,
            };
        }
        _write(StateKey, table);
    }

    /// <summary>Reads what a checkpoint kept: after a resume, deserialized (arrays come back as lists).</summary>
    private void Read(object? state)
    {
        if (Unwrap(state) is not IDictionary table)
            return;
        foreach (DictionaryEntry block in table)
        {
            if (Unwrap(block.Value) is not IDictionary saved)
                continue;
            var entry = new Entry();
            foreach (var index in Elements(saved["Done"]) ?? Enumerable.Empty<object?>())
                entry.Done.Add(LanguagePrimitives.ConvertTo<int>(Unwrap(index)));
            entry.Items = Elements(saved["Items"])?.ToArray();
            _blocks[block.Key.ToString()!] = entry;
        }
    }

    private static IEnumerable<object?>? Elements(object? value) =>
        Unwrap(value) is IEnumerable items and not string and not IDictionary ? items.Cast<object?>() : null;

    private static object? Unwrap(object? value) => value is PSObject { BaseObject: not PSCustomObject } p ? p.BaseObject : value;
}
