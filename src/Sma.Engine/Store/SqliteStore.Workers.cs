using Dapper;
using Sma.Engine.Model;

namespace Sma.Engine.Store;

public sealed partial class SqliteStore
{
    public void RegisterWorker(WorkerRegistration worker) => Write(tx =>
    {
        var c = tx.Connection!;
        var now = Now();
        c.Execute(
            "INSERT INTO worker_incarnations (incarnation_id, name, computer_name, process_id, process_start, is_embedded, " +
            "status, started_time, last_heartbeat, throttle_limit, running_jobs) VALUES (@IncarnationId, @Name, @ComputerName, " +
            "@ProcessId, @ProcessStart, @IsEmbedded, 'Running', @now, @now, @ThrottleLimit, 0)",
            new { worker.IncarnationId, worker.Name, worker.ComputerName, worker.ProcessId, worker.ProcessStart, worker.IsEmbedded, worker.ThrottleLimit, now }, tx);
        // Earlier runs of this name that ended and hold no unfinished job are history nobody reads.
        return c.Execute(
            "DELETE FROM worker_incarnations WHERE name = @Name AND incarnation_id <> @IncarnationId AND status = 'Stopped' " +
            "AND NOT EXISTS (SELECT 1 FROM jobs j WHERE j.incarnation_id = worker_incarnations.incarnation_id AND j.status IN @active)",
            new { worker.Name, worker.IncarnationId, active = ActiveStatuses }, tx);
    });

    public string? Heartbeat(string incarnation, int runningJobs, string? lastError) => Write(tx =>
        tx.Connection!.QuerySingleOrDefault<string?>(
            "UPDATE worker_incarnations SET last_heartbeat = @now, running_jobs = @runningJobs, last_error = @lastError " +
            "WHERE incarnation_id = @incarnation RETURNING status",
            new { now = Now(), runningJobs, lastError, incarnation }, tx));

    public bool RequestWorkerStop(string worker) => Write(tx =>
        tx.Connection!.Execute(
            "UPDATE worker_incarnations SET status = 'Stopping' WHERE name = @worker AND status = 'Running'", new { worker }, tx) > 0);

    public void UnregisterWorker(string incarnation) => Write(tx =>
        tx.Connection!.Execute(
            "UPDATE worker_incarnations SET status = 'Stopped', running_jobs = 0, last_heartbeat = @now WHERE incarnation_id = @incarnation",
            new { now = Now(), incarnation }, tx));

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
            Workers = Count("worker_incarnations"),
            SizeBytes = new FileInfo(Location).Length + (File.Exists(Location + "-wal") ? new FileInfo(Location + "-wal").Length : 0),
        };
    });

    private const string IncarnationColumns =
        "incarnation_id, name, computer_name, process_id, process_start, is_embedded, status, started_time, last_heartbeat, " +
        "throttle_limit, running_jobs, last_error";

    public IReadOnlyList<WorkerIncarnation> ListWorkers() => Read(c =>
        c.Query<IncarnationRow>(
                $"SELECT {IncarnationColumns} FROM worker_incarnations w WHERE NOT EXISTS (SELECT 1 FROM worker_incarnations n " +
                "WHERE n.name = w.name AND (n.started_time > w.started_time OR n.started_time = w.started_time AND n.rowid > w.rowid)) " +
                "ORDER BY name")
            .Select(w => w.ToModel())
            .ToList());
}
