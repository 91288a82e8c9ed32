namespace Sma.Engine.Store;

/// <summary>
/// A store whose backing file can be deleted or replaced under the process (SQLite). The runtime asks it whether that
/// happened so it can let go of the store and open what is there now.
/// </summary>
public interface IReplaceableStore
{
    /// <summary>Set when the store went away under this process; it is then unusable.</summary>
    SmaException? Broken { get; }
}
