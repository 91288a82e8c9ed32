using System.Collections;
using System.Globalization;
using System.Management.Automation;
using System.Text;
using System.Text.Json;
using Sma.Engine.Model;
using Sma.Engine.Scheduling;
using Sma.Engine.Services;
using Sma.Engine.States;
using Sma.Engine.Store;

namespace Sma.Engine.Remote;

/// <summary>
/// What the module's cmdlets do, done through a remote SMA web service (DESIGN §5, §13): the same engine objects and
/// the same errors as the local services give, so a script written for SMA runs unchanged against the server.
/// </summary>
public sealed class RemoteService : IDisposable
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(250);
    private readonly WebServiceClient _client;

    public RemoteService(WebServiceClient client) => _client = client;

    public string Endpoint => _client.ServiceRoot.ToString();

    /// <summary>The requests sent so far (each one round trip to the server).</summary>
    public int RequestsSent => _client.RequestsSent;

    // -------- runbooks --------

    public IReadOnlyList<Runbook> ListRunbooks() => Feed("Runbooks?$orderby=RunbookName").Select(RemoteEntities.Runbook).ToList();

    public Runbook GetRunbook(string name) => FindRunbook(name) ?? throw SmaErrors.RunbookNotFound(name);

    public Runbook? FindRunbook(string name) =>
        Feed($"Runbooks?$filter={Filter($"RunbookName eq {Quote(name)}")}").Select(RemoteEntities.Runbook).FirstOrDefault();

    public Runbook GetRunbook(Guid id) => NotFoundAs(() => RemoteEntities.Runbook(_client.Get($"Runbooks(guid'{id}')")), SmaErrors.RunbookIdNotFound(id));

    /// <summary>Import-SmaRunbook: POST RunbookVersions with the file's source (Slug: the name), then its settings, then publish.</summary>
    public Runbook Import(string path, string? name, RunbookType? type, string? description, string? tags, bool publish)
    {
        var source = RunbookSource.ReadFile(path);
        name ??= Path.GetFileNameWithoutExtension(path);
        RunbookSource.CheckName(name);
        var query = type is { } t ? "?runbookType=" + (t == RunbookType.Workflow ? "Script" : "PowerShellScript") : "";
        var version = _client.Send(HttpMethod.Post, "RunbookVersions" + query, new StringContent(source, Encoding.UTF8, "text/plain"),
            request => request.Headers.Add("Slug", name))!.Value;
        var runbookId = Guid.Parse(RemoteEntities.Text(version, "RunbookID")!);
        if (description is not null || tags is not null)
        {
            var changes = new Dictionary<string, object?>();
            if (description is not null)
                changes["Description"] = description;
            if (tags is not null)
                changes["Tags"] = tags;
            Merge($"Runbooks(guid'{runbookId}')", changes);
        }
        if (publish)
            _client.Send(HttpMethod.Post, $"Runbooks(guid'{runbookId}')/Publish", null);
        return GetRunbook(runbookId);
    }

    /// <summary>
    /// Import-SmaRunbook -Force on a runbook the server has, as the local Replace: the file is read, translated or parsed
    /// here first (a bad file changes nothing), then SMA's way — Edit gives the runbook a draft, the source replaces it
    /// (PUT $value), the settings given (and Workflow for Workflow source unless a type is given) are MERGEd, and it is
    /// published with <paramref name="publish"/>. The runbook keeps its id, settings and jobs.
    /// </summary>
    public Runbook Replace(Runbook runbook, string path, RunbookType? type, string? description, string? tags, bool publish)
    {
        var source = RunbookSource.ReadFile(path);
        var workflow = Sma.Engine.Workflows.WorkflowTranslator.Translate(source, runbook.RunbookName, Path.GetFileNameWithoutExtension(path), runbook.RunbookName);
        if (workflow is null)
            RunbookSource.Parse(runbook.RunbookName, source);
        type ??= workflow is null ? null : RunbookType.Workflow;
        var edit = NotFoundAs(() => _client.Send(HttpMethod.Post, $"Runbooks(guid'{runbook.RunbookID}')/Edit", null)!.Value,
            SmaErrors.RunbookIdNotFound(runbook.RunbookID));
        var draft = Guid.Parse(edit.GetProperty("Edit").GetString()!);
        _client.Send(HttpMethod.Put, $"RunbookVersions(guid'{draft}')/$value", new StringContent(source, Encoding.UTF8, "text/plain"));
        if (type is not null || description is not null || tags is not null)
            Configure(runbook, new RunbookChanges { Type = type, Description = description, Tags = tags });
        return publish ? Publish(runbook) : GetRunbook(runbook.RunbookID);
    }

    public Runbook Publish(Runbook runbook)
    {
        _client.Send(HttpMethod.Post, $"Runbooks(guid'{runbook.RunbookID}')/Publish", null);
        return GetRunbook(runbook.RunbookID);
    }

    /// <summary>
    /// Edit-SmaRunbook: SMA's way — Runbooks(guid'…')/Edit gives the runbook a draft (if it has none), then the file's
    /// source replaces it (PUT RunbookVersions(guid'…')/$value). The file is read and parsed here first, as locally, so
    /// a file with syntax errors changes nothing on the server.
    /// </summary>
    public Runbook Edit(Runbook runbook, string path, bool overwrite)
    {
        var source = RunbookSource.ReadFile(path);
        var workflow = Sma.Engine.Workflows.WorkflowTranslator.Translate(source, runbook.RunbookName, Path.GetFileNameWithoutExtension(path), runbook.RunbookName);
        if (workflow is null)
            RunbookSource.Parse(runbook.RunbookName, source);
        var current = GetRunbook(runbook.RunbookID);
        if (current.DraftRunbookVersionID is not null && !overwrite)
            throw SmaErrors.DraftExists(current.RunbookName);
        var edit = NotFoundAs(() => _client.Send(HttpMethod.Post, $"Runbooks(guid'{runbook.RunbookID}')/Edit", null)!.Value,
            SmaErrors.RunbookIdNotFound(runbook.RunbookID));
        var draft = Guid.Parse(edit.GetProperty("Edit").GetString()!);
        _client.Send(HttpMethod.Put, $"RunbookVersions(guid'{draft}')/$value", new StringContent(source, Encoding.UTF8, "text/plain"));
        return GetRunbook(runbook.RunbookID);
    }

    /// <summary>Set-SmaRunbookConfiguration: MERGE the settings given (the others keep their values), as the local Configure.</summary>
    public Runbook Configure(Runbook runbook, RunbookChanges changes)
    {
        var body = new Dictionary<string, object?>();
        if (changes.LogVerbose is { } verbose)
            body["LogVerbose"] = verbose;
        if (changes.LogProgress is { } progress)
            body["LogProgress"] = progress;
        if (changes.LogDebug is { } debug)
            body["LogDebug"] = debug;
        if (changes.Description is not null)
            body["Description"] = changes.Description;
        if (changes.Tags is not null)
            body["Tags"] = changes.Tags;
        // SMA's words: Script was its PowerShell Workflow runbook, PowerShellScript a plain script.
        if (changes.Type is { } type)
            body["RunbookType"] = type == RunbookType.Workflow ? "Script" : "PowerShellScript";
        if (changes.SetRunbookWorker)
            body["RunbookWorker"] = changes.RunbookWorker;
        NotFoundAs(() => { Merge($"Runbooks(guid'{runbook.RunbookID}')", body); return 0; }, SmaErrors.RunbookIdNotFound(runbook.RunbookID));
        return GetRunbook(runbook.RunbookID);
    }

    /// <summary>Remove-SmaRunbook: DELETE the entry; its jobs and their versions stay on the server, as locally.</summary>
    public void RemoveRunbook(Runbook runbook) =>
        NotFoundAs(() => _client.Send(HttpMethod.Delete, $"Runbooks(guid'{runbook.RunbookID}')", null), SmaErrors.RunbookIdNotFound(runbook.RunbookID));

    // -------- jobs --------

    /// <summary>Start-SmaRunbook: the Start action with SMA's body (every value as text; arrays and hashtables as JSON).</summary>
    public Job Start(Runbook runbook, IDictionary? parameters)
    {
        var pairs = new List<object>();
        foreach (DictionaryEntry entry in parameters ?? new Hashtable())
        {
            var value = entry.Value is PSObject p ? p.BaseObject : entry.Value;
            if (value is PSCredential or System.Security.SecureString)
                throw SmaErrors.RemoteSecretParameter(runbook.RunbookName, entry.Key.ToString() ?? "");
            pairs.Add(new Dictionary<string, object?>
            {
                ["__metadata"] = new { type = "Orchestrator.ResourceModel.NameValuePair" },
                ["Name"] = entry.Key.ToString(),
                ["Value"] = ValueText.ToText(value),
            });
        }
        var result = _client.Send(HttpMethod.Post, $"Runbooks(guid'{runbook.RunbookID}')/Start", WebServiceClient.Json(new { parameters = pairs }))!.Value;
        return GetJob(Guid.Parse(result.GetProperty("Start").GetString()!));
    }

    /// <summary>A job's entry links to its context, which links to its parameters: both come inline in the one response.</summary>
    private const string WithParameters = "$expand=JobContext/JobParameters";

    public Job GetJob(Guid id) =>
        RemoteEntities.Job(NotFoundAs(() => _client.Get($"Jobs(guid'{id}')?{WithParameters}"), SmaErrors.JobNotFound(id)), Endpoint);

    /// <summary>Get-SmaJob's query as a $filter, newest first; <see cref="JobQuery.RunbookNamePattern"/> is an exact name.</summary>
    public IReadOnlyList<Job> QueryJobs(JobQuery query)
    {
        var terms = new List<string>();
        if (query.RunbookId is { } runbookId)
            terms.Add($"RunbookID eq guid'{runbookId}'");
        if (query.RunbookNamePattern is { } name)
            terms.Add($"RunbookName eq {Quote(name)}");
        if (query.Statuses is { Count: > 0 } statuses)
            terms.Add("(" + string.Join(" or ", statuses.Select(s => $"JobStatus eq '{JobStatusNames.ServiceName(s)}'")) + ")");
        if (query.ModifiedAfter is { } after)
            terms.Add($"LastModifiedTime ge datetime'{after.ToUniversalTime():yyyy-MM-ddTHH:mm:ss.fffffff}Z'");
        if (query.ModifiedBefore is { } before)
            terms.Add($"LastModifiedTime le datetime'{before.ToUniversalTime():yyyy-MM-ddTHH:mm:ss.fffffff}Z'");
        // One request per page of jobs (the service's page size), parameters included.
        var path = $"Jobs?$orderby=CreationTime desc&{WithParameters}" + (terms.Count > 0 ? "&$filter=" + Filter(string.Join(" and ", terms)) : "")
            + (query.First is { } first ? $"&$top={first}" : "");
        return Feed(path).Select(e => RemoteEntities.Job(e, Endpoint)).ToList();
    }

    /// <summary>Get-SmaJobOutput: SMA's GetStreamItems, page after page.</summary>
    public IEnumerable<JobStreamRecord> Output(Guid jobId, StreamType? type, DateTime? since)
    {
        GetJob(jobId); // JobNotFound as locally, before anything is written
        var stream = type?.ToString() ?? "Any";
        return Feed($"JobStreams/GetStreamItems?jobId='{jobId}'&streamType='{stream}'")
            .Select(RemoteEntities.StreamRecord)
            .Where(r => since is null || r.StreamTime >= since.Value.ToUniversalTime());
    }

    public Job Stop(Guid id) => Request(id, "Stop");

    public Job Suspend(Guid id) => Request(id, "Suspend");

    public Job Resume(Guid id) => Request(id, "Resume");

    private Job Request(Guid id, string action)
    {
        NotFoundAs(() => _client.Send(HttpMethod.Post, $"Jobs(guid'{id}')/{action}", null), SmaErrors.JobNotFound(id));
        return GetJob(id);
    }

    /// <summary>Waits (polling, as SMA's clients did) until each job is at rest or the timeout passes; the jobs as last seen.</summary>
    public IReadOnlyList<Job> Wait(IReadOnlyList<Guid> ids, TimeSpan? timeout, Action<int, int>? onPoll, CancellationToken cancel)
    {
        var deadline = timeout is { } t ? DateTime.UtcNow + t : DateTime.MaxValue;
        while (true)
        {
            var jobs = ids.Select(GetJob).ToList();
            var done = jobs.Count(j => j.Status is "Completed" or "Failed" or "Stopped" or "Suspended");
            onPoll?.Invoke(done, jobs.Count);
            if (done == jobs.Count || DateTime.UtcNow >= deadline || cancel.WaitHandle.WaitOne(Poll))
                return jobs;
        }
    }

    /// <summary>Get-SmaJobHistory: the job's status changes and records, in order (Jobs(guid'…')/JobHistory).</summary>
    public IReadOnlyList<JobHistoryRecord> History(Guid jobId) =>
        NotFoundAs(() => Feed($"Jobs(guid'{jobId}')/JobHistory").Select(RemoteEntities.HistoryRecord).ToList(), SmaErrors.JobNotFound(jobId));

    /// <summary>Remove-SmaJob: DELETE the job (refused, as locally, while it has not ended).</summary>
    public void RemoveJob(Guid jobId) =>
        NotFoundAs(() => _client.Send(HttpMethod.Delete, $"Jobs(guid'{jobId}')", null), SmaErrors.JobNotFound(jobId));

    /// <summary>Remove-SmaJob -OlderThan: the ended jobs whose last change is before the cutoff, oldest first, as locally.</summary>
    public IReadOnlyList<Guid> FinalJobsOlderThan(DateTime cutoff)
    {
        var final = string.Join(" or ", Enum.GetValues<JobStatus>().Where(JobTransitions.IsFinal).Select(st => $"JobStatus eq '{JobStatusNames.ServiceName(st)}'"));
        var filter = $"({final}) and LastModifiedTime lt datetime'{cutoff.ToUniversalTime():yyyy-MM-ddTHH:mm:ss.fffffff}Z'";
        return Feed($"Jobs?$orderby=LastModifiedTime&$filter={Filter(filter)}").Select(e => Guid.Parse(RemoteEntities.Text(e, "JobID")!)).ToList();
    }

    // -------- administration --------

    public AdminConfiguration GetAdminConfiguration() =>
        RemoteEntities.AdminConfiguration(_client.Get($"AdminConfigurations(guid'{Guid.Empty}')"));

    /// <summary>Set-SmaAdminConfiguration: MERGE the settings given; the server checks them as the local service does.</summary>
    public AdminConfiguration SetAdminConfiguration(int? purgeJobsOlderThanCountDays, int? maxJobRecords)
    {
        var body = new Dictionary<string, object?>();
        if (purgeJobsOlderThanCountDays is { } days)
            body["PurgeJobsOlderThanCountDays"] = days;
        if (maxJobRecords is { } records)
            body["MaxJobRecords"] = records;
        Merge($"AdminConfigurations(guid'{Guid.Empty}')", body);
        return GetAdminConfiguration();
    }

    /// <summary>Get-SmaRunbookWorkerDeployment: the server's workers, their liveness judged there, by name as the store lists them.</summary>
    public IReadOnlyList<WorkerInfo> ListWorkers() =>
        Feed("RunbookWorkers").Select(RemoteEntities.Worker).OrderBy(w => w.Name, StoreOrder).ToList();

    // -------- assets --------

    public IReadOnlyList<SmaVariable> ListVariables() => Feed("Variables").Select(RemoteEntities.Variable).OrderBy(v => v.Name).ToList();

    public SmaVariable GetVariable(string name) =>
        ListVariables().FirstOrDefault(v => v.Name.Equals(name, StringComparison.OrdinalIgnoreCase)) ?? throw SmaErrors.VariableNotFound(name);

    /// <summary>Set-SmaVariable: a new variable (POST) or a new value for the one there (MERGE).</summary>
    public SmaVariable SetVariable(string name, object? value, string? description, bool? encrypted)
    {
        var existing = ListVariables().FirstOrDefault(v => v.Name.Equals(name, StringComparison.OrdinalIgnoreCase));
        var json = JsonSerializer.Serialize(ValueText.Plain(value));
        var body = new Dictionary<string, object?> { ["Value"] = json };
        if (description is not null)
            body["Description"] = description;
        if (existing is null)
        {
            body["Name"] = name;
            body["IsEncrypted"] = encrypted ?? false;
            _client.Send(HttpMethod.Post, "Variables", WebServiceClient.Json(body));
        }
        else
        {
            if (encrypted is { } e && e != existing.IsEncrypted)
                throw SmaErrors.VariableEncryptionFixed(existing.Name, existing.IsEncrypted);
            Merge($"Variables(guid'{existing.VariableID}')", body);
        }
        return GetVariable(name);
    }

    /// <summary>Remove-SmaVariable: DELETE the entry; gone in between is VariableNotFound, as locally.</summary>
    public void RemoveVariable(SmaVariable variable) =>
        NotFoundAs(() => _client.Send(HttpMethod.Delete, $"Variables(guid'{variable.VariableID}')", null), SmaErrors.VariableNotFound(variable.Name));

    public IReadOnlyList<SmaCredential> ListCredentials() => Feed("Credentials").Select(RemoteEntities.Credential).OrderBy(c => c.Name).ToList();

    public SmaCredential GetCredential(string name) =>
        ListCredentials().FirstOrDefault(c => c.Name.Equals(name, StringComparison.OrdinalIgnoreCase)) ?? throw SmaErrors.CredentialNotFound(name);

    /// <summary>Set-SmaCredential: the password travels once, over TLS, as SMA's clients sent it (RawValue); it is never read back.</summary>
    public SmaCredential SetCredential(string name, PSCredential value, string? description)
    {
        var existing = ListCredentials().FirstOrDefault(c => c.Name.Equals(name, StringComparison.OrdinalIgnoreCase));
        var body = new Dictionary<string, object?>
        {
            ["UserName"] = value.UserName,
            ["RawValue"] = value.GetNetworkCredential().Password,
        };
        if (description is not null)
            body["Description"] = description;
        if (existing is null)
        {
            body["Name"] = name;
            _client.Send(HttpMethod.Post, "Credentials", WebServiceClient.Json(body));
        }
        else
        {
            _client.Send(HttpMethod.Put, $"Credentials(guid'{existing.CredentialID}')", WebServiceClient.Json(body));
        }
        return GetCredential(name);
    }

    /// <summary>Remove-SmaCredential: DELETE the entry; gone in between is CredentialNotFound, as locally.</summary>
    public void RemoveCredential(SmaCredential credential) =>
        NotFoundAs(() => _client.Send(HttpMethod.Delete, $"Credentials(guid'{credential.CredentialID}')", null), SmaErrors.CredentialNotFound(credential.Name));

    public IReadOnlyList<SmaCertificate> ListCertificates() =>
        Feed("Certificates").Select(RemoteEntities.Certificate).OrderBy(c => c.Name, StoreOrder).ToList();

    public SmaCertificate GetCertificate(string name) =>
        ListCertificates().FirstOrDefault(c => c.Name.Equals(name, StringComparison.OrdinalIgnoreCase)) ?? throw SmaErrors.CertificateNotFound(name);

    /// <summary>Every connection with its field values, in one request ($expand).</summary>
    public IReadOnlyList<SmaConnection> ListConnections() =>
        Feed("Connections?$expand=ConnectionFieldValues").Select(e => RemoteEntities.Connection(e, Endpoint)).OrderBy(c => c.Name, StoreOrder).ToList();

    public SmaConnection GetConnection(string name) =>
        ListConnections().FirstOrDefault(c => c.Name.Equals(name, StringComparison.OrdinalIgnoreCase)) ?? throw SmaErrors.ConnectionNotFound(name);

    /// <summary>
    /// New-SmaConnection: POST Connections with the field values as one JSON object (name to value as text); the
    /// server converts and checks them against the type as locally, and stores encrypted fields encrypted.
    /// </summary>
    public SmaConnection NewConnection(string name, string typeName, IDictionary? fieldValues, string? description)
    {
        AssetService.CheckName("connection", name);
        var fields = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (DictionaryEntry entry in fieldValues ?? new Hashtable())
            fields[entry.Key.ToString() ?? ""] = FieldText(entry.Value);
        var body = new Dictionary<string, object?>
        {
            ["Name"] = name,
            ["ConnectionTypeName"] = typeName,
            ["ConnectionFieldValues"] = JsonSerializer.Serialize(fields),
        };
        if (description is not null)
            body["Description"] = description;
        _client.Send(HttpMethod.Post, "Connections", WebServiceClient.Json(body));
        return GetConnection(name);
    }

    /// <summary>Set-SmaConnectionFieldValue: PUT the one ConnectionFieldValues entry (null clears an optional field).</summary>
    public SmaConnection SetConnectionField(string connectionName, string fieldName, object? value)
    {
        var connection = GetConnection(connectionName);
        if (!connection.ConnectionFieldValues.Contains(fieldName))
        {
            // As locally: a field the connection's type does not have is named with the fields it has.
            var type = GetConnectionType(connection.ConnectionTypeName);
            throw SmaErrors.UnknownConnectionField(type.Name, fieldName, type.Fields.Select(f => f.Name));
        }
        var body = new Dictionary<string, object?> { ["Value"] = FieldText(value) };
        _client.Send(HttpMethod.Put, $"ConnectionFieldValues(ConnectionName={Quote(connection.Name)},ConnectionFieldName={Quote(fieldName)})",
            WebServiceClient.Json(body));
        return GetConnection(connection.Name);
    }

    /// <summary>Remove-SmaConnection: DELETE the entry; gone in between is ConnectionNotFound, as locally.</summary>
    public void RemoveConnection(SmaConnection connection) =>
        NotFoundAs(() => _client.Send(HttpMethod.Delete, $"Connections(guid'{connection.ConnectionID}')", null), SmaErrors.ConnectionNotFound(connection.Name));

    /// <summary>Every connection type with its fields, in one request ($expand), by name as the store lists them.</summary>
    public IReadOnlyList<SmaConnectionType> ListConnectionTypes() =>
        Feed("ConnectionTypes?$expand=ConnectionFields").Select(e => RemoteEntities.ConnectionType(e, Endpoint))
            .OrderBy(t => t.Name, StoreOrder).ToList();

    public SmaConnectionType GetConnectionType(string name)
    {
        var types = ListConnectionTypes();
        return types.FirstOrDefault(t => t.Name.Equals(name, StringComparison.OrdinalIgnoreCase))
            ?? throw SmaErrors.ConnectionTypeNotFound(name, types.Select(t => t.Name));
    }

    /// <summary>A connection field's value as text for the service (the server converts it to the field's type).</summary>
    private static string? FieldText(object? value) =>
        (value is PSObject p ? p.BaseObject : value) is System.Security.SecureString secure
            ? new System.Net.NetworkCredential("", secure).Password
            : ValueText.ToText(value);

    /// <summary>
    /// Set-SmaCertificate: the file is read and opened here first (a wrong password or a damaged file is the local
    /// error, and nothing is sent); its content travels base64 as SMA's RawValue, with the password, once over TLS.
    /// The private key never comes back.
    /// </summary>
    public SmaCertificate SetCertificate(string name, string path, System.Security.SecureString? password, string? description)
    {
        var plain = password is null ? null : new System.Net.NetworkCredential("", password).Password;
        var bytes = AssetService.ReadCertificateFile(name, path, plain);
        var existing = ListCertificates().FirstOrDefault(c => c.Name.Equals(name, StringComparison.OrdinalIgnoreCase));
        var body = new Dictionary<string, object?> { ["RawValue"] = Convert.ToBase64String(bytes) };
        if (plain is not null)
            body["Password"] = plain;
        if (description is not null)
            body["Description"] = description;
        if (existing is null)
        {
            body["Name"] = name;
            _client.Send(HttpMethod.Post, "Certificates", WebServiceClient.Json(body));
        }
        else
        {
            NotFoundAs(() => _client.Send(HttpMethod.Put, $"Certificates(guid'{existing.CertificateID}')", WebServiceClient.Json(body)),
                SmaErrors.CertificateNotFound(name));
        }
        return GetCertificate(name);
    }

    /// <summary>Remove-SmaCertificate: DELETE the entry; gone in between is CertificateNotFound, as locally.</summary>
    public void RemoveCertificate(SmaCertificate certificate) =>
        NotFoundAs(() => _client.Send(HttpMethod.Delete, $"Certificates(guid'{certificate.CertificateID}')", null), SmaErrors.CertificateNotFound(certificate.Name));

    // -------- schedules and modules --------

    /// <summary>Get-SmaSchedule: every schedule, or those whose name matches the wildcard pattern (any case), by name.</summary>
    public IReadOnlyList<Schedule> ListSchedules(string? pattern = null)
    {
        var match = pattern is null ? null : new WildcardPattern(pattern, WildcardOptions.IgnoreCase);
        return Feed("Schedules").Select(RemoteEntities.Schedule).Where(s => match?.IsMatch(s.Name) != false).OrderBy(s => s.Name, StoreOrder).ToList();
    }

    public IReadOnlyList<SmaModule> ListModules() => Feed("Modules").Select(RemoteEntities.Module).OrderBy(m => m.ModuleName, StoreOrder).ToList();

    public SmaModule GetModule(string name) =>
        ListModules().FirstOrDefault(m => m.ModuleName.Equals(name, StringComparison.OrdinalIgnoreCase)) ?? throw SmaErrors.ModuleNotFound(name);

    public SmaModule GetModule(Guid id) =>
        RemoteEntities.Module(NotFoundAs(() => _client.Get($"Modules(guid'{id}')"), SmaErrors.ModuleIdNotFound(id)));

    /// <summary>
    /// Import-SmaModule: the module is read and checked here (a .zip or a folder, as locally), then its repacked .zip
    /// is uploaded as SMA did, the media of a new Modules entry (POST Modules, Slug: the module's name).
    /// </summary>
    public SmaModule ImportModule(ModuleWrite module)
    {
        var content = new ByteArrayContent(module.Content);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/zip");
        var entry = _client.Send(HttpMethod.Post, "Modules", content, request => request.Headers.Add("Slug", module.Name))!.Value;
        return RemoteEntities.Module(entry);
    }

    /// <summary>Remove-SmaModule: DELETE the entry (refused, as locally, while a connection uses its type).</summary>
    public void RemoveModule(SmaModule module) =>
        NotFoundAs(() => _client.Send(HttpMethod.Delete, $"Modules(guid'{module.ModuleID}')", null), SmaErrors.ModuleNotFound(module.ModuleName));

    public Schedule GetSchedule(string name) =>
        FindSchedule(name) ?? throw SmaErrors.ScheduleNotFound(name);

    public Schedule? FindSchedule(string name) =>
        Feed($"Schedules?$filter={Filter($"Name eq {Quote(name)}")}").Select(RemoteEntities.Schedule)
            .FirstOrDefault(s => s.Name.Equals(name, StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// Set-SmaSchedule for a new schedule: checked here as locally (the caller's zone when none is given, a wall-clock
    /// time read in it), then POSTed as its definition in UTC with its zone; the server checks it again.
    /// </summary>
    public Schedule CreateSchedule(string name, ScheduleDefinition definition, string? description)
    {
        var body = new Dictionary<string, object?>
        {
            ["Name"] = name,
            ["ScheduleType"] = definition.Type.ToString(),
            ["StartTime"] = definition.StartTime.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture),
            ["ExpiryTime"] = definition.ExpiryTime?.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture),
            ["Interval"] = definition.Interval,
            ["DaysOfWeek"] = definition.DaysText,
            ["Cron"] = definition.Cron,
            ["TimeZone"] = definition.TimeZone,
        };
        if (description is not null)
            body["Description"] = description;
        _client.Send(HttpMethod.Post, "Schedules", WebServiceClient.Json(body));
        return GetSchedule(name);
    }

    /// <summary>
    /// SMA's rule for an existing schedule, as <see cref="ScheduleService.CheckUnchanged"/>: a definition given again
    /// must be the one the server has (times as the service carries them, to the millisecond).
    /// </summary>
    public static void CheckUnchanged(Schedule existing, ScheduleRequest request)
    {
        var stored = new ScheduleDefinition(existing.ScheduleType, existing.StartTime, existing.ExpiryTime, existing.Interval,
            existing.DaysOfWeek, existing.Cron, existing.TimeZone);
        var given = request.Define(DateTime.UtcNow, existing.TimeZone, existing.StartTime, existing: true);
        given = given with { StartTime = ToMilliseconds(given.StartTime), ExpiryTime = given.ExpiryTime is { } x ? ToMilliseconds(x) : null };
        if (ScheduleRequest.FirstDifference(stored, given) is { } what)
            throw SmaErrors.ScheduleCannotChange(existing.Name, what);
    }

    private static DateTime ToMilliseconds(DateTime time) => new(time.Ticks - time.Ticks % TimeSpan.TicksPerMillisecond, time.Kind);

    /// <summary>Set-SmaSchedule on an existing schedule: MERGE its description and/or whether it is enabled.</summary>
    public Schedule UpdateSchedule(Schedule existing, bool setDescription, string? description, bool? enabled)
    {
        var body = new Dictionary<string, object?>();
        if (setDescription)
            body["Description"] = description;
        if (enabled is { } on)
            body["IsEnabled"] = on;
        NotFoundAs(() => { Merge($"Schedules(guid'{existing.ScheduleID}')", body); return 0; }, SmaErrors.ScheduleNotFound(existing.Name));
        return GetSchedule(existing.Name);
    }

    /// <summary>Remove-SmaSchedule: DELETE the entry, with its links; gone in between is ScheduleNotFound, as locally.</summary>
    public void RemoveSchedule(Schedule schedule) =>
        NotFoundAs(() => _client.Send(HttpMethod.Delete, $"Schedules(guid'{schedule.ScheduleID}')", null), SmaErrors.ScheduleNotFound(schedule.Name));

    /// <summary>The links of runbooks to schedules, by runbook then schedule name as the store lists them.</summary>
    public IReadOnlyList<ScheduledRunbook> ListLinks() =>
        Feed("JobSchedules").Select(RemoteEntities.ScheduledRunbook)
            .OrderBy(l => l.RunbookName, StringComparer.OrdinalIgnoreCase).ThenBy(l => l.ScheduleName, StringComparer.OrdinalIgnoreCase).ToList();

    /// <summary>
    /// Register-SmaScheduledRunbook: POST JobSchedules with the values as text, as a start sends them (a credential is
    /// refused before anything is sent); the server converts and checks them against the runbook's parameters.
    /// </summary>
    public ScheduledRunbook Link(Runbook runbook, string scheduleName, IDictionary? parameters)
    {
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (DictionaryEntry entry in parameters ?? new Hashtable())
        {
            var value = entry.Value is PSObject p ? p.BaseObject : entry.Value;
            if (value is PSCredential or System.Security.SecureString)
                throw SmaErrors.ForScheduleLink(SmaErrors.RemoteSecretParameter(runbook.RunbookName, entry.Key.ToString() ?? ""));
            values[entry.Key.ToString() ?? ""] = ValueText.ToText(value);
        }
        var body = new Dictionary<string, object?>
        {
            ["RunbookID"] = runbook.RunbookID.ToString(),
            ["ScheduleName"] = scheduleName,
            ["Parameters"] = JsonSerializer.Serialize(values),
        };
        var created = _client.Send(HttpMethod.Post, "JobSchedules", WebServiceClient.Json(body))!.Value;
        return RemoteEntities.ScheduledRunbook(created);
    }

    /// <summary>Remove-SmaScheduledRunbook: the link of the two names (any case), deleted by its id.</summary>
    public void Unlink(string runbookName, string scheduleName)
    {
        var link = ListLinks().FirstOrDefault(l => l.RunbookName.Equals(runbookName, StringComparison.OrdinalIgnoreCase)
                && l.ScheduleName.Equals(scheduleName, StringComparison.OrdinalIgnoreCase))
            ?? throw SmaErrors.ScheduledRunbookNotFound(runbookName, scheduleName);
        NotFoundAs(() => _client.Send(HttpMethod.Delete, $"JobSchedules(guid'{link.JobScheduleId}')", null),
            SmaErrors.ScheduledRunbookNotFound(runbookName, scheduleName));
    }

    /// <summary>
    /// Get-SmaJobSummary: the server's counts for the range this caller means (its slices, by this caller's clock:
    /// the range's last slice start is sent as now), the local errors for a runbook name no runbook and no job has.
    /// </summary>
    public IReadOnlyList<JobSummaryRow> Summarize(SummaryRange range, string? runbookName)
    {
        var unit = range.Unit == SummarySlice.Hour ? "hours" : "days";
        var now = range.SliceStart(range.SliceCount - 1);
        var path = $"JobSummaries/Summarize?{unit}={range.SliceCount}&now=datetime'{now:yyyy-MM-ddTHH:mm:ss}Z'"
            + (runbookName is null ? "" : "&runbookName=" + Uri.EscapeDataString(Quote(runbookName)));
        return Feed(path).Select(RemoteEntities.SummaryRow).ToList();
    }

    /// <summary>Show-SmaDashboard: the server's counts, drawn here as the local dashboard draws them.</summary>
    public IReadOnlyList<string> RenderText(SummaryRange range, string? runbookName) =>
        Sma.Engine.Dashboard.TextDashboard.Render(Summarize(range, runbookName), range, runbookName);

    // -------- runbook definitions --------

    /// <summary>Get-SmaRunbookDefinition -Type: the runbook's draft or published version, with the local errors when it has none.</summary>
    public RunbookDefinition GetDefinition(Runbook runbook, bool draft, bool translated = false)
    {
        var version = draft ? runbook.DraftRunbookVersionID : runbook.PublishedRunbookVersionID;
        if (version is null)
            throw draft ? SmaErrors.NoDraft(runbook.RunbookName) : SmaErrors.NoPublishedVersion(runbook.RunbookName);
        return GetDefinition(version.Value, translated);
    }

    /// <summary>
    /// Get-SmaRunbookDefinition -VersionId: the version's entry, then its source (RunbookVersions(guid'…')/$value) or,
    /// with <paramref name="translated"/>, the text its jobs run (RunbookVersions(guid'…')/GetTranslatedContent).
    /// </summary>
    public RunbookDefinition GetDefinition(Guid versionId, bool translated = false)
    {
        var notFound = SmaErrors.VersionNotFound(versionId);
        var entry = NotFoundAs(() => _client.Get($"RunbookVersions(guid'{versionId}')"), notFound);
        return Definition(entry, versionId, translated, notFound);
    }

    /// <summary>
    /// A definition as the local store gives it: the source or (translated) the text jobs run as Content, and
    /// Translated set for a Workflow version (its translation differs from its source), null for a script.
    /// </summary>
    private RunbookDefinition Definition(JsonElement entry, Guid versionId, bool translated, SmaException notFound)
    {
        var source = Content(versionId, false, notFound);
        var text = Content(versionId, true, notFound);
        return RemoteEntities.Definition(entry, translated ? text : source, text == source ? null : text);
    }

    /// <summary>
    /// Get-SmaRunbookDefinition -Children: the child versions the job pinned, in the order they were resolved
    /// (Jobs(guid'…')/ChildRunbooks), each with its source or its translation.
    /// </summary>
    public IReadOnlyList<RunbookDefinition> GetChildDefinitions(Guid jobId, bool translated)
    {
        var children = NotFoundAs(() => Feed($"Jobs(guid'{jobId}')/ChildRunbooks?$orderby=Position").ToList(), SmaErrors.JobNotFound(jobId));
        return children.Select(child =>
        {
            var versionId = Guid.Parse(RemoteEntities.Text(child, "RunbookVersionID")!);
            return Definition(child, versionId, translated, SmaErrors.VersionNotFound(versionId));
        }).ToList();
    }

    private string Content(Guid versionId, bool translated, SmaException notFound) => translated
        ? NotFoundAs(() => _client.Get($"RunbookVersions(guid'{versionId}')/GetTranslatedContent"), notFound).GetProperty("GetTranslatedContent").GetString() ?? ""
        : NotFoundAs(() => _client.GetText($"RunbookVersions(guid'{versionId}')/$value"), notFound);

    // -------- schedule history --------

    /// <summary>Get-SmaScheduleHistory: ScheduleOccurrences/GetHistory, newest first; the local errors for a name that does not exist.</summary>
    public IReadOnlyList<ScheduleOccurrence> ScheduleHistory(string? scheduleName, string? runbookName, int first)
    {
        var path = $"ScheduleOccurrences/GetHistory?first={first}"
            + (scheduleName is null ? "" : "&scheduleName=" + Uri.EscapeDataString(Quote(scheduleName)))
            + (runbookName is null ? "" : "&runbookName=" + Uri.EscapeDataString(Quote(runbookName)));
        return Feed(path).Select(RemoteEntities.ScheduleOccurrence).ToList();
    }

    // -------- dashboard page --------

    /// <summary>Export-SmaDashboard: the page built from the server's jobs, records, history and sources, rendered here.</summary>
    public string RenderHtml(SummaryRange range, string? runbookName, DateTime generated, int jobLimit, int recordLimit) =>
        Sma.Engine.Dashboard.HtmlDashboard.Render(
            Sma.Engine.Dashboard.DashboardPage.Build(new RemoteDashboardSource(this), range, runbookName, generated, jobLimit, recordLimit));

    /// <summary>
    /// The jobs the dashboard shows: last changed at or after the time, newest first, at most <paramref name="first"/>.
    /// A wildcard pattern is matched here (the service's $filter compares names exactly); pages are read only as far as needed.
    /// </summary>
    internal IReadOnlyList<Job> DashboardJobs(string? runbookName, DateTime modifiedAfter, int first)
    {
        var pattern = runbookName is not null && WildcardPattern.ContainsWildcardCharacters(runbookName)
            ? new WildcardPattern(runbookName, WildcardOptions.IgnoreCase)
            : null;
        var filter = $"LastModifiedTime ge datetime'{modifiedAfter.ToUniversalTime():yyyy-MM-ddTHH:mm:ss.fffffff}Z'";
        if (runbookName is not null && pattern is null)
            filter += $" and RunbookName eq {Quote(runbookName)}";
        var path = $"Jobs?$orderby=CreationTime desc&{WithParameters}&$filter={Filter(filter)}" + (pattern is null ? $"&$top={first}" : "");
        return Feed(path).Select(e => RemoteEntities.Job(e, Endpoint))
            .Where(j => pattern?.IsMatch(j.RunbookName) != false)
            .Take(first)
            .ToList();
    }

    /// <summary>
    /// A job's status changes (its JobHistory's Status lines), as the store keeps them; none for a job removed since it
    /// was listed (the page shows it as it was listed, rather than failing on a job the workers purged meanwhile).
    /// </summary>
    internal IReadOnlyList<JobStatusChange> StatusHistory(Guid jobId) =>
        UnlessGone(() => Feed($"Jobs(guid'{jobId}')/JobHistory?$filter={Filter("RecordType eq 'Status'")}").Select(RemoteEntities.HistoryRecord)
            .Select(RemoteEntities.StatusChange).ToList());

    /// <summary>A version with its source, or null when the server has no such version.</summary>
    internal RunbookDefinition? FindDefinition(Guid versionId)
    {
        try
        {
            var notFound = SmaErrors.VersionNotFound(versionId);
            return RemoteEntities.Definition(NotFoundAs(() => _client.Get($"RunbookVersions(guid'{versionId}')"), notFound),
                Content(versionId, false, notFound));
        }
        catch (SmaException e) when (e.ErrorId == "RunbookVersionNotFound")
        {
            return null;
        }
    }

    /// <summary>The first records of a job (GetStreamItems reads only the pages needed); none for a job removed since it was listed.</summary>
    internal IReadOnlyList<JobStreamRecord> FirstRecords(Guid jobId, int first) =>
        UnlessGone(() => Feed($"JobStreams/GetStreamItems?jobId='{jobId}'&streamType='Any'").Select(RemoteEntities.StreamRecord).Take(first).ToList());

    private static IReadOnlyList<T> UnlessGone<T>(Func<IReadOnlyList<T>> read)
    {
        try
        {
            return read();
        }
        catch (SmaException e) when (e.ErrorId is "ResourceNotFound" or "JobNotFound")
        {
            return Array.Empty<T>();
        }
    }

    // -------- plumbing --------

    /// <summary>Every entry of a feed, following its next links.</summary>
    private IEnumerable<JsonElement> Feed(string path)
    {
        string? next = path;
        while (next is not null)
        {
            var page = _client.Get(next);
            var results = page.ValueKind == JsonValueKind.Object && page.TryGetProperty("results", out var r) ? r : page;
            foreach (var entry in results.EnumerateArray())
                yield return entry;
            next = page.ValueKind == JsonValueKind.Object && page.TryGetProperty("__next", out var n) ? n.GetString() : null;
        }
    }

    private void Merge(string path, Dictionary<string, object?> body) =>
        _client.Send(HttpMethod.Post, path, WebServiceClient.Json(body), request => request.Headers.Add("X-HTTP-Method", "MERGE"));

    /// <summary>The service's not-found for an entity, as the engine's own error for it.</summary>
    private static T NotFoundAs<T>(Func<T> call, SmaException notFound)
    {
        try
        {
            return call();
        }
        catch (SmaException e) when (e.ErrorId == "ResourceNotFound")
        {
            throw notFound;
        }
    }

    /// <summary>The order the store lists assets in (by name, ordinal, as SQLite's ORDER BY name); the service pages by key.</summary>
    private static readonly StringComparer StoreOrder = StringComparer.Ordinal;

    private static string Quote(string text) => "'" + text.Replace("'", "''") + "'";

    private static string Filter(string filter) => Uri.EscapeDataString(filter);

    public void Dispose() => _client.Dispose();
}
