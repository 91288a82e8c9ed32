using System.Management.Automation;
using System.Management.Automation.Runspaces;
using Sma.Engine.Modules;
using Sma.Engine.Services;

namespace Sma.Engine.Execution;

/// <summary>
/// One job's side of the assets and integration modules: the secrets it was handed (<see cref="Secrets"/>), and what
/// its runspace needs before the runbook runs (<see cref="Attach"/>).
/// </summary>
internal sealed class JobAssets
{
    private readonly WorkerContext _context;
    private readonly bool _resuming;
    private readonly long? _modulesGeneration;
    private readonly object _lock = new();
    private AutomationAssets? _bridge;

    public JobAssets(Guid jobId, WorkerContext context, bool resuming, long? modulesGeneration = null)
    {
        _context = context;
        _resuming = resuming;
        _modulesGeneration = modulesGeneration;
        Secrets = new JobSecrets(jobId, context.Store, context.Codec);
    }

    public JobSecrets Secrets { get; }

    /// <summary>
    /// Gives a runspace of the job <c>$__SmaAssets</c> (constant, so it is never part of a checkpoint). The first time,
    /// on the job's thread before the runbook starts, it also brings this machine's copy of the integration modules up
    /// to date (a failure fails the start, naming the folder) and takes back a resumed job's secrets. Any further
    /// runspace the job runs code in (a parallel branch) is attached the same way and shares the job's secrets.
    /// </summary>
    public void Attach(Runspace runspace)
    {
        lock (_lock)
        {
            if (_bridge is null)
            {
                ModuleFolder.For(_context.Store).EnsureCurrent(_modulesGeneration);
                if (_resuming)
                    Secrets.Load();
                _bridge = new AutomationAssets(new AssetService(_context.Store, _context.Codec), Secrets);
            }
        }
        runspace.SessionStateProxy.PSVariable.Set(new PSVariable(AutomationActivities.ContextVariable, _bridge, ScopedItemOptions.Constant));
    }
}
