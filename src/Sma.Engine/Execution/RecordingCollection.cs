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
