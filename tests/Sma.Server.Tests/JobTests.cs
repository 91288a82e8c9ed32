using System.Net;
using System.Text.Json;
using Sma.Engine.Services;
using static Sma.Server.Tests.Http;

namespace Sma.Server.Tests;

/// <summary>Runbooks and jobs as SMA's clients use them: create, publish, start with parameters, poll, read streams.</summary>
[Collection("server")]
public sealed class JobTests
{
    private readonly ServerFixture _server;

    public JobTests(ServerFixture server) => _server = server;

    private const string Typed = """
        param([Parameter(Mandatory)][string]$Name, [int]$Count = 1, [string[]]$Items, [hashtable]$Map, [bool]$Flag, [datetime]$When)
        "Hello $Name x$Count"
        ($Items -join '+')
        "map=$($Map.a) flag=$Flag year=$($When.Year)"
        Write-Warning 'careful'
        """;

    private static string StartBody(params (string Name, string Value)[] parameters) => JsonSerializer.Serialize(new
    {
        parameters = parameters.Select(p => new Dictionary<string, object>
        {
            ["__metadata"] = new { type = "Orchestrator.ResourceModel.NameValuePair" },
            ["Name"] = p.Name,
            ["Value"] = p.Value,
        }),
    });

    [Fact]
    public async Task A_community_client_creates_publishes_starts_polls_and_reads_a_runbook_in_Atom()
    {
        using var admin = _server.Client();
        var root = _server.Root;
        // POST RunbookVersions with the source as the body: a new runbook with that draft.
        using var create = new HttpRequestMessage(HttpMethod.Post, root + "RunbookVersions") { Content = new StringContent(Typed) };
        create.Headers.Add("Slug", "Web-Typed");
        var created = await admin.SendAsync(create);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var version = System.Xml.Linq.XDocument.Parse(await created.Content.ReadAsStringAsync()).Root!;
        Assert.Equal("true", Properties(version)["IsDraft"].Value);
        var runbookId = Guid.Parse(Properties(version)["RunbookID"].Value);

        var (_, found, _) = await admin.GetXml($"{root}Runbooks?$filter=RunbookName eq 'Web-Typed'");
        var entry = Assert.Single(Entries(found));
        Assert.Equal(runbookId.ToString(), Properties(entry)["RunbookID"].Value);
        Assert.Equal("true", Properties(entry)["DraftRunbookVersionID"].Attribute(ServerFixture.M + "null") is null ? "true" : "false");

        var (published, publishXml, _) = await admin.Xml(HttpMethod.Post, $"{root}Runbooks(guid'{runbookId}')/Publish");
        Assert.Equal(HttpStatusCode.OK, published);
        Assert.Equal("Edm.Guid", publishXml.Root!.Attribute(ServerFixture.M + "type")!.Value);

        // Start as Invoke-SMAWSRunbook does: values as strings, arrays and hashtables as text.
        using var op = _server.Client("operator");
        var (status, startXml, _) = await op.Xml(HttpMethod.Post, $"{root}Runbooks(guid'{runbookId}')/Start",
            StartBody(("Name", "Web"), ("Count", "3"), ("Items", "['a','b']"), ("Map", "{\"a\":\"A\"}"), ("Flag", "true"),
                ("When", "2030-05-01T10:00:00"), ("MicrosoftApplicationManagementStartedBy", "somebody-else")));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(ServerFixture.D + "Start", startXml.Root!.Name);
        var jobId = Guid.Parse(startXml.Root.Value);

        Assert.Equal("Completed", await WaitForJob(op, root, jobId));
        var (_, jobXml, _) = await op.GetXml($"{root}Jobs(guid'{jobId}')");
        var job = Properties(jobXml.Root!);
        Assert.Equal("operator", job["StartedBy"].Value);
        Assert.Equal("Edm.DateTime", job["CreationTime"].Attribute(ServerFixture.M + "type")!.Value);
        Assert.Equal("1", job["WarningCount"].Value);
        // A media link entry, as SMA's Job: m:properties beside content src.
        Assert.NotNull(jobXml.Root!.Element(ServerFixture.M + "properties"));
        Assert.EndsWith("/$value", jobXml.Root.Element(ServerFixture.Atom + "content")!.Attribute("src")!.Value);

        var (_, streams, _) = await op.GetXml($"{root}JobStreams/GetStreamItems?jobId='{jobId}'&streamType='Any' ");
        var texts = Entries(streams).Select(e => (Properties(e)["StreamTypeName"].Value, Properties(e)["StreamText"].Value)).ToList();
        Assert.Contains(("Output", "Hello Web x3"), texts);
        Assert.Contains(("Output", "a+b"), texts);
        Assert.Contains(("Output", "map=A flag=True year=2030"), texts);
        Assert.Contains(("Warning", "careful"), texts);
        var (_, outputOnly, _) = await op.GetXml($"{root}JobStreams/GetStreamItems?jobId='{jobId}'&streamType='Output'");
        Assert.All(Entries(outputOnly), e => Assert.Equal("Output", Properties(e)["StreamTypeName"].Value));

        var (_, parameters, _) = await op.GetXml($"{root}JobContexts(guid'{jobId}')/JobParameters");
        var values = Entries(parameters).ToDictionary(e => Properties(e)["Name"].Value, e => Properties(e)["Value"].Value);
        Assert.Equal("Web", values["Name"]);
        Assert.Equal("3", values["Count"]);
        Assert.Equal("[\"a\",\"b\"]", values["Items"]);
        Assert.False(values.ContainsKey("MicrosoftApplicationManagementStartedBy"));

        var history = new JobService(_server.Runtime).History(jobId);
        Assert.Contains(history, h => h.Details?.Contains("operator") == true);
    }

    [Fact]
    public async Task The_same_in_verbose_JSON()
    {
        var runbook = _server.Runbook("Web-Json", Typed);
        using var client = _server.Client("operator", json: true);
        var root = _server.Root;
        var (status, start, response) = await client.Json(HttpMethod.Post, $"{root}Runbooks(guid'{runbook.RunbookID}')/Start", StartBody(("Name", "Json")));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.StartsWith("application/json", response.Content.Headers.ContentType!.MediaType);
        var jobId = start.GetProperty("d").GetProperty("Start").GetGuid();
        Assert.Equal("Completed", await WaitForJob(client, root, jobId));

        var (_, job, _) = await client.GetJson($"{root}Jobs(guid'{jobId}')");
        var d = job.GetProperty("d");
        Assert.Equal("Orchestrator.ResourceModel.Job", d.GetProperty("__metadata").GetProperty("type").GetString());
        Assert.Equal("Completed", d.GetProperty("JobStatus").GetString());
        Assert.Matches(@"^/Date\(\d+\)/$", d.GetProperty("CreationTime").GetString());
        Assert.True(d.GetProperty("JobContext").GetProperty("__deferred").TryGetProperty("uri", out _));

        var (_, feed, _) = await client.GetJson($"{root}Jobs?$filter=JobID eq guid'{jobId}'&$inlinecount=allpages");
        Assert.Equal("1", feed.GetProperty("d").GetProperty("__count").GetString());
        Assert.Equal(jobId, feed.GetProperty("d").GetProperty("results")[0].GetProperty("JobID").GetGuid());

        var (_, streams, _) = await client.GetJson($"{root}JobStreams/GetStreamItems?jobId='{jobId}'&streamType='Output'");
        Assert.Equal("Hello Json x1", streams.GetProperty("d").GetProperty("results")[0].GetProperty("StreamText").GetString());
    }

    [Fact]
    public async Task Stop_suspend_and_resume_are_recorded_with_the_account_and_a_refused_change_is_409()
    {
        var runbook = _server.Runbook("Web-Loop", "$i = 0; while ($true) { $i++; Checkpoint-Workflow; Start-Sleep -Milliseconds 50 }");
        using var op = _server.Client("operator");
        var root = _server.Root;
        var (_, start, _) = await op.Xml(HttpMethod.Post, $"{root}Runbooks(guid'{runbook.RunbookID}')/Start", "");
        var jobId = Guid.Parse(start.Root!.Value);
        await WaitForJob(op, root, jobId, "Running");

        var (suspend, _, _) = await op.Xml(HttpMethod.Post, $"{root}Jobs(guid'{jobId}')/Suspend");
        Assert.Equal(HttpStatusCode.NoContent, suspend);
        Assert.Equal("Suspended", await WaitForJob(op, root, jobId, "Suspended"));
        AssertXmlError(HttpStatusCode.Conflict, "InvalidJobStateTransition", await op.Xml(HttpMethod.Post, $"{root}Jobs(guid'{jobId}')/Suspend"));

        Assert.Equal(HttpStatusCode.NoContent, (await op.Xml(HttpMethod.Post, $"{root}Jobs(guid'{jobId}')/Resume")).Status);
        await WaitForJob(op, root, jobId, "Running");
        Assert.Equal(HttpStatusCode.NoContent, (await op.Xml(HttpMethod.Post, $"{root}Jobs(guid'{jobId}')/Stop")).Status);
        Assert.Equal("Stopped", await WaitForJob(op, root, jobId, "Stopped"));

        var details = new JobService(_server.Runtime).History(jobId).Select(h => h.Details ?? "").ToList();
        Assert.Contains(details, d => d.StartsWith("Suspend requested by operator"));
        Assert.Contains(details, d => d.StartsWith("Resume requested by operator"));
        Assert.Contains(details, d => d.StartsWith("Stop requested by operator"));
    }

    [Fact]
    public async Task A_runbook_is_edited_and_its_source_read_with_an_ETag()
    {
        var runbook = _server.Runbook("Web-Edit", "'one'");
        using var admin = _server.Client();
        var root = _server.Root;
        var (_, edit, _) = await admin.Xml(HttpMethod.Post, $"{root}Runbooks(guid'{runbook.RunbookID}')/Edit");
        var draft = Guid.Parse(edit.Root!.Value);
        using var put = new HttpRequestMessage(HttpMethod.Put, $"{root}RunbookVersions(guid'{draft}')/$value") { Content = new StringContent("'two'") };
        Assert.Equal(HttpStatusCode.NoContent, (await admin.SendAsync(put)).StatusCode);

        var current = new RunbookService(_server.Runtime).Get(runbook.RunbookID);
        var value = await admin.GetAsync($"{root}RunbookVersions(guid'{current.DraftRunbookVersionID}')/$value");
        Assert.Equal("'two'", await value.Content.ReadAsStringAsync());
        var etag = value.Headers.ETag!;
        using var again = new HttpRequestMessage(HttpMethod.Get, $"{root}RunbookVersions(guid'{current.DraftRunbookVersionID}')/$value");
        again.Headers.IfNoneMatch.Add(etag);
        Assert.Equal(HttpStatusCode.NotModified, (await admin.SendAsync(again)).StatusCode);
        var published = await admin.GetAsync($"{root}Runbooks(guid'{runbook.RunbookID}')/PublishedRunbookVersion/$value");
        Assert.Equal("'one'", await published.Content.ReadAsStringAsync());

        // A published version never changes.
        using var putPublished = new HttpRequestMessage(HttpMethod.Put, $"{root}RunbookVersions(guid'{runbook.PublishedRunbookVersionID}')/$value") { Content = new StringContent("'x'") };
        var refused = await admin.SendAsync(putPublished);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);

        // MERGE through X-HTTP-Method, as WCF Data Services clients send it.
        using var merge = new HttpRequestMessage(HttpMethod.Post, $"{root}Runbooks(guid'{runbook.RunbookID}')")
        {
            Content = new StringContent("{\"Description\":\"changed\",\"LogVerbose\":true}", System.Text.Encoding.UTF8, "application/json"),
        };
        merge.Headers.Add("X-HTTP-Method", "MERGE");
        Assert.Equal(HttpStatusCode.NoContent, (await admin.SendAsync(merge)).StatusCode);
        var changed = new RunbookService(_server.Runtime).Get(runbook.RunbookID);
        Assert.Equal("changed", changed.Description);
        Assert.True(changed.LogVerbose);

        var (_, parameters, _) = await admin.GetXml($"{root}RunbookVersions(guid'{runbook.PublishedRunbookVersionID}')/RunbookParameters");
        Assert.Empty(Entries(parameters));
    }

    [Fact]
    public async Task Jobs_are_filtered_ordered_counted_and_paged_with_next_links()
    {
        _server.Runbook("Web-Seeded", "'x'");
        new SeedService(_server.Runtime).SeedSynthetic(250, new[] { "Web-Seeded" }, 2, 7);
        using var reader = _server.Client("reader");
        var root = _server.Root;
        var filter = "RunbookName eq 'Web-Seeded' and (JobStatus eq 'Completed' or JobStatus eq 'Failed') and not (ErrorCount gt 1000)";
        var (_, first, _) = await reader.GetXml($"{root}Jobs?$filter={Uri.EscapeDataString(filter)}&$inlinecount=allpages&$orderby=CreationTime desc");
        var total = long.Parse(first.Root!.Element(ServerFixture.M + "count")!.Value);
        Assert.InRange(total, 100, 250);
        var seen = new List<(DateTime Created, Guid Id)>();
        var page = first;
        var pages = 0;
        while (true)
        {
            pages++;
            seen.AddRange(Entries(page).Select(e => (DateTime.Parse(Properties(e)["CreationTime"].Value).ToUniversalTime(), Guid.Parse(Properties(e)["JobID"].Value))));
            Assert.All(Entries(page), e => Assert.Contains(Properties(e)["JobStatus"].Value, new[] { "Completed", "Failed" }));
            var next = page.Root!.Elements(ServerFixture.Atom + "link").FirstOrDefault(l => (string?)l.Attribute("rel") == "next");
            if (next is null)
                break;
            Assert.StartsWith("https://", next.Attribute("href")!.Value);
            (_, page, _) = await reader.GetXml(next.Attribute("href")!.Value);
        }
        Assert.True(pages >= 2);
        Assert.Equal(total, seen.Count);
        Assert.Equal(seen.Count, seen.Select(s => s.Id).Distinct().Count());
        Assert.Equal(seen.Select(s => s.Created), seen.Select(s => s.Created).OrderByDescending(t => t));

        // $top and $skip; a time range; $count.
        var (_, top, _) = await reader.GetJson($"{root}Jobs?$filter={Uri.EscapeDataString("RunbookName eq 'Web-Seeded'")}&$top=5&$skip=3&$orderby=CreationTime asc");
        Assert.Equal(5, top.GetProperty("d").GetProperty("results").GetArrayLength());
        var middle = seen[seen.Count / 2].Created;
        var range = $"RunbookName eq 'Web-Seeded' and CreationTime le datetime'{middle:yyyy-MM-ddTHH:mm:ss.fffffff}'";
        var (_, ranged, _) = await reader.GetXml($"{root}Jobs?$filter={Uri.EscapeDataString(range)}&$top=1000");
        Assert.All(Entries(ranged), e => Assert.True(DateTime.Parse(Properties(e)["CreationTime"].Value).ToUniversalTime() <= middle));
        var count = await reader.GetStringAsync($"{root}Jobs/$count?$filter={Uri.EscapeDataString("RunbookName eq 'Web-Seeded'")}");
        Assert.Equal("250", count);

        // A filter the store cannot take (StartedBy) is applied here, the same answer.
        var (_, residual, _) = await reader.GetJson($"{root}Jobs?$filter={Uri.EscapeDataString("RunbookName eq 'Web-Seeded' and StartedBy ne 'nobody'")}&$inlinecount=allpages&$top=2");
        Assert.Equal("250", residual.GetProperty("d").GetProperty("__count").GetString());
        Assert.Equal(2, residual.GetProperty("d").GetProperty("results").GetArrayLength());
        Assert.False(residual.GetProperty("d").TryGetProperty("__next", out _), "$top=2 is answered whole: no next page");
        // Without $top the server pages the residual filter's answer itself, and links to the next page.
        var (_, paged, _) = await reader.GetJson($"{root}Jobs?$filter={Uri.EscapeDataString("RunbookName eq 'Web-Seeded' and StartedBy ne 'nobody'")}");
        Assert.Equal(100, paged.GetProperty("d").GetProperty("results").GetArrayLength());
        Assert.True(paged.GetProperty("d").TryGetProperty("__next", out _));
    }
}
