using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Sma.Engine.Model;
using Sma.Engine.Scheduling;
using Sma.Engine.Services;
using static Sma.Server.Tests.Http;

namespace Sma.Server.Tests;

/// <summary>
/// Every entity set as SMA's clients read it, in Atom and in verbose JSON: the feed (typed properties, the entity's
/// type), a key lookup of an entry from it, $top and $inlinecount; plus the Runbooks writes (PUT, MERGE, DELETE).
/// </summary>
[Collection("server")]
public sealed class EndpointTests
{
    private readonly ServerFixture _server;

    public EndpointTests(ServerFixture server)
    {
        _server = server;
        Seed();
    }

    /// <summary>One of each kind of entry, made through the engine as the cmdlets make them (once per store).</summary>
    private void Seed()
    {
        lock (_server)
        {
            var runtime = _server.Runtime;
            var assets = new AssetService(runtime);
            if (assets.ListVariables().Any(v => v.Name == "Ep-Var"))
                return;
            var runbook = _server.Runbook("Ep-Runbook", "param([string] $Who = 'you') \"hi $Who\"");
            new JobService(runtime).Start(runbook, new System.Collections.Hashtable { ["Who"] = "ep" }, null, "admin");
            assets.SetVariable("Ep-Var", 7, "seven", null, force: false);
            var secret = new System.Security.SecureString();
            foreach (var c in "ep-secret-value")
                secret.AppendChar(c);
            assets.SetCredential("Ep-Cred", new System.Management.Automation.PSCredential("ep-user", secret), null);
            assets.NewConnection("Ep-Conn", "Generic", new System.Collections.Hashtable { ["ComputerName"] = "srv1" }, null);
            using var rsa = RSA.Create(2048);
            using var certificate = new CertificateRequest("CN=Ep", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
                .CreateSelfSigned(DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddDays(30));
            var pfx = Path.Combine(_server.Folder, "ep.pfx");
            File.WriteAllBytes(pfx, certificate.Export(X509ContentType.Pkcs12));
            assets.SetCertificate("Ep-Cert", pfx, null, null);
            var schedules = new ScheduleService(runtime);
            schedules.Create("Ep-Schedule", schedules.Define(new ScheduleRequest
            {
                Name = "Ep-Schedule", Type = ScheduleType.DailySchedule, StartTime = new DateTime(2031, 1, 1, 2, 0, 0), TimeZone = "UTC",
            }), null);
            var module = Directory.CreateDirectory(Path.Combine(_server.Folder, "EpModule"));
            File.WriteAllText(Path.Combine(module.FullName, "EpModule.psm1"), "function Get-Ep { 'ep' }");
            new ModuleService(runtime).Import(ModuleService.Read(module.FullName));
        }
    }

    public static TheoryData<string, string, string> Sets => new()
    {
        { "Runbooks", "Runbook", "RunbookID" },
        { "RunbookVersions", "RunbookVersion", "RunbookVersionID" },
        { "Jobs", "Job", "JobID" },
        { "JobContexts", "JobContext", "JobContextID" },
        { "Variables", "Variable", "VariableID" },
        { "Credentials", "Credential", "CredentialID" },
        { "Connections", "Connection", "ConnectionID" },
        { "Certificates", "Certificate", "CertificateID" },
        { "Schedules", "Schedule", "ScheduleID" },
        { "Modules", "Module", "ModuleID" },
    };

    [Theory]
    [MemberData(nameof(Sets))]
    public async Task A_feed_and_a_key_lookup_in_Atom(string set, string type, string key)
    {
        using var client = _server.Client();
        var (status, feed, response) = await client.GetXml($"{_server.Root}{set}?$inlinecount=allpages");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.StartsWith("application/atom+xml", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal(ServerFixture.Atom + "feed", feed.Root!.Name);
        var entries = Entries(feed).ToList();
        Assert.NotEmpty(entries);
        // The count is of every entry; a page that holds fewer links to the next one.
        var count = long.Parse(feed.Root.Element(ServerFixture.M + "count")!.Value);
        var next = feed.Root.Elements(ServerFixture.Atom + "link").Any(l => (string?)l.Attribute("rel") == "next");
        Assert.True(count == entries.Count ? !next : count > entries.Count && next, $"count {count}, {entries.Count} entries, next link: {next}");
        foreach (var entry in entries)
        {
            Assert.Equal($"Orchestrator.ResourceModel.{type}", entry.Element(ServerFixture.Atom + "category")!.Attribute("term")!.Value);
            Assert.Equal("Edm.Guid", Properties(entry)[key].Attribute(ServerFixture.M + "type")!.Value);
        }
        var id = Properties(entries[0])[key].Value;
        var (found, entryXml, _) = await client.GetXml($"{_server.Root}{set}(guid'{id}')");
        Assert.Equal(HttpStatusCode.OK, found);
        Assert.Equal(ServerFixture.Atom + "entry", entryXml.Root!.Name);
        Assert.Equal(id, Properties(entryXml.Root)[key].Value);
        Assert.EndsWith($"{set}(guid'{id}')", entryXml.Root.Element(ServerFixture.Atom + "id")!.Value);

        var (_, top, _) = await client.GetXml($"{_server.Root}{set}?$top=1");
        Assert.Single(Entries(top));
    }

    [Theory]
    [InlineData("Runbooks", false)]
    [InlineData("Jobs", false)]
    [InlineData("Runbooks", true)]
    [InlineData("Jobs", true)]
    public async Task A_page_that_completes_top_has_no_next_link_though_more_match(string set, bool json)
    {
        // More entries than $top asks for: read in memory (Runbooks) and paged by the store (Jobs).
        foreach (var name in new[] { "Top-A", "Top-B", "Top-C" })
            new JobService(_server.Runtime).Start(_server.Runbook(name, "'t'"), null, null, "admin");
        using var client = _server.Client(json: json);
        var url = $"{_server.Root}{set}?$top=2&$inlinecount=allpages";
        int returned;
        long count;
        bool next;
        if (json)
        {
            var (_, feed, _) = await client.GetJson(url);
            returned = feed.GetProperty("d").GetProperty("results").GetArrayLength();
            count = long.Parse(feed.GetProperty("d").GetProperty("__count").GetString()!);
            next = feed.GetProperty("d").TryGetProperty("__next", out _);
        }
        else
        {
            var (_, feed, _) = await client.GetXml(url);
            returned = Entries(feed).Count();
            count = long.Parse(feed.Root!.Element(ServerFixture.M + "count")!.Value);
            next = feed.Root.Elements(ServerFixture.Atom + "link").Any(l => (string?)l.Attribute("rel") == "next");
        }
        Assert.Equal(2, returned);
        Assert.True(count > 2, $"{count} {set} in the store");
        Assert.False(next, "a page that completes $top is the last one");
    }

    [Theory]
    [MemberData(nameof(Sets))]
    public async Task A_feed_and_a_key_lookup_in_verbose_JSON(string set, string type, string key)
    {
        using var client = _server.Client(json: true);
        var (status, feed, response) = await client.GetJson($"{_server.Root}{set}?$inlinecount=allpages");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("application/json", response.Content.Headers.ContentType!.MediaType);
        Assert.Contains(response.Content.Headers.ContentType.Parameters, p => p.Name == "odata" && p.Value == "verbose");
        var results = feed.GetProperty("d").GetProperty("results").EnumerateArray().ToList();
        Assert.NotEmpty(results);
        var count = long.Parse(feed.GetProperty("d").GetProperty("__count").GetString()!);
        var next = feed.GetProperty("d").TryGetProperty("__next", out _);
        Assert.True(count == results.Count ? !next : count > results.Count && next, $"count {count}, {results.Count} results, next link: {next}");
        Assert.All(results, r => Assert.Equal($"Orchestrator.ResourceModel.{type}", r.GetProperty("__metadata").GetProperty("type").GetString()));
        var id = results[0].GetProperty(key).GetGuid();
        var (found, entry, _) = await client.GetJson($"{_server.Root}{set}(guid'{id}')");
        Assert.Equal(HttpStatusCode.OK, found);
        Assert.Equal(id, entry.GetProperty("d").GetProperty(key).GetGuid());
        Assert.EndsWith($"{set}(guid'{id}')", entry.GetProperty("d").GetProperty("__metadata").GetProperty("uri").GetString());
    }

    [Fact]
    public async Task No_secret_is_in_any_feed_in_either_form()
    {
        foreach (var set in Sets.Select(row => (string)row[0]))
        {
            var atom = await _server.Client().GetStringAsync($"{_server.Root}{set}");
            var json = await _server.Client(json: true).GetStringAsync($"{_server.Root}{set}");
            Assert.DoesNotContain("ep-secret-value", atom);
            Assert.DoesNotContain("ep-secret-value", json);
            Assert.DoesNotContain("PRIVATE KEY", atom);
        }
    }

    [Fact]
    public async Task Runbooks_are_changed_with_PUT_and_MERGE_and_removed_with_DELETE_in_both_forms()
    {
        var runbook = _server.Runbook("Ep-Writable", "'w'");
        var url = $"{_server.Root}Runbooks(guid'{runbook.RunbookID}')";
        using var admin = _server.Client(json: true);

        // PUT replaces every writable setting: what is not given goes back to its default.
        Assert.Equal(HttpStatusCode.NoContent, (await admin.Json(HttpMethod.Put, url, "{\"Description\":\"put\",\"Tags\":\"a,b\",\"LogVerbose\":true}")).Status);
        var (_, afterPut, _) = await admin.GetJson(url);
        Assert.Equal("put", afterPut.GetProperty("d").GetProperty("Description").GetString());
        Assert.Equal("a,b", afterPut.GetProperty("d").GetProperty("Tags").GetString());
        Assert.True(afterPut.GetProperty("d").GetProperty("LogVerbose").GetBoolean());

        // MERGE (Atom client) changes only what it names.
        using var atomAdmin = _server.Client();
        using var merge = new HttpRequestMessage(new HttpMethod("MERGE"), url)
        {
            Content = new StringContent("{\"LogProgress\":true}", System.Text.Encoding.UTF8, "application/json"),
        };
        Assert.Equal(HttpStatusCode.NoContent, (await atomAdmin.SendAsync(merge)).StatusCode);
        var (_, afterMerge, _) = await atomAdmin.GetXml(url);
        var properties = Properties(afterMerge.Root!);
        Assert.Equal("true", properties["LogProgress"].Value);
        Assert.Equal("put", properties["Description"].Value);

        // A property that cannot change is refused, and nothing changes.
        AssertJsonError(HttpStatusCode.BadRequest, "PropertyNotWritable", await admin.Json(HttpMethod.Put, url, "{\"RunbookName\":\"Renamed\"}"));
        Assert.Equal("Ep-Writable", new RunbookService(_server.Runtime).Get(runbook.RunbookID).RunbookName);

        Assert.Equal(HttpStatusCode.NoContent, (await atomAdmin.Xml(HttpMethod.Delete, url)).Status);
        AssertXmlError(HttpStatusCode.NotFound, "ResourceNotFound", await atomAdmin.GetXml(url));
        AssertJsonError(HttpStatusCode.NotFound, "ResourceNotFound", await admin.GetJson(url));
        Assert.Null(new RunbookService(_server.Runtime).Find("Ep-Writable"));
    }

    [Fact]
    public async Task A_job_is_read_through_its_links_and_its_stream_as_media()
    {
        var runbook = _server.Runbook("Ep-Runbook", "param([string] $Who = 'you') \"hi $Who\"");
        var job = new JobService(_server.Runtime).Query(new Sma.Engine.Store.JobQuery { RunbookId = runbook.RunbookID, First = 1 }).Single();
        using var client = _server.Client(json: true);
        var (_, context, _) = await client.GetJson($"{_server.Root}Jobs(guid'{job.JobId}')/JobContext");
        Assert.Equal(job.JobId, context.GetProperty("d").GetProperty("JobContextID").GetGuid());
        var (_, version, _) = await client.GetJson($"{_server.Root}JobContexts(guid'{job.JobId}')/RunbookVersion");
        Assert.Equal(job.RunbookVersionId, version.GetProperty("d").GetProperty("RunbookVersionID").GetGuid());
        var (_, parameters, _) = await _server.Client().GetXml($"{_server.Root}RunbookVersions(guid'{job.RunbookVersionId}')/RunbookParameters");
        Assert.Equal("Who", Properties(Assert.Single(Entries(parameters)))["Name"].Value);
        var (_, status, _) = await client.GetJson($"{_server.Root}Jobs(guid'{job.JobId}')/JobStatus");
        Assert.False(string.IsNullOrEmpty(status.GetProperty("d").GetProperty("JobStatus").GetString()));
        await WaitForJob(_server.Client(), _server.Root, job.JobId, "Completed");
        var media = await client.GetAsync($"{_server.Root}Jobs(guid'{job.JobId}')/$value");
        Assert.Equal(HttpStatusCode.OK, media.StatusCode);
        Assert.Equal("hi ep", await media.Content.ReadAsStringAsync());
        Assert.NotNull(media.Headers.ETag);
    }
    [Fact]
    public async Task The_actions_answer_in_verbose_JSON_too()
    {
        using var admin = _server.Client(json: true);
        var root = _server.Root;
        // POST RunbookVersions: the new draft version as a JSON entry.
        using var create = new HttpRequestMessage(HttpMethod.Post, root + "RunbookVersions") { Content = new StringContent("$i = 0; while ($true) { $i++; Checkpoint-Workflow; Start-Sleep -Milliseconds 50 }") };
        create.Headers.Add("Slug", "Ep-Json-Actions");
        create.Headers.Accept.ParseAdd("application/json;odata=verbose");
        var created = await admin.SendAsync(create);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var version = System.Text.Json.JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("d");
        Assert.Equal("Orchestrator.ResourceModel.RunbookVersion", version.GetProperty("__metadata").GetProperty("type").GetString());
        Assert.True(version.GetProperty("IsDraft").GetBoolean());
        var runbookId = version.GetProperty("RunbookID").GetGuid();

        var (published, publish, _) = await admin.Json(HttpMethod.Post, $"{root}Runbooks(guid'{runbookId}')/Publish");
        Assert.Equal(HttpStatusCode.OK, published);
        var publishedId = publish.GetProperty("d").GetProperty("Publish").GetGuid();
        var (_, edit, _) = await admin.Json(HttpMethod.Post, $"{root}Runbooks(guid'{runbookId}')/Edit");
        var draftId = edit.GetProperty("d").GetProperty("Edit").GetGuid();
        Assert.NotEqual(publishedId, draftId);

        var (_, start, _) = await admin.Json(HttpMethod.Post, $"{root}Runbooks(guid'{runbookId}')/Start", "null");
        var jobId = start.GetProperty("d").GetProperty("Start").GetGuid();
        await WaitForJob(_server.Client(), root, jobId, "Running");
        Assert.Equal(HttpStatusCode.NoContent, (await admin.Json(HttpMethod.Post, $"{root}Jobs(guid'{jobId}')/Suspend")).Status);
        await WaitForJob(_server.Client(), root, jobId, "Suspended");
        AssertJsonError(HttpStatusCode.Conflict, "InvalidJobStateTransition", await admin.Json(HttpMethod.Post, $"{root}Jobs(guid'{jobId}')/Suspend"));
        Assert.Equal(HttpStatusCode.NoContent, (await admin.Json(HttpMethod.Post, $"{root}Jobs(guid'{jobId}')/Resume")).Status);
        await WaitForJob(_server.Client(), root, jobId, "Running");
        Assert.Equal(HttpStatusCode.NoContent, (await admin.Json(HttpMethod.Post, $"{root}Jobs(guid'{jobId}')/Stop")).Status);
        Assert.Equal("Stopped", await WaitForJob(_server.Client(), root, jobId, "Stopped"));
        AssertJsonError(HttpStatusCode.Conflict, "InvalidJobStateTransition", await admin.Json(HttpMethod.Post, $"{root}Jobs(guid'{jobId}')/Stop"));

        var (_, parameters, _) = await admin.GetJson($"{root}JobContexts(guid'{jobId}')/JobParameters");
        Assert.Equal(0, parameters.GetProperty("d").GetProperty("results").GetArrayLength());
        var details = new JobService(_server.Runtime).History(jobId).Select(h => h.Details ?? "").ToList();
        Assert.Contains(details, d => d.StartsWith("Stop requested by admin"));
    }
}
