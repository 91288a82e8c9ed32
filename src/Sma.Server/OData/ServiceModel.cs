using System.Management.Automation;
using System.Security;
using System.Text;
using System.Text.Json;
using Sma.Engine;
using Sma.Engine.Model;
using Sma.Engine.Store;

namespace Sma.Server.OData;

/// <summary>
/// SMA's OData service as a table: one declaration per entity set, with SMA's entity and property names
/// (Orchestrator.ResourceModel) plus a few of ours a remote client needs (RunbookName on jobs, StartedBy, Worker).
/// Secrets never appear: credentials and certificates have no value property, encrypted variables show none.
/// </summary>
internal static partial class ServiceModel
{
    public const string Namespace = "Orchestrator.ResourceModel";

    /// <summary>SMA's tenant: every entity says it belongs to the one tenant, whose id is also the service's path.</summary>
    public static readonly Guid Tenant = Guid.Empty;

    private const int StreamPageSize = 500;

    private static PropertyDefinition P(string name, EdmType type, Func<object, object?> get, bool nullable = true, bool writable = false) =>
        new(name, type, get, nullable) { Writable = writable };

    private static PropertyDefinition TenantProperty(string name = "TenantID") => P(name, EdmType.Guid, _ => Tenant, nullable: false);

    public static IReadOnlyList<EntitySetDefinition> Sets { get; } = Build();

    public static EntitySetDefinition? Find(string name) => Sets.FirstOrDefault(s => s.Name == name);

    private static IReadOnlyList<EntitySetDefinition> Build()
    {
        var jobs = new EntitySetDefinition
        {
            Name = "Jobs",
            TypeName = "Job",
            HasStream = true,
            Key = new[] { "JobID" },
            Properties = new[]
            {
                P("JobID", EdmType.Guid, e => ((Job)e).JobId, nullable: false),
                P("JobContextID", EdmType.Guid, e => ((Job)e).JobId, nullable: false),
                TenantProperty(),
                new PropertyDefinition("JobStatus", EdmType.String, e => ((Job)e).JobStatus, nullable: false)
                {
                    // Either vocabulary in a $filter: New or Queued, Activating or Starting.
                    NormalizeLiteral = v => v is string s && JobStatusNames.TryParse(s, out var st) ? JobStatusNames.ServiceName(st) : v,
                },
                P("StatusDetails", EdmType.String, e => ((Job)e).StatusDetails),
                P("StartTime", EdmType.DateTime, e => ((Job)e).StartTime),
                P("EndTime", EdmType.DateTime, e => ((Job)e).EndTime),
                P("CreationTime", EdmType.DateTime, e => ((Job)e).CreationTime, nullable: false),
                P("LastModifiedTime", EdmType.DateTime, e => ((Job)e).LastModifiedTime, nullable: false),
                P("ErrorCount", EdmType.Int32, e => ((Job)e).ErrorCount),
                P("WarningCount", EdmType.Int32, e => ((Job)e).WarningCount),
                P("JobException", EdmType.String, e => ((Job)e).JobException),
                P("RunbookID", EdmType.Guid, e => ((Job)e).RunbookId, nullable: false),
                P("RunbookName", EdmType.String, e => ((Job)e).RunbookName, nullable: false),
                P("RunbookVersionID", EdmType.Guid, e => ((Job)e).RunbookVersionId, nullable: false),
                P("StartedBy", EdmType.String, e => ((Job)e).StartedBy),
                P("Worker", EdmType.String, e => ((Job)e).Worker),
                P("ScheduleName", EdmType.String, e => ((Job)e).ScheduleName),
            },
            Navigations = new[]
            {
                new NavigationDefinition("JobContext", "JobContexts", false, (_, e) => e),
                new NavigationDefinition("JobHistory", "JobHistory", true, (ctx, e) => History(ctx, (Job)e).ToList()),
                new NavigationDefinition("ChildRunbooks", "JobChildRunbooks", true, (ctx, e) => ChildRunbooks(ctx, (Job)e)),
            },
            Operations = new[]
            {
                JobAction("Stop", (ctx, id) => ctx.Jobs.Stop(id, ctx.Account)),
                JobAction("Suspend", (ctx, id) => ctx.Jobs.Suspend(id, ctx.Account)),
                JobAction("Resume", (ctx, id) => ctx.Jobs.Resume(id, ctx.Account)),
            },
            ListPage = (ctx, options) => Paging.Jobs(ctx, Find("Jobs")!, options),
            Get = (ctx, key) => FindJob(ctx, (Guid)key[0]!),
            // Remove-SmaJob: an ended job with its records and history (a job still moving is refused, JobNotFinished).
            Delete = (ctx, e) => ctx.Jobs.Remove(((Job)e).JobId),
            ReadMedia = (ctx, e) =>
            {
                // A job's stream: the text of its Output records, one per line.
                var job = (Job)e;
                var text = string.Join("\n", ctx.Jobs.Output(job.JobId, StreamType.Output, null).Select(r => r.StreamText));
                return new MediaContent(Encoding.UTF8.GetBytes(text), "text/plain; charset=utf-8", $"\"{job.LastModifiedTime.Ticks:x}\"");
            },
        };

        var jobContexts = new EntitySetDefinition
        {
            Name = "JobContexts",
            TypeName = "JobContext",
            Key = new[] { "JobContextID" },
            Properties = new[]
            {
                P("JobContextID", EdmType.Guid, e => ((Job)e).JobId, nullable: false),
                P("RunbookVersionID", EdmType.Guid, e => ((Job)e).RunbookVersionId, nullable: false),
                TenantProperty(),
                P("ScheduleID", EdmType.Guid, _ => null),
                P("RunbookID", EdmType.Guid, e => ((Job)e).RunbookId, nullable: false),
                P("CreationTime", EdmType.DateTime, e => ((Job)e).CreationTime, nullable: false),
                P("LastModifiedTime", EdmType.DateTime, e => ((Job)e).LastModifiedTime, nullable: false),
            },
            Navigations = new[]
            {
                new NavigationDefinition("JobParameters", "JobParameters", true, (_, e) => Entities.Parameters((Job)e)),
                new NavigationDefinition("RunbookVersion", "RunbookVersions", false, (ctx, e) => FindVersion(ctx, ((Job)e).RunbookVersionId)),
            },
            ListPage = (ctx, options) => Paging.Jobs(ctx, Find("JobContexts")!, options),
            Get = (ctx, key) => FindJob(ctx, (Guid)key[0]!),
        };

        var jobParameters = new EntitySetDefinition
        {
            Name = "JobParameters",
            TypeName = "JobParameter",
            Key = new[] { "JobContextID", "Name" },
            Properties = new[]
            {
                P("JobContextID", EdmType.Guid, e => ((JobParameterEntry)e).JobContextID, nullable: false),
                P("Name", EdmType.String, e => ((JobParameterEntry)e).Name, nullable: false),
                P("Value", EdmType.String, e => ((JobParameterEntry)e).Value),
                P("Type", EdmType.String, e => ((JobParameterEntry)e).Type, nullable: false),
            },
            Navigations = new[]
            {
                new NavigationDefinition("JobContext", "JobContexts", false, (ctx, e) => FindJob(ctx, ((JobParameterEntry)e).JobContextID)),
            },
            Get = (ctx, key) => FindJob(ctx, (Guid)key[0]!) is { } job
                ? Entities.Parameters(job).FirstOrDefault(p => p.Name.Equals((string)key[1]!, StringComparison.OrdinalIgnoreCase))
                : null,
        };

        var jobStreams = new EntitySetDefinition
        {
            Name = "JobStreams",
            TypeName = "JobStream",
            Key = new[] { "JobId", "StreamRecordId" },
            Properties = new[]
            {
                P("JobId", EdmType.Guid, e => ((StreamItemEntry)e).JobId, nullable: false),
                P("StreamRecordId", EdmType.Int64, e => ((StreamItemEntry)e).StreamRecordId, nullable: false),
                P("RunbookVersionId", EdmType.Guid, e => ((StreamItemEntry)e).RunbookVersionId, nullable: false),
                TenantProperty("TenantId"),
                P("StreamTypeName", EdmType.String, e => ((StreamItemEntry)e).StreamTypeName, nullable: false),
                P("StreamTime", EdmType.DateTime, e => ((StreamItemEntry)e).StreamTime, nullable: false),
                P("StreamText", EdmType.String, e => ((StreamItemEntry)e).StreamText),
            },
            Operations = new[]
            {
                new OperationDefinition("GetStreamItems", "GET", WebServiceRole.Reader, null, GetStreamItems)
                {
                    Arguments = new[] { ("jobId", EdmType.String), ("streamType", EdmType.String) },
                },
            },
            Get = (ctx, key) => FindJob(ctx, (Guid)key[0]!) is { } job
                ? StreamItems(ctx, job, null, (long)key[1]! - 1).FirstOrDefault(s => s.StreamRecordId == (long)key[1]!)
                : null,
        };

        var runbooks = new EntitySetDefinition
        {
            Name = "Runbooks",
            TypeName = "Runbook",
            Key = new[] { "RunbookID" },
            Properties = new[]
            {
                TenantProperty(),
                P("RunbookID", EdmType.Guid, e => ((Runbook)e).RunbookID, nullable: false),
                P("RunbookName", EdmType.String, e => ((Runbook)e).RunbookName, nullable: false),
                P("CreationTime", EdmType.DateTime, e => ((Runbook)e).CreationTime, nullable: false),
                P("LastModifiedTime", EdmType.DateTime, e => ((Runbook)e).LastModifiedTime, nullable: false),
                P("LastModifiedBy", EdmType.String, _ => null),
                P("Description", EdmType.String, e => ((Runbook)e).Description, writable: true),
                P("IsApiOnly", EdmType.Boolean, _ => false, nullable: false),
                P("IsGlobal", EdmType.Boolean, _ => false, nullable: false),
                P("PublishedRunbookVersionID", EdmType.Guid, e => ((Runbook)e).PublishedRunbookVersionID),
                P("DraftRunbookVersionID", EdmType.Guid, e => ((Runbook)e).DraftRunbookVersionID),
                P("Tags", EdmType.String, e => ((Runbook)e).Tags, writable: true),
                P("LogDebug", EdmType.Boolean, e => ((Runbook)e).LogDebug, nullable: false, writable: true),
                P("LogVerbose", EdmType.Boolean, e => ((Runbook)e).LogVerbose, nullable: false, writable: true),
                P("LogProgress", EdmType.Boolean, e => ((Runbook)e).LogProgress, nullable: false, writable: true),
                new PropertyDefinition("RunbookType", EdmType.String, e => Entities.ServiceRunbookType(((Runbook)e).RunbookType), nullable: false)
                {
                    Writable = true,
                    NormalizeLiteral = v => v is string s && Entities.ParseRunbookType(s) is { } t ? Entities.ServiceRunbookType(t.ToString()) : v,
                },
                P("RunbookWorker", EdmType.String, e => ((Runbook)e).RunbookWorker, writable: true),
            },
            Navigations = new[]
            {
                new NavigationDefinition("PublishedRunbookVersion", "RunbookVersions", false,
                    (ctx, e) => ((Runbook)e).PublishedRunbookVersionID is { } v ? FindVersion(ctx, v) : null),
                new NavigationDefinition("DraftRunbookVersion", "RunbookVersions", false,
                    (ctx, e) => ((Runbook)e).DraftRunbookVersionID is { } v ? FindVersion(ctx, v) : null),
            },
            Operations = new[]
            {
                new OperationDefinition("Start", "POST", WebServiceRole.Operator, EdmType.Guid, StartRunbook),
                new OperationDefinition("Edit", "POST", WebServiceRole.Administrator, EdmType.Guid,
                    (ctx, e) => new OperationResult(ctx.Runbooks.CheckOut((Runbook)e!).DraftRunbookVersionID, EdmType.Guid)),
                new OperationDefinition("Publish", "POST", WebServiceRole.Administrator, EdmType.Guid,
                    (ctx, e) => new OperationResult(ctx.Runbooks.Publish((Runbook)e!).PublishedRunbookVersionID, EdmType.Guid)),
            },
            ListAll = ctx => ctx.Runbooks.List(),
            Get = (ctx, key) => FindRunbook(ctx, (Guid)key[0]!),
            Update = UpdateRunbook,
            Delete = (ctx, e) => ctx.Runbooks.Remove((Runbook)e),
        };

        // An entry is the version's definition (RunbookName is ours: a version outlives its runbook, and a client reading
        // the source of the version a job ran needs the name the runbook had).
        var runbookVersions = new EntitySetDefinition
        {
            Name = "RunbookVersions",
            TypeName = "RunbookVersion",
            HasStream = true,
            Key = new[] { "RunbookVersionID" },
            Properties = new[]
            {
                TenantProperty(),
                P("RunbookVersionID", EdmType.Guid, e => Version(e).RunbookVersionID, nullable: false),
                P("RunbookID", EdmType.Guid, e => Version(e).RunbookID, nullable: false),
                P("VersionNumber", EdmType.Int32, e => Version(e).VersionNumber, nullable: false),
                P("IsDraft", EdmType.Boolean, e => Version(e).IsDraft, nullable: false),
                P("CreationTime", EdmType.DateTime, e => Version(e).CreationTime, nullable: false),
                P("LastModifiedTime", EdmType.DateTime, e => Version(e).CreationTime, nullable: false),
                P("RunbookName", EdmType.String, e => ((RunbookDefinition)e).RunbookName, nullable: false),
            },
            Navigations = new[]
            {
                new NavigationDefinition("Runbook", "Runbooks", false, (ctx, e) => FindRunbook(ctx, Version(e).RunbookID)),
                new NavigationDefinition("RunbookParameters", "RunbookParameters", true, (ctx, e) =>
                {
                    var definition = ctx.Runbooks.GetDefinition(Version(e).RunbookVersionID);
                    return Entities.RunbookParameters(definition.RunbookVersion.RunbookVersionID, definition.RunbookName, definition.Content);
                }),
            },
            Operations = new[] { TranslatedContentFunction() },
            ListAll = ListVersions,
            Get = (ctx, key) => FindVersion(ctx, (Guid)key[0]!),
            ReadMedia = (ctx, e) =>
            {
                var definition = ctx.Runbooks.GetDefinition(Version(e).RunbookVersionID);
                var bytes = Encoding.UTF8.GetBytes(definition.Content);
                return new MediaContent(bytes, "text/plain; charset=utf-8",
                    "\"" + Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(bytes))[..32].ToLowerInvariant() + "\"");
            },
            WriteMedia = (ctx, e, body) =>
            {
                var version = Version(e);
                var runbook = FindRunbook(ctx, version.RunbookID) ?? throw SmaErrors.RunbookIdNotFound(version.RunbookID);
                if (runbook.DraftRunbookVersionID != version.RunbookVersionID)
                    throw SmaErrors.WebRequestInvalid("RunbookVersionNotDraft",
                        $"Version {version.RunbookVersionID} of runbook '{runbook.RunbookName}' is not its draft, and published versions " +
                        $"never change. POST Runbooks(guid'{runbook.RunbookID}')/Edit for a draft, then PUT its $value.", version.RunbookVersionID);
                ctx.Runbooks.EditSource(runbook, Source(body));
            },
            CreateFromMedia = CreateRunbookFromSource,
        };

        var runbookParameters = new EntitySetDefinition
        {
            Name = "RunbookParameters",
            TypeName = "RunbookParameter",
            Key = new[] { "RunbookVersionID", "Name" },
            Properties = new[]
            {
                P("RunbookVersionID", EdmType.Guid, e => ((RunbookParameterEntry)e).RunbookVersionID, nullable: false),
                P("Name", EdmType.String, e => ((RunbookParameterEntry)e).Name, nullable: false),
                P("Type", EdmType.String, e => ((RunbookParameterEntry)e).Type, nullable: false),
                P("IsMandatory", EdmType.Boolean, e => ((RunbookParameterEntry)e).IsMandatory, nullable: false),
                P("Position", EdmType.Int32, e => ((RunbookParameterEntry)e).Position, nullable: false),
            },
            Get = (ctx, key) =>
            {
                if (FindVersion(ctx, (Guid)key[0]!) is null)
                    return null;
                var definition = ctx.Runbooks.GetDefinition((Guid)key[0]!);
                return Entities.RunbookParameters((Guid)key[0]!, definition.RunbookName, definition.Content)
                    .FirstOrDefault(p => p.Name.Equals((string)key[1]!, StringComparison.OrdinalIgnoreCase));
            },
        };

        var variables = new EntitySetDefinition
        {
            Name = "Variables",
            TypeName = "Variable",
            ReadRole = WebServiceRole.Operator,
            Key = new[] { "VariableID" },
            Properties = new[]
            {
                P("VariableID", EdmType.Guid, e => ((SmaVariable)e).VariableID, nullable: false),
                TenantProperty(),
                P("Name", EdmType.String, e => ((SmaVariable)e).Name, nullable: false, writable: true),
                P("Value", EdmType.String, e => Entities.VariableText((SmaVariable)e), writable: true),
                P("Description", EdmType.String, e => ((SmaVariable)e).Description, writable: true),
                P("IsEncrypted", EdmType.Boolean, e => ((SmaVariable)e).IsEncrypted, nullable: false, writable: true),
                P("CreationTime", EdmType.DateTime, e => ((SmaVariable)e).CreationTime, nullable: false),
                P("LastModifiedTime", EdmType.DateTime, e => ((SmaVariable)e).LastModifiedTime, nullable: false),
            },
            ListAll = ctx => ctx.Assets.ListVariables(),
            Get = (ctx, key) => ctx.Assets.ListVariables().FirstOrDefault(v => v.VariableID == (Guid)key[0]!),
            Create = (ctx, body) =>
            {
                var name = Required(body, "Name");
                if (ctx.Assets.ListVariables().Any(v => v.Name.Equals(name, StringComparison.OrdinalIgnoreCase)))
                    throw AlreadyExists("variable", name, "Variables");
                return ctx.Assets.SetVariable(name, Entities.VariableValue(Required(body, "Value")), body.Text("Description"),
                    body.Bool("IsEncrypted") ?? false, force: false);
            },
            Update = (ctx, e, body, merge) =>
            {
                var variable = (SmaVariable)e;
                CheckUnchanged(body, "Name", variable.Name);
                var value = body.Text("Value") is { } text ? Entities.VariableValue(text)
                    : variable.IsEncrypted || variable.Value is null ? throw Missing("Value") : variable.Value;
                return ctx.Assets.SetVariable(variable.Name, value, body.Has("Description") ? body.Text("Description") ?? "" : null,
                    body.Bool("IsEncrypted"), force: true);
            },
            Delete = (ctx, e) => ctx.Assets.RemoveVariable(((SmaVariable)e).Name),
        };

        var credentials = new EntitySetDefinition
        {
            Name = "Credentials",
            TypeName = "Credential",
            ReadRole = WebServiceRole.Operator,
            Key = new[] { "CredentialID" },
            Properties = new[]
            {
                P("CredentialID", EdmType.Guid, e => ((SmaCredential)e).CredentialID, nullable: false),
                TenantProperty(),
                P("Name", EdmType.String, e => ((SmaCredential)e).Name, nullable: false, writable: true),
                P("UserName", EdmType.String, e => ((SmaCredential)e).UserName, nullable: false, writable: true),
                P("Description", EdmType.String, e => ((SmaCredential)e).Description, writable: true),
                P("CreationTime", EdmType.DateTime, e => ((SmaCredential)e).CreationTime, nullable: false),
                P("LastModifiedTime", EdmType.DateTime, e => ((SmaCredential)e).LastModifiedTime, nullable: false),
            },
            ListAll = ctx => ctx.Assets.ListCredentials(),
            Get = (ctx, key) => ctx.Assets.ListCredentials().FirstOrDefault(c => c.CredentialID == (Guid)key[0]!),
            // SMA's clients send the password as RawValue; it is stored encrypted and never returned.
            Create = (ctx, body) =>
            {
                var name = Required(body, "Name");
                if (ctx.Assets.ListCredentials().Any(c => c.Name.Equals(name, StringComparison.OrdinalIgnoreCase)))
                    throw AlreadyExists("credential", name, "Credentials");
                return ctx.Assets.SetCredential(name, Credential(Required(body, "UserName"), Password(body) ?? throw Missing("RawValue")),
                    body.Text("Description"));
            },
            Update = (ctx, e, body, merge) =>
            {
                var credential = (SmaCredential)e;
                CheckUnchanged(body, "Name", credential.Name);
                var password = Password(body) ?? throw Missing("RawValue");
                return ctx.Assets.SetCredential(credential.Name, Credential(body.Text("UserName") ?? credential.UserName, password),
                    body.Has("Description") ? body.Text("Description") ?? "" : null);
            },
            Delete = (ctx, e) => ctx.Assets.RemoveCredential(((SmaCredential)e).Name),
        };

        var connections = new EntitySetDefinition
        {
            Name = "Connections",
            TypeName = "Connection",
            ReadRole = WebServiceRole.Operator,
            Key = new[] { "ConnectionID" },
            Properties = new[]
            {
                TenantProperty(),
                P("ConnectionID", EdmType.Guid, e => ((SmaConnection)e).ConnectionID, nullable: false),
                P("Name", EdmType.String, e => ((SmaConnection)e).Name, nullable: false),
                P("Description", EdmType.String, e => ((SmaConnection)e).Description),
                P("ConnectionTypeName", EdmType.String, e => ((SmaConnection)e).ConnectionTypeName, nullable: false),
                P("CreationTime", EdmType.DateTime, e => ((SmaConnection)e).CreationTime, nullable: false),
                P("LastModifiedTime", EdmType.DateTime, e => ((SmaConnection)e).LastModifiedTime, nullable: false),
            },
            Navigations = new[]
            {
                new NavigationDefinition("ConnectionFieldValues", "ConnectionFieldValues", true,
                    (ctx, e) => Entities.ConnectionFieldValues((SmaConnection)e, FindConnectionType(ctx, ((SmaConnection)e).ConnectionTypeName))),
            },
            ListAll = ctx => ctx.Assets.ListConnections(),
            Get = (ctx, key) => ctx.Assets.ListConnections().FirstOrDefault(c => c.ConnectionID == (Guid)key[0]!),
            Create = CreateConnection,
            Delete = (ctx, e) => ctx.Assets.RemoveConnection(((SmaConnection)e).Name),
        };

        // SMA's ConnectionFieldValue: one field of a connection; an encrypted field's value is never written (its mask is).
        var connectionFieldValues = new EntitySetDefinition
        {
            Name = "ConnectionFieldValues",
            TypeName = "ConnectionFieldValue",
            ReadRole = WebServiceRole.Operator,
            Key = new[] { "ConnectionName", "ConnectionFieldName" },
            Properties = new[]
            {
                TenantProperty(),
                P("ConnectionName", EdmType.String, e => ((ConnectionFieldValueEntry)e).ConnectionName, nullable: false),
                P("ConnectionFieldName", EdmType.String, e => ((ConnectionFieldValueEntry)e).ConnectionFieldName, nullable: false),
                P("ConnectionTypeName", EdmType.String, e => ((ConnectionFieldValueEntry)e).ConnectionTypeName, nullable: false),
                P("Value", EdmType.String, e => ((ConnectionFieldValueEntry)e).Value, writable: true),
                P("IsEncrypted", EdmType.Boolean, e => ((ConnectionFieldValueEntry)e).IsEncrypted, nullable: false),
                P("IsOptional", EdmType.Boolean, e => ((ConnectionFieldValueEntry)e).IsOptional, nullable: false),
                P("Type", EdmType.String, e => ((ConnectionFieldValueEntry)e).Type, nullable: false),
            },
            Navigations = new[]
            {
                new NavigationDefinition("Connection", "Connections", false,
                    (ctx, e) => ctx.Assets.ListConnections().FirstOrDefault(c => c.Name.Equals(((ConnectionFieldValueEntry)e).ConnectionName, StringComparison.OrdinalIgnoreCase))),
            },
            Get = (ctx, key) => ctx.Assets.ListConnections().FirstOrDefault(c => c.Name.Equals((string)key[0]!, StringComparison.OrdinalIgnoreCase)) is { } connection
                ? Entities.ConnectionFieldValues(connection, FindConnectionType(ctx, connection.ConnectionTypeName))
                    .FirstOrDefault(f => f.ConnectionFieldName.Equals((string)key[1]!, StringComparison.OrdinalIgnoreCase))
                : null,
            Update = UpdateConnectionField,
        };

        var connectionTypes = ConnectionTypesSet();
        var connectionFields = ConnectionFieldsSet();

        var certificates = new EntitySetDefinition
        {
            Name = "Certificates",
            TypeName = "Certificate",
            ReadRole = WebServiceRole.Operator,
            Key = new[] { "CertificateID" },
            Properties = new[]
            {
                P("CertificateID", EdmType.Guid, e => ((SmaCertificate)e).CertificateID, nullable: false),
                TenantProperty(),
                P("Name", EdmType.String, e => ((SmaCertificate)e).Name, nullable: false),
                P("Description", EdmType.String, e => ((SmaCertificate)e).Description),
                P("Thumbprint", EdmType.String, e => ((SmaCertificate)e).Thumbprint, nullable: false),
                P("Subject", EdmType.String, e => ((SmaCertificate)e).Subject),
                P("HasPrivateKey", EdmType.Boolean, e => ((SmaCertificate)e).HasPrivateKey, nullable: false),
                P("ExpiryTime", EdmType.DateTime, e => ((SmaCertificate)e).ExpiryTime, nullable: false),
                P("CreationTime", EdmType.DateTime, e => ((SmaCertificate)e).CreationTime, nullable: false),
                P("LastModifiedTime", EdmType.DateTime, e => ((SmaCertificate)e).LastModifiedTime, nullable: false),
            },
            ListAll = ctx => ctx.Assets.ListCertificates(),
            Get = (ctx, key) => ctx.Assets.ListCertificates().FirstOrDefault(c => c.CertificateID == (Guid)key[0]!),
            Create = CreateCertificate,
            Update = UpdateCertificate,
            Delete = (ctx, e) => ctx.Assets.RemoveCertificate(((SmaCertificate)e).Name),
        };

        var schedules = new EntitySetDefinition
        {
            Name = "Schedules",
            TypeName = "Schedule",
            Key = new[] { "ScheduleID" },
            Properties = new[]
            {
                P("ScheduleID", EdmType.Guid, e => ((Schedule)e).ScheduleID, nullable: false),
                TenantProperty(),
                P("Name", EdmType.String, e => ((Schedule)e).Name, nullable: false),
                P("Description", EdmType.String, e => ((Schedule)e).Description, writable: true),
                P("ScheduleType", EdmType.String, e => ((Schedule)e).ScheduleType.ToString(), nullable: false),
                P("StartTime", EdmType.DateTime, e => ((Schedule)e).StartTime, nullable: false),
                P("ExpiryTime", EdmType.DateTime, e => ((Schedule)e).ExpiryTime),
                P("NextRun", EdmType.DateTime, e => ((Schedule)e).NextRun),
                P("DayInterval", EdmType.Int32, e => ((Schedule)e).DayInterval),
                P("Interval", EdmType.Int32, e => ((Schedule)e).Interval),
                P("Cron", EdmType.String, e => ((Schedule)e).Cron),
                P("TimeZone", EdmType.String, e => ((Schedule)e).TimeZone, nullable: false),
                P("IsEnabled", EdmType.Boolean, e => ((Schedule)e).IsEnabled, nullable: false, writable: true),
                P("IsExpired", EdmType.Boolean, e => ((Schedule)e).IsExpired, nullable: false),
                P("Recurrence", EdmType.String, e => ((Schedule)e).Recurrence, nullable: false),
                P("DaysOfWeek", EdmType.String, e => ((Schedule)e).DaysOfWeek is { } days ? string.Join(",", days) : null),
                P("CreationTime", EdmType.DateTime, e => ((Schedule)e).CreationTime, nullable: false),
                P("LastModifiedTime", EdmType.DateTime, e => ((Schedule)e).LastModifiedTime, nullable: false),
            },
            ListAll = ctx => ctx.Schedules.List(),
            Get = (ctx, key) => ctx.Schedules.List().FirstOrDefault(s => s.ScheduleID == (Guid)key[0]!),
            Create = CreateSchedule,
            Update = UpdateSchedule,
            Delete = (ctx, e) => ctx.Schedules.Remove(ctx.Schedules.Find(((Schedule)e).Name) ?? throw SmaErrors.ScheduleNotFound(((Schedule)e).Name)),
        };

        var modules = new EntitySetDefinition
        {
            Name = "Modules",
            TypeName = "Module",
            Key = new[] { "ModuleID" },
            Properties = new[]
            {
                P("ModuleID", EdmType.Guid, e => ((SmaModule)e).ModuleID, nullable: false),
                P("ModuleName", EdmType.String, e => ((SmaModule)e).ModuleName, nullable: false),
                TenantProperty(),
                P("Version", EdmType.Int32, e => ((SmaModule)e).StoreVersion, nullable: false),
                P("ModuleVersion", EdmType.String, e => ((SmaModule)e).ModuleVersion),
                P("Description", EdmType.String, e => ((SmaModule)e).Description),
                P("ConnectionTypes", EdmType.String, e => string.Join(",", ((SmaModule)e).ConnectionTypes), nullable: false),
                P("Size", EdmType.Int64, e => ((SmaModule)e).Size, nullable: false),
                P("Sha256", EdmType.String, e => ((SmaModule)e).Sha256, nullable: false),
                P("CreationTime", EdmType.DateTime, e => ((SmaModule)e).CreationTime, nullable: false),
                P("LastModifiedTime", EdmType.DateTime, e => ((SmaModule)e).LastModifiedTime, nullable: false),
            },
            ListAll = ctx => ctx.Modules.List(),
            Get = (ctx, key) => ctx.Modules.List().FirstOrDefault(m => m.ModuleID == (Guid)key[0]!),
            CreateFromMedia = ImportModule,
            Delete = (ctx, e) => ctx.Modules.Remove((SmaModule)e),
        };

        return new[]
        {
            jobs, runbooks, runbookVersions, jobContexts, jobParameters, jobStreams, runbookParameters,
            variables, credentials, connections, connectionFieldValues, connectionTypes, connectionFields, certificates, schedules, modules,
            JobHistorySet(), AdminConfigurationsSet(), RunbookWorkersSet(), JobSchedulesSet(), JobSummariesSet(),
            JobChildRunbooksSet(), ScheduleOccurrencesSet(),
        };
    }

    // -------- operations --------

    private static OperationDefinition JobAction(string name, Func<RequestContext, Guid, Job> act) =>
        new(name, "POST", WebServiceRole.Operator, null, (ctx, e) =>
        {
            act(ctx, ((Job)e!).JobId);
            return OperationResult.None;
        });

    /// <summary>
    /// Runbooks(guid'…')/Start: body <c>{"parameters":[{"Name":…,"Value":…}]}</c> (or none). Values are text, converted to
    /// the runbook's declared types; the signed-in account is recorded as StartedBy. Returns the job id.
    /// </summary>
    private static OperationResult StartRunbook(RequestContext ctx, object? entity)
    {
        var values = new List<KeyValuePair<string, string?>>();
        var text = Encoding.UTF8.GetString(ctx.Body).Trim().TrimStart('\uFEFF');
        if (text.Length > 0 && text != "null")
        {
            try
            {
                using var document = JsonDocument.Parse(text);
                var root = document.RootElement;
                if (root.ValueKind != JsonValueKind.Object)
                    throw SmaErrors.WebInvalidBody("Start takes a JSON object: {\"parameters\":[{\"Name\":\"…\",\"Value\":\"…\"}]}");
                var parameters = root.EnumerateObject().FirstOrDefault(p => p.Name.Equals("parameters", StringComparison.OrdinalIgnoreCase)).Value;
                if (parameters.ValueKind == JsonValueKind.Array)
                {
                    foreach (var pair in parameters.EnumerateArray())
                    {
                        if (pair.ValueKind != JsonValueKind.Object)
                            throw SmaErrors.WebInvalidBody("each parameter is an object with Name and Value");
                        var name = pair.EnumerateObject().FirstOrDefault(p => p.Name.Equals("Name", StringComparison.OrdinalIgnoreCase)).Value;
                        var value = pair.EnumerateObject().FirstOrDefault(p => p.Name.Equals("Value", StringComparison.OrdinalIgnoreCase)).Value;
                        if (name.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(name.GetString()))
                            throw SmaErrors.WebInvalidBody("a parameter has no Name");
                        // SMA's clients name the person who starts the job this way; the signed-in account is recorded instead.
                        if (name.GetString()!.Equals("MicrosoftApplicationManagementStartedBy", StringComparison.OrdinalIgnoreCase))
                            continue;
                        values.Add(new(name.GetString()!, EntityBody.JsonText(value)));
                    }
                }
                else if (parameters.ValueKind is not (JsonValueKind.Null or JsonValueKind.Undefined))
                {
                    throw SmaErrors.WebInvalidBody("'parameters' is a JSON array of {\"Name\":…,\"Value\":…} objects");
                }
            }
            catch (JsonException e)
            {
                throw SmaErrors.WebInvalidBody($"it is not valid JSON ({e.Message})");
            }
        }
        var job = ctx.Jobs.StartWithText((Runbook)entity!, values, ctx.Account);
        return new OperationResult(job.JobId, EdmType.Guid);
    }

    /// <summary>JobStreams/GetStreamItems?jobId='…'&amp;streamType='Any'|'Output'|…, paged by StreamRecordId.</summary>
    private static OperationResult GetStreamItems(RequestContext ctx, object? _)
    {
        var query = ctx.Http.Request.Query;
        var jobText = Unquote(query["jobId"].ToString());
        if (jobText.Length == 0)
            throw SmaErrors.WebRequestInvalid("MissingParameter", "GetStreamItems needs jobId='<job guid>'.", "jobId");
        if (!Guid.TryParse(jobText, out var jobId))
            throw SmaErrors.WebInvalidKey("GetStreamItems", jobText, "jobId='00000000-0000-0000-0000-000000000000'");
        var typeText = Unquote(query["streamType"].ToString());
        StreamType? type = null;
        if (typeText.Length > 0 && !typeText.Equals("Any", StringComparison.OrdinalIgnoreCase))
        {
            type = Enum.TryParse<StreamType>(typeText, ignoreCase: true, out var t) && Enum.IsDefined(t) ? t
                : throw SmaErrors.WebRequestInvalid("InvalidStreamType",
                    $"'{typeText}' is not a stream type: give Any, {string.Join(", ", Enum.GetNames<StreamType>())}.", typeText);
        }
        long after = 0;
        if (query.TryGetValue("$skiptoken", out var token))
        {
            if (Literals.ReadList(token.ToString()) is not [long l])
                throw SmaErrors.WebRequestInvalid("InvalidSkipToken", $"'{token}' is not a skip token of GetStreamItems.", token.ToString());
            after = l;
        }
        var job = ctx.Jobs.Get(jobId);
        var items = StreamItems(ctx, job, type, after).Take(StreamPageSize + 1).ToList();
        return new OperationResult(null, Set: Find("JobStreams"), Entries: items,
            SkipTokenOf: e => Literals.Format(((StreamItemEntry)e).StreamRecordId));
    }

    public static int StreamPage => StreamPageSize;

    private static IEnumerable<StreamItemEntry> StreamItems(RequestContext ctx, Job job, StreamType? type, long after) =>
        ctx.Jobs.Output(job.JobId, type, null)
            .SkipWhile(r => r.StreamRecordId <= after)
            .Select(r => new StreamItemEntry(job.JobId, job.RunbookVersionId, r.StreamRecordId, r.StreamTypeName, r.StreamTime, r.StreamText));

    private static string Unquote(string text)
    {
        text = text.Trim();
        return text.Length >= 2 && text[0] == '\'' && text[^1] == '\'' ? text[1..^1].Replace("''", "'").Trim() : text;
    }

    // -------- runbooks --------

    /// <summary>
    /// POST RunbookVersions with a runbook's source as the body: a new runbook with that source as its draft. Its name
    /// is the Slug header, or the name of the workflow the source defines.
    /// </summary>
    private static object CreateRunbookFromSource(RequestContext ctx, byte[] body)
    {
        var source = Source(body);
        var name = ctx.Http.Request.Headers["Slug"].ToString().Trim();
        if (name.Length == 0)
            name = System.Text.RegularExpressions.Regex.Match(source, @"^\s*workflow\s+([\p{L}\p{Nd}_-]+)", System.Text.RegularExpressions.RegexOptions.Multiline | System.Text.RegularExpressions.RegexOptions.IgnoreCase).Groups[1].Value;
        if (name.Length == 0)
            throw SmaErrors.WebRequestInvalid("RunbookNameRequired",
                "A new runbook needs a name: send it in the Slug header (Slug: My-Runbook), or send workflow source (workflow My-Runbook { … }).", "Slug");
        // Without a runbookType, Workflow source makes a Workflow runbook (translated now) and anything else a script.
        var type = Entities.ParseRunbookType(ctx.Http.Request.Query["runbookType"].ToString());
        var runbook = ctx.Runbooks.Create(name, source, type, null, null, publish: false);
        return FindVersion(ctx, runbook.DraftRunbookVersionID!.Value)!;
    }

    private static object UpdateRunbook(RequestContext ctx, object entity, EntityBody body, bool merge)
    {
        var runbook = (Runbook)entity;
        CheckUnchanged(body, "RunbookName", runbook.RunbookName);
        CheckWritable("Runbooks", runbook, body);
        string? Setting(string name) => body.Has(name) ? body.Text(name) ?? "" : merge ? null : "";
        var type = body.Text("RunbookType") is { } t ? Entities.ParseRunbookType(t)
            ?? throw SmaErrors.WebRequestInvalid("InvalidPropertyValue", $"RunbookType is 'Script' (PowerShell Workflow) or 'PowerShellScript', not '{t}'.", t)
            : (RunbookType?)null;
        var worker = body.Has("RunbookWorker") ? body.Text("RunbookWorker") : null;
        if (worker is { Length: > 0 })
            Sma.Engine.Services.RunbookSource.CheckWorkerName(worker);
        var changes = new RunbookChanges
        {
            Description = Setting("Description"),
            Tags = Setting("Tags"),
            LogDebug = body.Bool("LogDebug") ?? (merge ? null : false),
            LogVerbose = body.Bool("LogVerbose") ?? (merge ? null : false),
            LogProgress = body.Bool("LogProgress") ?? (merge ? null : false),
            Type = type,
            SetRunbookWorker = body.Has("RunbookWorker") || !merge,
            RunbookWorker = string.IsNullOrEmpty(worker) ? null : worker,
        };
        return ctx.Runbooks.Configure(runbook, changes);
    }

    private static string? AtomText(object? value) => value is null ? null : AtomWriter.Text(EdmType.String, value);

    // -------- helpers --------

    private static Job? FindJob(RequestContext ctx, Guid id)
    {
        try
        {
            return ctx.Jobs.Get(id);
        }
        catch (SmaException e) when (e.ErrorId == "JobNotFound")
        {
            return null;
        }
    }

    private static Runbook? FindRunbook(RequestContext ctx, Guid id) => ctx.Runtime.Store.FindRunbook(id);

    private static SmaConnectionType? FindConnectionType(RequestContext ctx, string name) =>
        ctx.Assets.ListConnectionTypes().FirstOrDefault(t => t.Name.Equals(name, StringComparison.OrdinalIgnoreCase));

    /// <summary>A RunbookVersions entry: the version's definition (its source is read only for $value).</summary>
    private static RunbookDefinition? FindVersion(RequestContext ctx, Guid id) => ctx.Runtime.Store.GetDefinition(id);

    private static RunbookVersion Version(object entry) => ((RunbookDefinition)entry).RunbookVersion;

    /// <summary>Every version, named after its runbook (a removed runbook's versions by the name they keep).</summary>
    private static IEnumerable<object> ListVersions(RequestContext ctx)
    {
        var versions = (ctx.Runtime.Store as IJobPageStore)?.ListVersions(null) ?? Array.Empty<RunbookVersion>();
        var names = ctx.Runbooks.List().ToDictionary(r => r.RunbookID, r => r.RunbookName);
        return versions.Select(v => names.TryGetValue(v.RunbookID, out var name)
            ? new RunbookDefinition { RunbookName = name, RunbookVersion = v }
            : FindVersion(ctx, v.RunbookVersionID) ?? new RunbookDefinition { RunbookVersion = v });
    }

    private static string Source(byte[] body)
    {
        if (Array.IndexOf(body, (byte)0) >= 0)
            throw SmaErrors.WebInvalidBody("a runbook's source is text, and this body holds NUL bytes");
        try
        {
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(body).TrimStart('\uFEFF');
        }
        catch (DecoderFallbackException)
        {
            throw SmaErrors.WebInvalidBody("a runbook's source is UTF-8 text, and this body is not");
        }
    }

    private static string Required(EntityBody body, string name) =>
        body.Text(name) is { Length: > 0 } text ? text : throw Missing(name);

    private static SmaException Missing(string name) =>
        SmaErrors.WebRequestInvalid("MissingProperty", $"The entry needs the property {name}. Nothing was changed.", name);

    private static SmaException AlreadyExists(string kind, string name, string set) => new(
        "EntityAlreadyExists", ErrorCategory.ResourceExists,
        $"A {kind} named '{name}' already exists; nothing was changed. PUT or MERGE {set}(guid'…') to change it.", name);

    private static SmaException NotWritable(string set, string property) =>
        SmaErrors.WebRequestInvalid("PropertyNotWritable", $"Property {property} of {set} cannot be changed. Nothing was changed.", property);

    private static void CheckUnchanged(EntityBody body, string name, string current)
    {
        if (body.Text(name) is { } given && !given.Equals(current, StringComparison.Ordinal))
            throw NotWritable("this entry", name);
    }

    private static string? Password(EntityBody body) => body.Text("RawValue") ?? body.Text("Password");

    private static PSCredential Credential(string userName, string password)
    {
        var secure = new SecureString();
        foreach (var ch in password)
            secure.AppendChar(ch);
        secure.MakeReadOnly();
        return new PSCredential(userName, secure);
    }
}
