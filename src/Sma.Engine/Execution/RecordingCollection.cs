using System.Management.Automation;

namespace Sma.Engine.Execution;

/// <summary>
/// Pipeline stream collections that hand each item to a sink as it is written and keep nothing, so a job that
/// writes millions of records runs in bounded memory. DataAdded is raised synchronously on the writing thread,
/// which keeps one ordered sequence across stream kinds.
/// </summary>
internal static class RecordingCollection
{
    public static PSDataCollection<T> Create<T>(Action<T> sink)
    {
        var collection = new PSDataCollection<T>();
        // PowerShell Standard does not expose InsertItem to override, so drain the collection as items arrive.
        collection.DataAdded += (_, _) =>
        {
            foreach (var item in collection.ReadAll())
                sink(item);
        };
        return collection;
    }
}

/// <summary>
/// The job's output list: PowerShell's Invoke(input, IList) adds each output object here as it is written; it is
/// handed to the sink and not kept. Cheaper than a collection's DataAdded event (no event, no ReadAll per object).
/// </summary>
internal sealed class RecordingList<T> : IList<T>
{
    private readonly Action<T> _sink;

    public RecordingList(Action<T> sink) => _sink = sink;

    public int Count => 0;
    public bool IsReadOnly => false;

    public T this[int index]
    {
        get => throw new ArgumentOutOfRangeException(nameof(index));
        set => throw new ArgumentOutOfRangeException(nameof(index));
    }

    public void Add(T item) => _sink(item);
    public void Insert(int index, T item) => _sink(item);
    public void Clear() { }
    public bool Contains(T item) => false;
    public void CopyTo(T[] array, int arrayIndex) { }
    public int IndexOf(T item) => -1;
    public bool Remove(T item) => false;
    public void RemoveAt(int index) => throw new ArgumentOutOfRangeException(nameof(index));
    public IEnumerator<T> GetEnumerator() => Enumerable.Empty<T>().GetEnumerator();
    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
}
