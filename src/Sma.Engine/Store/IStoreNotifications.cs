namespace Sma.Engine.Store;

/// <summary>
/// A store that tells when another process (on any machine) queued, stopped or resumed a job, so idle workers wake at
/// once rather than at their next poll (PostgreSQL's LISTEN/NOTIFY).
/// </summary>
public interface IStoreNotifications
{
    event Action? JobsChanged;
}
