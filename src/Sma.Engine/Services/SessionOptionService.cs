using Sma.Engine.Model;

namespace Sma.Engine.Services;

/// <summary>This session's options for the cmdlets: read them, choose the isolation.</summary>
public sealed class SessionOptionService
{
    private readonly SmaRuntime _runtime;

    public SessionOptionService(SmaRuntime runtime) => _runtime = runtime;

    public SessionOption Get()
    {
        var background = _runtime.Background;
        return new SessionOption
        {
            Isolation = SessionIsolation.Current,
            IsolationSource = SessionIsolation.Source,
            BackgroundWorker = background?.Name,
            BackgroundProcessId = background?.ProcessId,
            BackgroundLog = background?.LogPath,
            StorePath = _runtime.Store.Description,
        };
    }

    /// <summary>Chooses the isolation for this process; every store it has open lets go of its worker of the other kind.</summary>
    public static void SetIsolation(JobIsolation isolation)
    {
        SessionIsolation.Choose(isolation);
        foreach (var runtime in SmaRuntime.Open)
            runtime.ApplyIsolation();
    }
}
