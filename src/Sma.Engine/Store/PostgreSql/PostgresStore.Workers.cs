using Dapper;
using Sma.Engine.Model;

namespace Sma.Engine.Store.PostgreSql;

public sealed partial class PostgresStore
{
    public void RegisterWorker(WorkerRegistration worker) => Write(tx =>
    {
        var c = tx.Connection!;
        var now = Now();
        c.Execute(
            "INSERT INTO worker_incarnations (incarnation_id, name, computer_name, process_id, process_start, is_embedded, " +
            "status, started_time, last_heartbeat, throttle_limit, running_jobs) VALUES (@IncarnationId, @Name, @ComputerName, " +
            "@ProcessId, @ProcessStart, @IsEmbedded::int, 'Running', @now, @now, @ThrottleLimit, 0)",
            new { worker.IncarnationId, worker.Name, worker.ComputerName, worker.ProcessId, worker.ProcessStart, worker.IsEmbedded, worker.ThrottleLimit, now }, tx);
        // Earlier runs of this name that ended and hold no unfinished job are history nobody reads.
        return c.Execute(
            "DELETE FROM worker_incarnations WHERE name = @Name AND incarnation_id <> @IncarnationId AND status = 'Stopped' " +
            "AND NOT EXISTS (SELECT 1 FROM jobs j WHERE j.incarnation_id = worker_incarnations.incarnation_id AND j.status = ANY(@active))",
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
        long Count(string table) => c.ExecuteScalar<long>($"SELECT count(*) FROM {table}"); // table names are ours
        var version = c.ExecuteScalar<int?>("SELECT max(version) FROM sma_schema") ?? 0;
        return new StoreReport
        {
            Path = Description,
            SchemaVersion = version,
            StoreId = _storeId,
            // The server keeps its own pages consistent; what the store can check is that its schema is the one it knows.
            Integrity = version == PgSchema.CurrentVersion ? "ok" : $"schema version {version}, expected {PgSchema.CurrentVersion}",
            Runbooks = Count("runbooks"),
            Jobs = Count("jobs"),
            StreamRecords = Count("job_streams"),
            Checkpoints = Count("checkpoints"),
            Workers = Count("worker_incarnations"),
            SizeBytes = c.ExecuteScalar<long>("SELECT pg_database_size(current_database())"),
        };
    });

    private const string IncarnationColumns =
        "incarnation_id, name, computer_name, process_id, process_start, is_embedded, status, started_time, last_heartbeat, " +
        "throttle_limit, running_jobs, last_error";

    public IReadOnlyList<WorkerIncarnation> ListWorkers() => Read(c =>
        c.Query<IncarnationRow>(
                $"SELECT {IncarnationColumns} FROM worker_incarnations w WHERE NOT EXISTS (SELECT 1 FROM worker_incarnations n " +
                "WHERE n.name = w.name AND (n.started_time > w.started_time OR n.started_time = w.started_time AND n.incarnation_id > w.incarnation_id)) " +
                "ORDER BY name")
            .Select(w => w.ToModel())
            .ToList());
}
