using System.Collections;
using System.Management.Automation;
using System.Runtime.CompilerServices;

namespace Sma.Engine.Execution.Resume;

/// <summary>
/// A foreach's collection (or a switch's input) captured once, walked by index so a checkpoint can record which
/// element the loop is at and keep the elements still to come. PowerShell enumerates it like any collection, so
/// <c>break</c>, <c>continue</c>, labels and <c>$foreach</c>/<c>$switch</c> behave as usual.
/// </summary>
public sealed class LoopWalk : IEnumerable
{
    private readonly IList<object?> _items; // the elements from _start on
    private readonly int _start;
    private volatile int _position;

    internal LoopWalk(IList<object?> items, int start)
    {
        _items = items;
        _start = start;
        _position = start - 1;
    }

    /// <summary>The element the loop is at (0-based, over the whole collection); one less before the first.</summary>
    internal int Position => _position;

    /// <summary>The elements from the current one on: what a resume needs.</summary>
    internal object?[] Remaining()
    {
        var from = Math.Max(0, _position - _start);
        var rest = new object?[Math.Max(0, _items.Count - from)];
        for (var i = 0; i < rest.Length; i++)
            rest[i] = _items[from + i];
        return rest;
    }

    public IEnumerator GetEnumerator() => new Walker(this);

    private sealed class Walker : IEnumerator
    {
        private readonly LoopWalk _walk;
        private int _index = -1;

        public Walker(LoopWalk walk) => _walk = walk;

        public object? Current => _index >= 0 && _index < _walk._items.Count ? _walk._items[_index] : null;

        public bool MoveNext()
        {
            if (_index + 1 >= _walk._items.Count)
            {
                _index = _walk._items.Count;
                return false;
            }
            _index++;
            _walk._position = _walk._start + _index;
            return true;
        }

        public void Reset()
        {
            _index = -1;
            _walk._position = _walk._start - 1;
        }
    }
}

/// <summary>
/// The object behind <c>$__SmaPath</c> in a job's runspace: called only by the text the engine writes around the
/// runbook (see RunbookRewriter), never by runbooks. Keeps the loops that are walking and the statement the main
/// script last marked as calling a helper that checkpoints from other threads.
/// </summary>
public sealed class PathTracker
{
    private const string CatchMessage = "The job resumed inside this catch block after a checkpoint; the original error is not available.";

    private readonly LoopWalk?[] _active;
    private readonly Dictionary<int, LoopWalk> _restored = new();
    private volatile Mark? _mark;
    private int _calls; // checkpoints taken through calls since the last mark
    private int _watched = -2; // the site of the statement a resumed run runs again (-1: one that does not mark itself)
    private int _watchedMarks; // how often it marked itself since the run resumed
    private int _marks; // marks since the run resumed

    internal PathTracker(int loops) => _active = new LoopWalk?[loops];

    internal sealed record Mark(int Site, string? Location);

    /// <summary>Captures a foreach's collection (a switch's input comes as an array) and walks it.</summary>
    public LoopWalk Loop(int id, object? value)
    {
        var items = new List<object?>();
        if (LanguagePrimitives.GetEnumerator(value) is { } enumerator)
        {
            while (enumerator.MoveNext())
                items.Add(enumerator.Current);
        }
        else if (value is not null)
        {
            items.Add(value);
        }
        return _active[id] = new LoopWalk(items, 0);
    }

    /// <summary>Resuming: the loop's collection and position as the checkpoint kept them.</summary>
    public LoopWalk Rewalk(int id)
    {
        if (!_restored.Remove(id, out var walk))
            throw new InvalidOperationException($"The checkpoint has no captured collection for loop {id}.");
        return _active[id] = walk;
    }

    /// <summary><c>switch -File</c>: the file's lines, captured like any switch input.</summary>
    public LoopWalk FileLines(int id, object? path, SessionState state)
    {
        var resolved = state.Path.GetResolvedProviderPathFromPSPath(LanguagePrimitives.ConvertTo<string>(path), out _);
        return Loop(id, File.ReadAllLines(resolved[0]));
    }

    /// <summary>The main script is about to run the statement of site <paramref name="id"/>, which may checkpoint through a call.</summary>
    public void Site(int id) => Marked(new Mark(id, null));

    /// <summary>The same, for a statement calling a helper that checkpoints from other threads: keeps the location too.</summary>
    public void Site(int id, SessionState state) => Marked(new Mark(id, state.Path.CurrentFileSystemLocation?.ProviderPath));

    private void Marked(Mark mark)
    {
        _mark = mark;
        _calls = 0;
        _marks++;
        if (mark.Site == _watched)
            _watchedMarks++;
    }

    /// <summary>Resuming inside a catch block: an exception its type filter takes (null: a catch-all).</summary>
    public Exception CatchSignal(Type? type)
    {
        if (type is null)
            return new Exception(CatchMessage);
        if (type.IsAbstract || !typeof(Exception).IsAssignableFrom(type))
            throw new InvalidOperationException($"The job cannot resume inside 'catch [{type.FullName}]': no exception of that type can be made.");
        try
        {
            if (type.GetConstructor(new[] { typeof(string) }) is { } withMessage)
                return (Exception)withMessage.Invoke(new object[] { CatchMessage });
            if (type.GetConstructor(Type.EmptyTypes) is { } plain)
                return (Exception)plain.Invoke(null);
        }
        catch (System.Reflection.TargetInvocationException)
        {
            // fall through to an instance made without a constructor
        }
        return (Exception)RuntimeHelpers.GetUninitializedObject(type);
    }

    internal LoopWalk? Active(int id) => id >= 0 && id < _active.Length ? _active[id] : null;

    internal Mark? LastMark => _mark;

    /// <summary>Counts a checkpoint taken through a call: its number since the statement's mark.</summary>
    internal int NextCallCheckpoint() => ++_calls;

    /// <summary>The run resumed by running again the statement of <paramref name="site"/> (-1: unmarked).</summary>
    internal void Resumed(int site)
    {
        _watched = site;
        _watchedMarks = 0;
        _marks = 0;
    }

    /// <summary>
    /// Still inside the first run again of the resumed statement: it marked itself once since the resume and no
    /// other statement marked itself since (for an unmarked statement: nothing marked itself since the resume).
    /// </summary>
    internal bool InResumedStatement => _watched >= 0
        ? _watchedMarks == 1 && _mark?.Site == _watched
        : _watched == -1 && _marks == 0;

    internal void Restore(int id, LoopWalk walk) => _restored[id] = walk;

    internal static LoopWalk Restored(IList<object?> remaining, int position) => new(remaining, position);
}
