using System.Management.Automation.Runspaces;
using Sma.Engine.Execution;
using Sma.Engine.Security;
using Sma.Engine.Store;

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

/// <summary>A store in its own temporary folder, deleted afterwards.</summary>
public sealed class TempStore : IDisposable
{
    public TempStore()
    {
        Folder = Directory.CreateTempSubdirectory("sma-test-").FullName;
        Path = System.IO.Path.Combine(Folder, "sma.db");
    }

    public string Folder { get; }
    public string Path { get; }

    public SqliteStore Open() => SqliteStore.Open(Path);

    /// <summary>A runtime (store, writer, embedded worker on demand) hosting full PowerShell.</summary>
    public SmaRuntime Runtime() => new(Open(), TestSessionStates.Instance,
        () => SecretProtector.ForKeyFile(System.IO.Path.Combine(Folder, "secret.key")));

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
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
