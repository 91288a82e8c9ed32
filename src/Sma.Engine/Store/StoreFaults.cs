using Microsoft.Data.Sqlite;

namespace Sma.Engine.Store;

/// <summary>Which store errors are worth retrying (they pass) and which are not (the same write will fail again).</summary>
internal static class StoreFaults
{
    // SQLite primary result codes: BUSY 5, LOCKED 6, IOERR 10, FULL 13, CANTOPEN 14, PROTOCOL 15.
    private static readonly HashSet<int> Passing = new() { 5, 6, 10, 13, 14, 15 };

    /// <summary>
    /// True for a busy or locked database, an I/O blip, a full disk, or a file that could not be opened for a moment.
    /// A constraint, a value too big, a corrupt file or a bug is not transient: retrying the same write cannot help.
    /// </summary>
    public static bool IsTransient(Exception e) => e switch
    {
        SqliteException sqlite => Passing.Contains(sqlite.SqliteErrorCode),
        IOException or TimeoutException => true,
        _ => false,
    };
}
