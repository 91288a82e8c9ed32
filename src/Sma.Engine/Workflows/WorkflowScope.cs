using System.Collections;
using System.Management.Automation;

namespace Sma.Engine.Workflows;

/// <summary>
/// The workflow's variables as the branches of a parallel block see them through <c>$Workflow:name</c> (translated to
/// <c>$__SmaWorkflowScope['name']</c>): reads give the current value, writes change the workflow's variable at once,
/// under one lock shared by every branch (and nested block) of the outermost block. Variables the branches create
/// are added to the workflow's scope when that block ends, on the job's own thread.
/// </summary>
internal sealed class WorkflowVariables
{
    private readonly Dictionary<string, PSVariable> _existing;
    private readonly Dictionary<string, PSVariable> _created = new(StringComparer.OrdinalIgnoreCase);

    public WorkflowVariables(IEnumerable<PSVariable> visible)
    {
        _existing = new Dictionary<string, PSVariable>(StringComparer.OrdinalIgnoreCase);
        foreach (var variable in visible)
            _existing.TryAdd(variable.Name, variable);
    }

    /// <summary>Held for a whole read-modify-write ('$Workflow:x += 1'); reentrant.</summary>
    public object Gate { get; } = new();

    public bool TryGet(string name, out object? value)
    {
        lock (Gate)
        {
            if (_existing.TryGetValue(name, out var variable) || _created.TryGetValue(name, out variable))
            {
                value = variable.Value;
                return true;
            }
        }
        value = null;
        return false;
    }

    public void Set(string name, object? value)
    {
        lock (Gate)
        {
            if (_existing.TryGetValue(name, out var variable) || _created.TryGetValue(name, out variable))
                variable.Value = value; // a type constraint converts here, as '$x = value' would
            else
                _created[name] = new PSVariable(name, value);
        }
    }

    /// <summary>Every workflow variable and its value now (for a checkpoint taken in a branch).</summary>
    public Hashtable Snapshot()
    {
        var state = new Hashtable(StringComparer.OrdinalIgnoreCase);
        lock (Gate)
        {
            foreach (var (name, variable) in _existing.Concat(_created))
                state[name] = variable.Value;
        }
        return state;
    }

    /// <summary>The variables the branches created, for the workflow's scope.</summary>
    public IReadOnlyList<PSVariable> Created()
    {
        lock (Gate)
            return _created.Values.ToList();
    }

    public ICollection Names()
    {
        lock (Gate)
            return _existing.Keys.Concat(_created.Keys).ToList();
    }
}

/// <summary>
/// <c>$__SmaWorkflowScope</c> in a branch runspace: the workflow's variables (<see cref="WorkflowVariables"/>); a write
/// also updates the branch's own copy of the variable, so the branch reads back what it wrote. Public only so
/// PowerShell can use it.
/// </summary>
public sealed class WorkflowScope : IDictionary
{
    private readonly IReadOnlyDictionary<string, PSVariable> _copies;

    internal WorkflowScope(WorkflowVariables variables, IReadOnlyDictionary<string, PSVariable> copies)
    {
        Variables = variables;
        _copies = copies;
    }

    internal WorkflowVariables Variables { get; }

    /// <summary>Starts a read-modify-write of workflow variables that no other branch may interleave.</summary>
    public void Enter() => Monitor.Enter(Variables.Gate);

    public void Exit() => Monitor.Exit(Variables.Gate);

    public object? this[object key]
    {
        get => Variables.TryGet(Name(key), out var value) ? value : null;
        set
        {
            var name = Name(key);
            Variables.Set(name, value);
            if (_copies.TryGetValue(name, out var copy))
                copy.Value = value;
        }
    }

    public bool Contains(object key) => Variables.TryGet(Name(key), out _);

    public ICollection Keys => Variables.Names();
    public ICollection Values => Variables.Names().Cast<string>().Select(n => this[n]).ToList();
    public bool IsReadOnly => false;
    public bool IsFixedSize => false;
    public int Count => Variables.Names().Count;
    public object SyncRoot => Variables.Gate;
    public bool IsSynchronized => true;

    public void Add(object key, object? value) => this[key] = value;
    public void Clear() => throw new NotSupportedException("Workflow variables cannot be cleared from a branch.");
    public void Remove(object key) => throw new NotSupportedException("Workflow variables cannot be removed from a branch.");
    public void CopyTo(Array array, int index) => throw new NotSupportedException();

    public IDictionaryEnumerator GetEnumerator()
    {
        var table = new Hashtable(StringComparer.OrdinalIgnoreCase);
        foreach (string name in Variables.Names())
            table[name] = this[name];
        return table.GetEnumerator();
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private static string Name(object key) => (key is PSObject p ? p.BaseObject : key)?.ToString() ?? "";
}
