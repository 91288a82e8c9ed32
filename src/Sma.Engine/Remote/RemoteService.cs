using System.Collections;
using System.Globalization;
using System.Management.Automation;
using System.Text;
using System.Text.Json;
using Sma.Engine.Model;
using Sma.Engine.Services;
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

    public Runbook Publish(Runbook runbook)
    {
        _client.Send(HttpMethod.Post, $"Runbooks(guid'{runbook.RunbookID}')/Publish", null);
        return GetRunbook(runbook.RunbookID);
    }

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

    // -------- runbook definitions --------

    /// <summary>Get-SmaRunbookDefinition -Type: the runbook's draft or published version, with the local errors when it has none.</summary>
    public RunbookDefinition GetDefinition(Runbook runbook, bool draft)
    {
        var version = draft ? runbook.DraftRunbookVersionID : runbook.PublishedRunbookVersionID;
        if (version is null)
            throw draft ? SmaErrors.NoDraft(runbook.RunbookName) : SmaErrors.NoPublishedVersion(runbook.RunbookName);
        return GetDefinition(version.Value);
    }

    /// <summary>Get-SmaRunbookDefinition -VersionId: the version's entry, then its source (RunbookVersions(guid'…')/$value).</summary>
    public RunbookDefinition GetDefinition(Guid versionId)
    {
        var notFound = SmaErrors.VersionNotFound(versionId);
        var entry = NotFoundAs(() => _client.Get($"RunbookVersions(guid'{versionId}')"), notFound);
        var content = NotFoundAs(() => _client.GetText($"RunbookVersions(guid'{versionId}')/$value"), notFound);
        return RemoteEntities.Definition(entry, content);
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
