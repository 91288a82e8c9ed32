using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Xml.Linq;
using Microsoft.AspNetCore.Builder;
using Sma.Engine;
using Sma.Engine.Model;
using Sma.Engine.Services;

namespace Sma.Server.Tests;

[CollectionDefinition("server")]
public sealed class ServerCollection : ICollectionFixture<ServerFixture>
{
}

/// <summary>
/// One server for all the test classes, hosted in this process on a free loopback port over HTTPS (its self-signed certificate
/// made beside a temporary store), with an account of each role; and a second one over plain HTTP.
/// </summary>
public sealed class ServerFixture : IAsyncLifetime
{
    public const string Password = "correct-horse-battery";
    public static readonly XNamespace Atom = "http://www.w3.org/2005/Atom";
    public static readonly XNamespace D = "http://schemas.microsoft.com/ado/2007/08/dataservices";
    public static readonly XNamespace M = "http://schemas.microsoft.com/ado/2007/08/dataservices/metadata";

    private WebApplication? _app;
    private WebApplication? _http;

    public string Folder { get; } = Directory.CreateTempSubdirectory("sma-server-test-").FullName;
    /// <summary>
    /// The store served: a SQLite file in <see cref="Folder"/>, or in the test task's PostgreSQL pass (SMA_TEST_PG holds
    /// the throwaway server's maintenance connection string) a new database of its own on that server.
    /// </summary>
    public string StorePath => _storePath ??= Environment.GetEnvironmentVariable("SMA_TEST_PG") is { Length: > 0 } admin
        ? NewDatabase(admin)
        : Path.Combine(Folder, "sma.db");

    private string? _storePath;

    private static string NewDatabase(string admin)
    {
        var name = "sma_server_test_" + Guid.NewGuid().ToString("N")[..16];
        using (var c = new Npgsql.NpgsqlConnection(admin))
        {
            c.Open();
            using var create = new Npgsql.NpgsqlCommand($"CREATE DATABASE {name}", c); // a name made here
            create.ExecuteNonQuery();
        }
        return new Npgsql.NpgsqlConnectionStringBuilder(admin) { Database = name }.ConnectionString;
    }

    public SmaRuntime Runtime { get; private set; } = null!;
    public string Root { get; private set; } = "";
    public string HttpRoot { get; private set; } = "";

    public async Task InitializeAsync()
    {
        Environment.SetEnvironmentVariable("SMA_KEY_FILE", Path.Combine(Folder, "secret.key"));
        _app = ServerHost.Build(new ServerOptions { StorePath = StorePath, Port = 0, Listen = IPAddress.Loopback, Register = false });
        await _app.StartAsync();
        Root = $"https://127.0.0.1:{ServerHost.Port(_app)}/00000000-0000-0000-0000-000000000000/";
        _http = ServerHost.Build(new ServerOptions { StorePath = StorePath, Port = 0, Listen = IPAddress.Loopback, Http = true, Register = false });
        await _http.StartAsync();
        HttpRoot = $"http://127.0.0.1:{ServerHost.Port(_http)}/00000000-0000-0000-0000-000000000000/";
        Runtime = SmaRuntime.ForStore(StorePath);
        var accounts = new AccountService(Runtime);
        accounts.New("admin", WebServiceRole.Administrator, Password, null);
        accounts.New("operator", WebServiceRole.Operator, Password, null);
        accounts.New("reader", WebServiceRole.Reader, Password, null);
        accounts.New("locked-out", WebServiceRole.Reader, Password, null);
    }

    public async Task DisposeAsync()
    {
        if (_http is not null)
            await _http.DisposeAsync();
        if (_app is not null)
            await _app.DisposeAsync();
        Runtime.Dispose();
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // a worker thread may still hold a file for a moment
        }
    }

    /// <summary>A client signed in as <paramref name="account"/> (null: no credentials), accepting the self-signed certificate.</summary>
    public HttpClient Client(string? account = "admin", string password = Password, bool json = false, TimeSpan? expectContinueTimeout = null)
    {
        var handler = new SocketsHttpHandler
        {
            SslOptions = { RemoteCertificateValidationCallback = (_, _, _, _) => true },
            Expect100ContinueTimeout = expectContinueTimeout ?? TimeSpan.FromSeconds(1),
        };
        var client = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(120) };
        if (account is not null)
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{account}:{password}")));
        client.DefaultRequestHeaders.Accept.ParseAdd(json ? "application/json;odata=verbose" : "application/atom+xml,application/xml");
        return client;
    }

    /// <summary>A published runbook made directly in the store.</summary>
    public Runbook Runbook(string name, string source)
    {
        var runbooks = new RunbookService(Runtime);
        if (runbooks.Find(name) is { } existing)
            return existing;
        return runbooks.Create(name, source, RunbookType.Script, null, null, publish: true);
    }
}
