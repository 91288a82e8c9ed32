using System.Text.RegularExpressions;

namespace Sma.Engine.Store;

/// <summary>
/// Chooses the backend from the store setting (DESIGN §12): a <c>postgresql://</c> (or <c>postgres://</c>) URI or a
/// key=value connection string (<c>Host=db1;Database=sma</c>) is a PostgreSQL store; anything else is the path of a
/// SQLite file. The one place that knows the backends.
/// </summary>
public static partial class StoreFactory
{
    /// <summary>True when <paramref name="store"/> names a PostgreSQL server rather than a file.</summary>
    public static bool IsServer(string store)
    {
        var text = store.Trim();
        return text.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase)
            || text.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase)
            || ConnectionStringStart().IsMatch(text);
    }

    /// <summary>The key a runtime is cached under: a full file path, or the connection text as given.</summary>
    public static string Normalize(string store) => IsServer(store) ? store.Trim() : Path.GetFullPath(store);

    /// <summary>Opens (creating or migrating) the store <paramref name="store"/> names.</summary>
    public static IJobStore Open(string store) => IsServer(store)
        ? PostgreSql.PostgresStore.Open(store.Trim())
        : SqliteStore.Open(store);

    // A connection string starts with one of Npgsql's connection keywords, so a file named "a=b.db" stays a file.
    [GeneratedRegex(@"^(host|server|port|database|db|username|user ?id|userid|user|password|pwd)\s*=", RegexOptions.IgnoreCase)]
    private static partial Regex ConnectionStringStart();
}
