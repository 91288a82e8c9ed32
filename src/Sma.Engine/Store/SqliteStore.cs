using System.Data;
using Dapper;
using Microsoft.Data.Sqlite;

namespace Sma.Engine.Store;

/// <summary>
/// The SQLite store: one file, WAL journal, busy timeout, foreign keys, forward migrations, owner-only on Unix.
/// This part opens, validates and migrates the file and runs transactions; the other parts hold the queries.
/// </summary>
public sealed partial class SqliteStore : IJobStore, IStoreSeeding, IReplaceableStore
{
    private const int BusyTimeoutMs = 5000;
    private static readonly TimeSpan BusyRetryBudget = TimeSpan.FromSeconds(120);
    private const int MaxIdleConnections = 16;
    private readonly string _connectionString;
    private readonly System.Collections.Concurrent.ConcurrentBag<SqliteConnection> _idle = new();
    private volatile bool _disposed;
    private string? _storeId;
    private long _lastVerified;
    private SmaException? _broken;

    static SqliteStore()
    {
        DefaultTypeMap.MatchNamesWithUnderscores = true;
    }

    private SqliteStore(string path)
    {
        Location = path;
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWrite,
            Cache = SqliteCacheMode.Private,
            Pooling = false, // the store keeps its own configured connections (see Rent)
            ForeignKeys = true,
            DefaultTimeout = (int)BusyRetryBudget.TotalSeconds,
        }.ToString();
    }

    /// <summary>The store file.</summary>
    public string Location { get; }

    public string Description => Location;

    public DateTime ReadClock() => DateTime.UtcNow;

    /// <summary>
    /// Opens the store at <paramref name="path"/>, creating it (owner-only) when the file does not exist.
    /// A file that is not an Sma store, or has a newer schema, is refused without being modified.
    /// </summary>
    public static SqliteStore Open(string path)
    {
        path = Path.GetFullPath(path);
        var folder = Path.GetDirectoryName(path)!;
        if (!Directory.Exists(folder))
            throw SmaErrors.StoreFolderMissing(path);

        var info = new FileInfo(path);
        if (info.Exists && info.Length > 0)
            Inspect(path);
        else if (!info.Exists)
            CreateOwnerOnly(path);

        var store = new SqliteStore(path);
        try
        {
            store.Migrate();
            store._storeId = store.ReadStoreId(store._connectionString);
            store._lastVerified = Environment.TickCount64;
        }
        catch (SqliteException e)
        {
            throw SmaErrors.StoreUnavailable(path, e);
        }
        return store;
    }

    /// <summary>
    /// Reads the SQLite header bytes directly — no connection, so a foreign file is never touched (even a read-only
    /// connection to a WAL database leaves -wal and -shm files beside it).
    /// </summary>
    private static void Inspect(string path)
    {
        var header = new byte[100];
        int read;
        try
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            read = file.ReadAtLeast(header, header.Length, throwOnEndOfStream: false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw SmaErrors.StoreUnavailable(path, e);
        }
        if (read < header.Length || !header.AsSpan(0, 16).SequenceEqual("SQLite format 3\0"u8))
            throw SmaErrors.StoreNotAStore(path, "it is not a SQLite database, or it is damaged");
        static int BigEndian(byte[] b, int at) => System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(b.AsSpan(at, 4));
        var schemaCookie = BigEndian(header, 40);
        var version = BigEndian(header, 60);
        var appId = BigEndian(header, 68);
        // An empty database (no schema yet) may become a store; anything else must carry our mark.
        if (appId != Schema.ApplicationId && !(appId == 0 && schemaCookie == 0))
            throw SmaErrors.StoreNotAStore(path, "it is a SQLite database of another application");
        if (version > Schema.CurrentVersion)
            throw SmaErrors.StoreTooNew(path, version, Schema.CurrentVersion);
    }

    private static void CreateOwnerOnly(string path)
    {
        try
        {
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            using var _ = new FileStream(path, options);
        }
        catch (IOException) when (File.Exists(path))
        {
            // Another process created it first; it will be inspected by the migration's checks.
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw SmaErrors.StoreUnavailable(path, e);
        }
    }

    private void Migrate()
    {
        using var c = Connect();
        c.Execute("PRAGMA journal_mode=WAL");
        if (c.ExecuteScalar<long>("PRAGMA user_version") == Schema.CurrentVersion)
            return;

        Write(tx =>
        {
            var conn = tx.Connection!;
            var version = conn.ExecuteScalar<long>("PRAGMA user_version", transaction: tx);
            if (version > Schema.CurrentVersion)
                throw SmaErrors.StoreTooNew(Location, (int)version, Schema.CurrentVersion);
            for (var v = (int)version; v < Schema.CurrentVersion; v++)
                conn.Execute(Schema.Migrations[v], transaction: tx);
            // PRAGMAs take no parameters; these values are our own integer constants.
            conn.Execute($"PRAGMA application_id = {Schema.ApplicationId}", transaction: tx);
            conn.Execute($"PRAGMA user_version = {Schema.CurrentVersion}", transaction: tx);
            return 0;
        });
    }

    /// <summary>An open connection with the per-connection settings applied.</summary>
    internal SqliteConnection Connect()
    {
        var c = new SqliteConnection(_connectionString);
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = $"PRAGMA busy_timeout = {BusyTimeoutMs}; PRAGMA synchronous = NORMAL;";
        cmd.ExecuteNonQuery();
        return c;
    }

    /// <summary>
    /// A configured connection from the store's own pool (opening one and applying its PRAGMAs costs more than most
    /// queries); returned to the pool when the lease is disposed.
    /// </summary>
    internal ConnectionLease Rent()
    {
        Verify();
        return new(this, _idle.TryTake(out var c) ? c : Connect());
    }

    /// <summary>Set once the file was found deleted or replaced; every later call fails with it.</summary>
    public SmaException? Broken => _broken;

    /// <summary>
    /// At most once a second: is the file still the store this session opened? Open connections would otherwise
    /// go on writing into a deleted file, or into whatever now sits at the path.
    /// </summary>
    private void Verify()
    {
        if (_broken is not null)
            throw _broken;
        if (_storeId is null)
            return; // still opening (migrating): nothing to compare with yet
        var now = Environment.TickCount64;
        if (now - Interlocked.Read(ref _lastVerified) < 1000)
            return;
        Interlocked.Exchange(ref _lastVerified, now);
        SmaException? problem = null;
        if (!File.Exists(Location))
        {
            problem = SmaErrors.StoreGone(Location);
        }
        else
        {
            try
            {
                var id = ReadStoreId(new SqliteConnectionStringBuilder
                {
                    DataSource = Location, Mode = SqliteOpenMode.ReadOnly, Pooling = false,
                }.ToString());
                if (id != _storeId)
                    problem = SmaErrors.StoreReplaced(Location, "it holds another store");
            }
            catch (SqliteException e)
            {
                problem = SmaErrors.StoreReplaced(Location, e.Message);
            }
        }
        if (problem is null)
            return;
        _broken = problem;
        Dispose();
        throw problem;
    }

    private string? ReadStoreId(string connectionString)
    {
        using var c = new SqliteConnection(connectionString);
        c.Open();
        return c.ExecuteScalar<string?>("SELECT value FROM admin_configuration WHERE key = 'StoreId'");
    }

    internal void Return(SqliteConnection connection)
    {
        if (!_disposed && connection.State == System.Data.ConnectionState.Open && _idle.Count < MaxIdleConnections)
            _idle.Add(connection);
        else
            connection.Dispose();
    }

    internal readonly struct ConnectionLease : IDisposable
    {
        private readonly SqliteStore _store;

        public ConnectionLease(SqliteStore store, SqliteConnection connection)
        {
            _store = store;
            Connection = connection;
        }

        public SqliteConnection Connection { get; }

        public void Dispose() => _store.Return(Connection);
    }

    internal T Read<T>(Func<SqliteConnection, T> work)
    {
        using var lease = Rent();
        return work(lease.Connection);
    }

    /// <summary>
    /// Runs <paramref name="work"/> in one IMMEDIATE transaction. SQLITE_BUSY is retried with backoff inside the
    /// budget, so a busy store never reaches a user as an error.
    /// </summary>
    internal T Write<T>(Func<SqliteTransaction, T> work)
    {
        var started = DateTime.UtcNow;
        var delay = 5;
        while (true)
        {
            try
            {
                using var lease = Rent();
                using var tx = lease.Connection.BeginTransaction(IsolationLevel.Serializable, deferred: false);
                var result = work(tx);
                tx.Commit();
                return result;
            }
            catch (SqliteException e) when (e.SqliteErrorCode is 5 or 6 && DateTime.UtcNow - started < BusyRetryBudget)
            {
                Thread.Sleep(Random.Shared.Next(delay, delay * 2));
                delay = Math.Min(delay * 2, 200);
            }
        }
    }

    internal static long Ticks(DateTime time) => time.ToUniversalTime().Ticks;

    internal static DateTime Utc(long ticks) => new(ticks, DateTimeKind.Utc);

    internal static DateTime? Utc(long? ticks) => ticks is { } t ? Utc(t) : null;

    internal static long Now() => DateTime.UtcNow.Ticks;

    public void Dispose()
    {
        // Idle connections keep the file open; close them so the file can be moved or deleted.
        _disposed = true;
        while (_idle.TryTake(out var c))
            c.Dispose();
    }
}
