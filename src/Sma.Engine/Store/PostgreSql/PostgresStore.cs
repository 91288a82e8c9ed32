using System.Data;
using Dapper;
using Npgsql;

namespace Sma.Engine.Store.PostgreSql;

/// <summary>
/// The PostgreSQL store (DESIGN §12): workers on many machines share one database. This part connects, migrates the
/// schema on first use, runs transactions (retrying serialization failures and deadlocks), keeps the server's clock,
/// and listens for NOTIFY so idle workers elsewhere wake at once; the other parts hold the queries.
/// </summary>
public sealed partial class PostgresStore : IJobStore, IStoreSeeding, IStoreNotifications
{
    private const string Channel = "sma_jobs";
    private static readonly TimeSpan RetryBudget = TimeSpan.FromSeconds(120);
    private static readonly TimeSpan ClockRefresh = TimeSpan.FromSeconds(30);
    private readonly NpgsqlDataSource _source;
    private readonly Func<DateTime> _localClock;
    private readonly object _clockLock = new();
    private TimeSpan _clockOffset;
    private long _clockMeasured;
    private string? _storeId;
    private Thread? _listener;
    private volatile bool _disposed;
    private Action<JobsChange>? _jobsChanged;

    static PostgresStore()
    {
        DefaultTypeMap.MatchNamesWithUnderscores = true;
    }

    private PostgresStore(string connectionString, Func<DateTime> localClock)
    {
        var builder = WithDefaults(connectionString);
        Description = $"PostgreSQL {builder.Host}:{builder.Port}/{builder.Database}";
        _source = NpgsqlDataSource.Create(builder.ConnectionString);
        _localClock = localClock;
    }

    /// <summary>The connection settings with the store's defaults for what the text leaves unsaid.</summary>
    internal static NpgsqlConnectionStringBuilder WithDefaults(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (string.IsNullOrEmpty(builder.ApplicationName))
            builder.ApplicationName = "Sma";
        // The same few dozen statements run for every job: prepared once per connection, the server skips parsing
        // and planning them (a claim's round trip 2-3 ms shorter here, NOTIFY to Running p50 ~12 -> ~9 ms). A
        // connection text that names its own limit keeps it, 0 included (a pooler that cannot keep prepared
        // statements): Npgsql's builder says 0 whether or not it was given, the plain parse tells.
        var given = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString };
        if (!given.Keys.Cast<string>().Any(k => k.Replace(" ", "").Equals("MaxAutoPrepare", StringComparison.OrdinalIgnoreCase)))
            builder.MaxAutoPrepare = 64;
        return builder;
    }

    /// <summary>The server, port and database (never the credentials).</summary>
    public string Description { get; }

    public string StoreId => _storeId ?? "";

    /// <summary>
    /// Opens the store <paramref name="store"/> names (a <c>postgresql://user@host:port/db</c> URI or an Npgsql
    /// connection string), creating or migrating its schema. <paramref name="localClock"/> is this machine's clock
    /// (tests skew it): the store's own times always come from the server.
    /// </summary>
    public static PostgresStore Open(string store, Func<DateTime>? localClock = null)
    {
        string connectionString;
        try
        {
            connectionString = PgConnectionText.ToConnectionString(store);
        }
        catch (ArgumentException e)
        {
            throw SmaErrors.StoreUnavailable(PgConnectionText.Redact(store), e);
        }
        var opened = new PostgresStore(connectionString, localClock ?? (() => DateTime.UtcNow));
        try
        {
            opened.Migrate();
            opened._storeId = opened.GetSetting("StoreId");
            opened.MeasureClock();
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException)
        {
            opened.Dispose();
            throw SmaErrors.StoreUnavailable(opened.Description, e);
        }
        catch
        {
            opened.Dispose();
            throw;
        }
        return opened;
    }

    private void Migrate()
    {
        Write(tx =>
        {
            var c = tx.Connection!;
            // One migrator at a time across every machine opening the store for the first time.
            c.Execute("SELECT pg_advisory_xact_lock(hashtext('sma_schema'))", transaction: tx);
            c.Execute("CREATE TABLE IF NOT EXISTS sma_schema (version integer NOT NULL)", transaction: tx);
            var version = c.ExecuteScalar<int?>("SELECT max(version) FROM sma_schema", transaction: tx) ?? 0;
            if (version > PgSchema.CurrentVersion)
                throw SmaErrors.StoreTooNew(Description, version, PgSchema.CurrentVersion);
            for (var v = version; v < PgSchema.CurrentVersion; v++)
                c.Execute(PgSchema.Migrations[v], transaction: tx);
            if (version != PgSchema.CurrentVersion)
            {
                c.Execute("DELETE FROM sma_schema", transaction: tx);
                c.Execute("INSERT INTO sma_schema (version) VALUES (@v)", new { v = PgSchema.CurrentVersion }, tx);
            }
            return 0;
        });
    }

    /// <summary>A pooled connection for a reader that outlives one call (records read lazily).</summary>
    internal NpgsqlConnection OpenForRead()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return _source.OpenConnection();
    }

    internal T Read<T>(Func<NpgsqlConnection, T> work)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        using var c = _source.OpenConnection();
        return work(c);
    }

    /// <summary>
    /// Runs <paramref name="work"/> in one READ COMMITTED transaction; every change in it is a compare-and-set (or a
    /// row lock), so concurrent writers on other machines are safe. Serialization failures and deadlocks are retried.
    /// </summary>
    internal T Write<T>(Func<NpgsqlTransaction, T> work) => Retried(c =>
    {
        using var tx = c.BeginTransaction(IsolationLevel.ReadCommitted);
        var result = work(tx);
        PayCounts(tx);
        tx.Commit();
        return result;
    });

    /// <summary>
    /// Runs <paramref name="work"/>'s one command (a statement, or statements sent together) outside an explicit
    /// transaction: the server runs what is sent together as one implicit transaction, so it commits or rolls back
    /// whole in a single round trip. Serialization failures and deadlocks are retried, as in <see cref="Write{T}"/>.
    /// </summary>
    internal T WriteOne<T>(Func<NpgsqlConnection, T> work) => Retried(work);

    /// <summary>Runs a write on a pooled connection, again after a serialization failure or deadlock (with backoff).</summary>
    private T Retried<T>(Func<NpgsqlConnection, T> work)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var started = DateTime.UtcNow;
        var delay = 5;
        while (true)
        {
            try
            {
                using var c = _source.OpenConnection();
                return work(c);
            }
            catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.SerializationFailure or PostgresErrorCodes.DeadlockDetected
                                              && DateTime.UtcNow - started < RetryBudget)
            {
                Thread.Sleep(Random.Shared.Next(delay, delay * 2));
                delay = Math.Min(delay * 2, 200);
            }
        }
    }

    /// <summary>Wakes workers listening on any machine once the transaction commits, saying what for.</summary>
    private static void Notify(NpgsqlTransaction tx, JobsChange change) =>
        tx.Connection!.Execute(NotifySql, new { channel = Channel, payload = Payload(change) }, tx);

    private const string NotifySql = "SELECT pg_notify(@channel, @payload)";

    private static string Payload(JobsChange change) => change switch
    {
        JobsChange.Work => "work",
        JobsChange.Request => "request",
        _ => "",
    };

    /// <summary>What a notification's payload says; anything else (an older version sent '') may be either.</summary>
    private static JobsChange Change(string payload) => payload switch
    {
        "work" => JobsChange.Work,
        "request" => JobsChange.Request,
        _ => JobsChange.Any,
    };

    // Time: every time the store writes is the server's. The offset between this machine's clock and the server's is
    // measured on open and every half minute (one round trip), so a worker whose clock is wrong still writes and judges
    // heartbeats on the server's time.
    private void MeasureClock()
    {
        using var c = _source.OpenConnection();
        var before = _localClock();
        var server = c.ExecuteScalar<DateTime>("SELECT clock_timestamp()");
        var after = _localClock();
        var local = before + (after - before) / 2;
        lock (_clockLock)
        {
            _clockOffset = DateTime.SpecifyKind(server, DateTimeKind.Utc).ToUniversalTime() - local;
            _clockMeasured = Environment.TickCount64;
        }
    }

    public DateTime ReadClock()
    {
        if (Environment.TickCount64 - Interlocked.Read(ref _clockMeasured) > ClockRefresh.TotalMilliseconds)
        {
            try { MeasureClock(); }
            catch (NpgsqlException) { /* keep the last offset; the next call measures again */ }
        }
        lock (_clockLock)
            return _localClock() + _clockOffset;
    }

    internal static long Ticks(DateTime time) => time.ToUniversalTime().Ticks;

    internal static DateTime Utc(long ticks) => new(ticks, DateTimeKind.Utc);

    internal static DateTime? Utc(long? ticks) => ticks is { } t ? Utc(t) : null;

    /// <summary>Now on the server's clock, in ticks.</summary>
    internal long Now() => ReadClock().Ticks;

    // LISTEN/NOTIFY: one connection per store object listens while anyone subscribes.
    public event Action<JobsChange>? JobsChanged
    {
        add
        {
            lock (_clockLock)
            {
                _jobsChanged += value;
                if (_listener is null && !_disposed)
                {
                    _listener = new Thread(Listen) { IsBackground = true, Name = "Sma PostgreSQL listener" };
                    _listener.Start();
                }
            }
        }
        remove
        {
            lock (_clockLock)
                _jobsChanged -= value;
        }
    }

    private void Listen()
    {
        while (!_disposed)
        {
            try
            {
                using var c = _source.OpenConnection();
                c.Notification += (_, e) => _jobsChanged?.Invoke(Change(e.Payload));
                c.Execute($"LISTEN {Channel}");
                _jobsChanged?.Invoke(JobsChange.Any); // anything that happened while not listening
                while (!_disposed)
                    c.Wait(TimeSpan.FromSeconds(1));
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException or InvalidOperationException or ObjectDisposedException)
            {
                // The server went away for a moment: workers still poll; listen again shortly.
                if (!_disposed)
                    Thread.Sleep(1000);
            }
        }
    }

    public void Dispose()
    {
        if (_disposed)
            return;
        _disposed = true;
        _listener?.Join(TimeSpan.FromSeconds(3));
        _source.Dispose();
    }
}
