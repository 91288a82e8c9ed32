using Sma.Engine.Model;
using Sma.Engine.Services;

namespace Sma.Engine.Tests;

/// <summary>A runtime on a temporary store, with helpers to import runbooks and wait for jobs.</summary>
public abstract class RuntimeTestBase : IDisposable
{
    protected static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    protected RuntimeTestBase()
    {
        Temp = new TempStore();
        Runtime = Temp.Runtime();
        Runbooks = new RunbookService(Runtime);
        Jobs = new JobService(Runtime);
    }

    protected TempStore Temp { get; }
    protected SmaRuntime Runtime { get; }
    protected RunbookService Runbooks { get; }
    protected JobService Jobs { get; }

    public void Dispose()
    {
        Runtime.Dispose();
        Temp.Dispose();
        GC.SuppressFinalize(this);
    }

    protected Runbook Import(string name, string source, RunbookType type = RunbookType.Script)
    {
        var path = Path.Combine(Temp.Folder, name + ".ps1");
        File.WriteAllText(path, source);
        return Runbooks.Import(path, null, type, null, null, publish: true);
    }

    /// <summary>Waits until the job is at rest (ended or suspended).</summary>
    protected Job Wait(Guid id) => Jobs.Wait(new[] { id }, Patience, null, CancellationToken.None)[0];
}
