using Sma.Engine.Model;
using Sma.Engine.States;

namespace Sma.Engine.Store;

/// <summary>
/// Everything the engine and the services persist, split by concern (DESIGN §12). A backend (SQLite, PostgreSQL)
/// implements SQL, not policy: the engine decides every rule and hands the store values to write.
/// </summary>
public interface IJobStore : ICatalogStore, IJobQueue, IStreamStore, IWorkerStore, IScheduleStore, IMaintenanceStore, IDisposable
{
}
