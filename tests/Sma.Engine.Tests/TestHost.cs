using System.Management.Automation.Runspaces;
using Sma.Engine.Execution;
using Sma.Engine.Security;
using Sma.Engine.Store;
using Sma.Engine.Store.PostgreSql;

namespace Sma.Engine.Tests;

/// <summary>Full PowerShell inside the test process: the default session plus the Utility, Management and Security cmdlets.</summary>
public sealed class TestSessionStates : ISessionStateFactory
{
    public static readonly TestSessionStates Instance = new();

    private readonly InitialSessionState _template;

    private TestSessionStates()
    {
        _template = InitialSessionState.CreateDefault2();
        _template.ImportPSModule(new[]
        {
            typeof(Microsoft.PowerShell.Commands.WriteOutputCommand).Assembly.Location,
            typeof(Microsoft.PowerShell.Commands.GetChildItemCommand).Assembly.Location,
            typeof(Microsoft.PowerShell.Commands.ConvertToSecureStringCommand).Assembly.Location,
        });
    }

    public InitialSessionState Create() => _template;
}

/// <summary>Which backend the store tests run on (the test task sets SMA_TEST_PG for its PostgreSQL pass).</summary>
public static class TestStores
{
    public static string? PostgresAdmin => Environment.GetEnvironmentVariable("SMA_TEST_PG") is { Length: > 0 } text ? text : null;

    public static bool IsPostgres => PostgresAdmin is not null;
}

/// <summary>A store in its own temporary folder (or its own database on the test PostgreSQL server), deleted afterwards.</summary>
public sealed class TempStore : IDisposable
{
    public TempStore()
    {
        Folder = Directory.CreateTempSubdirectory("sma-test-").FullName;
        Path = System.IO.Path.Combine(Folder, "sma.db");
    }

    public string Folder { get; }
    public string Path { get; }

    /// <summary>
    /// The store under test: a SQLite file here, or — when the test task runs the PostgreSQL pass (SMA_TEST_PG holds
    /// the throwaway server's maintenance connection string) — a new database on that server, one per TempStore.
    /// </summary>
    public IJobStore Open() => TestStores.PostgresAdmin is { } admin ? PostgresStore.Open(Database(admin)) : OpenSqlite();

    /// <summary>An open connection to the store under test, for tests that look at its rows (plain, portable SQL).</summary>
    public System.Data.Common.DbConnection Connect()
    {
        System.Data.Common.DbConnection c = TestStores.PostgresAdmin is { } admin
            ? new Npgsql.NpgsqlConnection(Database(admin))
            : new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path};Pooling=False");
        c.Open();
        return c;
    }

    /// <summary>The SQLite store at <see cref="Path"/>, for tests of file behaviour.</summary>
    public SqliteStore OpenSqlite() => SqliteStore.Open(Path);

    private string? _database;

    private string Database(string admin)
    {
        if (_database is null)
        {
            var name = "sma_test_" + Guid.NewGuid().ToString("N")[..16];
            using (var c = new Npgsql.NpgsqlConnection(admin))
            {
                c.Open();
                using var create = new Npgsql.NpgsqlCommand($"CREATE DATABASE {name}", c); // a name made here
                create.ExecuteNonQuery();
            }
            _database = new Npgsql.NpgsqlConnectionStringBuilder(admin) { Database = name }.ConnectionString;
        }
        return _database;
    }

    /// <summary>A runtime (store, writer, embedded worker on demand) hosting full PowerShell.</summary>
    public SmaRuntime Runtime() => new(Open(), TestSessionStates.Instance,
        () => SecretProtector.ForKeyFile(System.IO.Path.Combine(Folder, "secret.key")));

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (_database is not null && TestStores.PostgresAdmin is { } admin)
        {
            Npgsql.NpgsqlConnection.ClearAllPools();
            try
            {
                using var c = new Npgsql.NpgsqlConnection(admin);
                c.Open();
                var name = new Npgsql.NpgsqlConnectionStringBuilder(_database).Database;
                using var drop = new Npgsql.NpgsqlCommand($"DROP DATABASE IF EXISTS {name} WITH (FORCE)", c);
                drop.ExecuteNonQuery();
            }
            catch (Npgsql.NpgsqlException)
            {
                // the throwaway server goes away with its data folder anyway
            }
        }
        foreach (var folder in new[] { Folder, StoreScratch.FolderFor(Path) })
        {
            try
            {
                if (Directory.Exists(folder))
                    Directory.Delete(folder, recursive: true);
            }
            catch (IOException)
            {
                // a worker thread may still hold a file for a moment; the OS cleans temp folders
            }
        }
    }
}
