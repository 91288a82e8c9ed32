using Sma.Engine;
using Sma.Engine.Model;
using Sma.Engine.Services;

namespace Sma.Server.OData;

/// <summary>A job's history as its entries: the record and its place in the job's history (the key beside the job's).</summary>
internal sealed record JobHistoryEntry(Guid JobID, int Position, JobHistoryRecord Record);

/// <summary>
/// The job and administration parts of the service the module's remote cmdlets use: a job's full history (status
/// changes and records in order, Get-SmaJobHistory), the store's retention settings (Get-/Set-SmaAdminConfiguration)
/// and the runbook workers with their heartbeats (Get-SmaRunbookWorkerDeployment, read only).
/// </summary>
internal static partial class ServiceModel
{
    private static EntitySetDefinition JobHistorySet() => new()
    {
        Name = "JobHistory",
        TypeName = "JobHistoryRecord",
        Key = new[] { "JobID", "Position" },
        Properties = new[]
        {
            P("JobID", EdmType.Guid, e => ((JobHistoryEntry)e).JobID, nullable: false),
            P("Position", EdmType.Int32, e => ((JobHistoryEntry)e).Position, nullable: false),
            P("Time", EdmType.DateTime, e => ((JobHistoryEntry)e).Record.Time, nullable: false),
            P("RecordType", EdmType.String, e => ((JobHistoryEntry)e).Record.RecordType, nullable: false),
            P("Status", EdmType.String, e => ((JobHistoryEntry)e).Record.Status),
            P("Text", EdmType.String, e => ((JobHistoryEntry)e).Record.Text, nullable: false),
            P("Worker", EdmType.String, e => ((JobHistoryEntry)e).Record.Worker),
            P("StreamRecordId", EdmType.Int64, e => ((JobHistoryEntry)e).Record.StreamRecordId),
        },
        Get = (ctx, key) => FindJob(ctx, (Guid)key[0]!) is { } job
            ? History(ctx, job).Skip((int)key[1]!).FirstOrDefault()
            : null,
    };

    /// <summary>Jobs(guid'…')/JobHistory: every status change and record of the job, in the order they happened.</summary>
    private static IEnumerable<object> History(RequestContext ctx, Job job) =>
        ctx.Jobs.FullHistory(job.JobId).Select((record, i) => (object)new JobHistoryEntry(job.JobId, i, record));

    /// <summary>The store's retention settings as one entry (the tenant's); an operator may read them, an administrator change them.</summary>
    private static EntitySetDefinition AdminConfigurationsSet() => new()
    {
        Name = "AdminConfigurations",
        TypeName = "AdminConfiguration",
        ReadRole = WebServiceRole.Operator,
        Key = new[] { "TenantID" },
        Properties = new[]
        {
            TenantProperty(),
            P("PurgeJobsOlderThanCountDays", EdmType.Int32, e => ((AdminConfiguration)e).PurgeJobsOlderThanCountDays, nullable: false, writable: true),
            P("MaxJobRecords", EdmType.Int32, e => ((AdminConfiguration)e).MaxJobRecords, nullable: false, writable: true),
            P("StorePath", EdmType.String, e => ((AdminConfiguration)e).StorePath, nullable: false),
        },
        ListAll = ctx => new object[] { new AdminConfigurationService(ctx.Runtime).Get() },
        Get = (ctx, key) => (Guid)key[0]! == Tenant ? new AdminConfigurationService(ctx.Runtime).Get() : null,
        Update = (ctx, e, body, merge) =>
        {
            CheckWritable("AdminConfigurations", e, body);
            var days = Int(body, "PurgeJobsOlderThanCountDays");
            var records = Int(body, "MaxJobRecords");
            if (days is null && records is null)
                throw SmaErrors.NoAdminSettingGiven();
            return new AdminConfigurationService(ctx.Runtime).Set(days, records);
        },
    };

    /// <summary>The workers of the store as Get-SmaRunbookWorkerDeployment lists them: liveness judged on the server.</summary>
    private static EntitySetDefinition RunbookWorkersSet() => new()
    {
        Name = "RunbookWorkers",
        TypeName = "RunbookWorker",
        Key = new[] { "IncarnationId" },
        Properties = new[]
        {
            TenantProperty(),
            P("IncarnationId", EdmType.String, e => ((WorkerInfo)e).IncarnationId, nullable: false),
            P("Name", EdmType.String, e => ((WorkerInfo)e).Name, nullable: false),
            P("ComputerName", EdmType.String, e => ((WorkerInfo)e).ComputerName, nullable: false),
            P("ProcessId", EdmType.Int32, e => ((WorkerInfo)e).ProcessId, nullable: false),
            P("IsEmbedded", EdmType.Boolean, e => ((WorkerInfo)e).IsEmbedded, nullable: false),
            P("Status", EdmType.String, e => ((WorkerInfo)e).Status, nullable: false),
            P("StartTime", EdmType.DateTime, e => ((WorkerInfo)e).StartTime, nullable: false),
            P("LastHeartbeat", EdmType.DateTime, e => ((WorkerInfo)e).LastHeartbeat, nullable: false),
            P("ThrottleLimit", EdmType.Int32, e => ((WorkerInfo)e).ThrottleLimit, nullable: false),
            P("RunningJobs", EdmType.Int32, e => ((WorkerInfo)e).RunningJobs, nullable: false),
            P("LastError", EdmType.String, e => ((WorkerInfo)e).LastError),
        },
        ListAll = ctx => new WorkerService(ctx.Runtime).List(),
        Get = (ctx, key) => new WorkerService(ctx.Runtime).List().FirstOrDefault(w => w.IncarnationId == (string)key[0]!),
    };
}
