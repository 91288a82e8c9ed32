namespace Sma.Engine.Store;

/// <summary>
/// A store that tells when another process (on any machine) queued, stopped or resumed a job, so idle workers wake at
/// once rather than at their next poll (PostgreSQL's LISTEN/NOTIFY).
/// </summary>
public interface IStoreNotifications
{
    event Action<JobsChange>? JobsChanged;
}

/// <summary>What a notification says changed, so a worker does only the work it calls for.</summary>
[Flags]
public enum JobsChange
{
    /// <summary>A job to take: queued, or waiting to resume.</summary>
    Work = 1,

    /// <summary>A stop or suspend request for a job some worker runs.</summary>
    Request = 2,

    /// <summary>Anything (a notification from an older version, or missed while not listening).</summary>
    Any = Work | Request,
}
