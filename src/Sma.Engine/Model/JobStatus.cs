namespace Sma.Engine.Model;

/// <summary>The ten SMA job statuses (DESIGN §4.3).</summary>
public enum JobStatus
{
    Queued,
    Starting,
    Running,
    Completed,
    Failed,
    Stopping,
    Stopped,
    Suspending,
    Suspended,
    Resuming,
}
