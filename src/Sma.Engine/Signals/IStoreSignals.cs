namespace Sma.Engine.Signals;

/// <summary>What a nudge between processes is about.</summary>
public enum StoreSignal
{
    /// <summary>Work for workers: a job was queued or resumed, or a stop was asked for.</summary>
    Work,

    /// <summary>A job came to rest (ended or suspended): for sessions waiting on jobs.</summary>
    JobsAtRest,
}

/// <summary>
/// Nudges between the processes that share one store, so an idle worker or a waiting session looks at the store now
/// rather than at its next poll. A nudge carries no data and may be lost: everyone still polls, a nudge only shortens
/// the wait. Kept out of the store, which only persists: SQLite has no notifications, so processes on one machine use
/// <see cref="LocalSocketSignals"/>; a server store can implement this with its own (PostgreSQL's LISTEN/NOTIFY).
/// </summary>
public interface IStoreSignals : IDisposable
{
    /// <summary>
    /// Calls <paramref name="onSignal"/> whenever another process sends <paramref name="signal"/>, until the result
    /// is disposed. Never throws: a listener that cannot be set up only means the listener polls.
    /// </summary>
    IDisposable Listen(StoreSignal signal, Action onSignal);

    /// <summary>Nudges the other processes that listen for <paramref name="signal"/>. Never blocks, never throws.</summary>
    void Send(StoreSignal signal);
}

/// <summary>No nudges: everyone polls (a store whose processes cannot reach each other).</summary>
public sealed class NoStoreSignals : IStoreSignals
{
    public static NoStoreSignals Instance { get; } = new();

    public IDisposable Listen(StoreSignal signal, Action onSignal) => Nothing.Instance;

    public void Send(StoreSignal signal) { }

    public void Dispose() { }

    private sealed class Nothing : IDisposable
    {
        public static Nothing Instance { get; } = new();

        public void Dispose() { }
    }
}
