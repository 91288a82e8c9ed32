using Dapper;
using Sma.Engine.Model;

namespace Sma.Engine.Store;

public sealed partial class SqliteStore
{
    public void RegisterWorker(WorkerRegistration worker) => Write(tx =>
    {
        var now = Now();
        return tx.Connection!.Execute(
            "INSERT INTO workers (name, computer_name, process_id, is_embedded, status, started_time, last_heartbeat, " +
            "throttle_limit, running_jobs) VALUES (@Name, @ComputerName, @ProcessId, @IsEmbedded, 'Running', @now, @now, " +
            "@ThrottleLimit, 0) ON CONFLICT (name) DO UPDATE SET computer_name = excluded.computer_name, " +
            "process_id = excluded.process_id, is_embedded = excluded.is_embedded, status = 'Running', " +
            "started_time = excluded.started_time, last_heartbeat = excluded.last_heartbeat, " +
            "throttle_limit = excluded.throttle_limit, running_jobs = 0",
            new { worker.Name, worker.ComputerName, worker.ProcessId, worker.IsEmbedded, worker.ThrottleLimit, now }, tx);
    });

    public string? Heartbeat(string worker, int runningJobs) => Write(tx =>
        tx.Connection!.QuerySingleOrDefault<string?>(
            "UPDATE workers SET last_heartbeat = @now, running_jobs = @runningJobs WHERE name = @worker RETURNING status",
            new { now = Now(), runningJobs, worker }, tx));

    public bool RequestWorkerStop(string worker) => Write(tx =>
        tx.Connection!.Execute(
            "UPDATE workers SET status = 'Stopping' WHERE name = @worker AND status = 'Running'", new { worker }, tx) > 0);

    public void UnregisterWorker(string worker) => Write(tx =>
        tx.Connection!.Execute(
            "UPDATE workers SET status = 'Stopped', running_jobs = 0, last_heartbeat = @now WHERE name = @worker",
            new { now = Now(), worker }, tx));

    public StoreReport Inspect() => Read(c =>
    {
        var problems = c.Query<string>("PRAGMA integrity_check").ToList();
        long Count(string table) => c.ExecuteScalar<long>($"SELECT count(*) FROM {table}"); // table names are ours
        return new StoreReport
        {
            Path = Location,
            SchemaVersion = (int)c.ExecuteScalar<long>("PRAGMA user_version"),
            StoreId = _storeId,
            Integrity = string.Join("; ", problems),
            Runbooks = Count("runbooks"),
            Jobs = Count("jobs"),
            StreamRecords = Count("job_streams"),
            Checkpoints = Count("checkpoints"),
            Workers = Count("workers"),
            SizeBytes = new FileInfo(Location).Length + (File.Exists(Location + "-wal") ? new FileInfo(Location + "-wal").Length : 0),
        };
    });

    public IReadOnlyList<WorkerInfo> ListWorkers() => Read(c =>
        c.Query<WorkerRow>(
                "SELECT name, computer_name, process_id, is_embedded, status, started_time, last_heartbeat, " +
                "throttle_limit, running_jobs FROM workers ORDER BY name")
            .Select(w => new WorkerInfo
            {
                Name = w.Name,
                ComputerName = w.ComputerName,
                ProcessId = (int)w.ProcessId,
                IsEmbedded = w.IsEmbedded != 0,
                Status = w.Status,
                StartTime = Utc(w.StartedTime),
                LastHeartbeat = Utc(w.LastHeartbeat),
                ThrottleLimit = (int)w.ThrottleLimit,
                RunningJobs = (int)w.RunningJobs,
            })
            .ToList());
}
