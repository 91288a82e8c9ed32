using System.Collections;
using System.Net;
using System.Text.Json;
using System.Xml.Linq;
using Sma.Engine.Model;
using Sma.Engine.Remote;
using Sma.Engine.Services;
using static Sma.Server.Tests.Http;

namespace Sma.Server.Tests;

/// <summary>
/// $expand as OData v3 defines it: the linked entries written inline (Atom m:inline, verbose JSON objects and
/// {"results":[…]}), so a page of jobs with their parameters costs one request; and the module's client uses it.
/// </summary>
[Collection("server")]
public sealed class ExpandTests
{
    private const string Source = "param([string]$Name, [int]$Count = 1) \"$Name x$Count\"";
    private static readonly XNamespace A = ServerFixture.Atom;
    private static readonly XNamespace M = ServerFixture.M;
    private readonly ServerFixture _server;

    public ExpandTests(ServerFixture server) => _server = server;

    private Job StartJob(string runbook, IDictionary? parameters) =>
        new JobService(_server.Runtime).Start(_server.Runbook(runbook, Source), parameters, null, "admin");

    /// <summary>The Atom link element of an entry for the named navigation property.</summary>
    private static XElement Link(XElement entry, string name) => entry.Elements(A + "link")
        .Single(l => l.Attribute("rel")!.Value == "http://schemas.microsoft.com/ado/2007/08/dataservices/related/" + name);

    [Fact]
    public async Task A_job_feed_expands_each_jobs_context_and_parameters_inline_in_Atom()
    {
        var job = StartJob("Web-Expand-Atom", new Hashtable { ["Name"] = "atom", ["Count"] = 2 });
        var (status, xml, _) = await _server.Client().GetXml(
            $"{_server.Root}Jobs?$filter=JobID eq guid'{job.JobId}'&$expand=JobContext/JobParameters");
        Assert.Equal(HttpStatusCode.OK, status);
        var entry = Assert.Single(Entries(xml));

        var context = Link(entry, "JobContext");
        Assert.Equal("application/atom+xml;type=entry", context.Attribute("type")!.Value);
        var contextEntry = context.Element(M + "inline")!.Element(A + "entry")!;
        Assert.Equal(job.JobId.ToString(), Properties(contextEntry)["JobContextID"].Value);

        var parameters = Link(contextEntry, "JobParameters");
        Assert.Equal("application/atom+xml;type=feed", parameters.Attribute("type")!.Value);
        var inlineFeed = parameters.Element(M + "inline")!.Element(A + "feed")!;
        Assert.NotNull(inlineFeed.Element(A + "id"));
        var values = inlineFeed.Elements(A + "entry").ToDictionary(e => Properties(e)["Name"].Value, e => Properties(e)["Value"].Value);
        Assert.Equal("atom", values["Name"]);
        Assert.Equal("2", values["Count"]);

        // A link not asked for stays deferred.
        Assert.Null(Link(contextEntry, "RunbookVersion").Element(M + "inline"));
    }

    [Fact]
    public async Task The_same_in_verbose_JSON_with_a_collection_as_results_and_no_count_inside()
    {
        var job = StartJob("Web-Expand-Json", new Hashtable { ["Name"] = "json" });
        var (status, json, _) = await _server.Client(json: true).GetJson(
            $"{_server.Root}Jobs?$filter=JobID eq guid'{job.JobId}'&$expand=JobContext/JobParameters&$inlinecount=allpages");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("1", json.GetProperty("d").GetProperty("__count").GetString());
        var entry = Assert.Single(json.GetProperty("d").GetProperty("results").EnumerateArray());

        var context = entry.GetProperty("JobContext");
        Assert.False(context.TryGetProperty("__deferred", out _));
        Assert.Equal("Orchestrator.ResourceModel.JobContext", context.GetProperty("__metadata").GetProperty("type").GetString());
        var parameters = context.GetProperty("JobParameters");
        Assert.False(parameters.TryGetProperty("__count", out _));
        var pair = Assert.Single(parameters.GetProperty("results").EnumerateArray(), p => p.GetProperty("Name").GetString() == "Name");
        Assert.Equal("json", pair.GetProperty("Value").GetString());
        Assert.True(context.GetProperty("RunbookVersion").TryGetProperty("__deferred", out _));
    }

    [Fact]
    public async Task One_entry_expands_too_and_an_empty_link_is_written_empty_not_left_out()
    {
        var job = StartJob("Web-Expand-None", null);
        var path = $"{_server.Root}Jobs(guid'{job.JobId}')?$expand=JobContext/JobParameters";

        var (_, xml, _) = await _server.Client().GetXml(path);
        var inlineFeed = Link(Link(xml.Root!, "JobContext").Element(M + "inline")!.Element(A + "entry")!, "JobParameters")
            .Element(M + "inline")!.Element(A + "feed")!;
        Assert.Empty(inlineFeed.Elements(A + "entry"));

        var (_, json, _) = await _server.Client(json: true).GetJson(path);
        Assert.Equal(0, json.GetProperty("d").GetProperty("JobContext").GetProperty("JobParameters").GetProperty("results").GetArrayLength());

        // A single link with nothing at its end: an empty m:inline in Atom, null in JSON.
        var draft = new RunbookService(_server.Runtime).Create("Web-Expand-Draft", "'draft'", RunbookType.Script, null, null, publish: false);
        var runbookPath = $"{_server.Root}Runbooks(guid'{draft.RunbookID}')?$expand=PublishedRunbookVersion,DraftRunbookVersion";
        var (_, rbXml, _) = await _server.Client().GetXml(runbookPath);
        var published = Link(rbXml.Root!, "PublishedRunbookVersion").Element(M + "inline")!;
        Assert.False(published.HasElements);
        Assert.NotNull(Link(rbXml.Root!, "DraftRunbookVersion").Element(M + "inline")!.Element(A + "entry"));
        var (_, rbJson, _) = await _server.Client(json: true).GetJson(runbookPath);
        Assert.Equal(JsonValueKind.Null, rbJson.GetProperty("d").GetProperty("PublishedRunbookVersion").ValueKind);
        Assert.Equal("true", rbJson.GetProperty("d").GetProperty("DraftRunbookVersion").GetProperty("IsDraft").GetRawText());
    }

    public static TheoryData<string, string> BadExpansions => new()
    {
        { "a link the entity does not have", "Jobs?$expand=Colour" },
        { "a link of the wrong entity", "Jobs?$expand=JobParameters" },
        { "an empty link in a path", "Jobs?$expand=JobContext//JobParameters" },
        { "a path deeper than the service expands", "Jobs?$expand=JobContext/JobParameters/JobContext/JobParameters/JobContext" },
        { "a link of an entity that has none", "Variables?$expand=Value" },
        { "$expand given twice", "Jobs?$expand=JobContext&$expand=JobContext" },
    };

    [Theory]
    [MemberData(nameof(BadExpansions))]
    public async Task A_bad_expansion_is_a_clear_400_in_both_formats(string _, string path)
    {
        AssertXmlError(HttpStatusCode.BadRequest, "InvalidQueryOption", await _server.Client().GetXml(_server.Root + path));
        AssertJsonError(HttpStatusCode.BadRequest, "InvalidQueryOption", await _server.Client(json: true).GetJson(_server.Root + path));
    }

    [Fact]
    public async Task An_unknown_link_names_the_links_there_are()
    {
        var job = StartJob("Web-Expand-Named", null);
        var (_, json, _) = await _server.Client(json: true).GetJson($"{_server.Root}Jobs(guid'{job.JobId}')?$expand=JobContext/Nope");
        var message = json.GetProperty("error").GetProperty("message").GetProperty("value").GetString();
        Assert.Contains("'Nope'", message);
        Assert.Contains("JobParameters, RunbookVersion", message);
    }

    [Fact]
    public async Task The_modules_client_reads_a_page_of_jobs_with_their_parameters_in_one_request_per_page()
    {
        // More jobs than one page of the service (100): two pages, two requests, whatever the number of jobs. The second
        // page is read from the first one's next link, so this also shows that link keeps the expansion.
        var runbook = _server.Runbook("Web-Expand-Client", Source);
        var jobs = new JobService(_server.Runtime);
        for (var i = 0; i < 105; i++)
            jobs.Start(runbook, new Hashtable { ["Name"] = $"n{i}", ["Count"] = i }, null, "admin");
        var root = new Uri(_server.Root);
        // The client trusts the server's self-signed certificate as a user does: its thumbprint pinned.
        Environment.SetEnvironmentVariable(WebServiceClient.ThumbprintVariable, await Thumbprint(root));
        using var remote = new RemoteService(WebServiceClient.For($"https://{root.Host}:{root.Port}", 9090,
            new System.Management.Automation.PSCredential("reader", Secure(ServerFixture.Password))));

        var listed = remote.QueryJobs(new Sma.Engine.Store.JobQuery { RunbookNamePattern = "Web-Expand-Client" });

        Assert.Equal(105, listed.Count);
        Assert.Equal(2, remote.RequestsSent);
        Assert.All(listed, j => Assert.Equal("n" + j.JobParameters["Count"], j.JobParameters["Name"]));

        var one = remote.GetJob(listed[0].JobId);
        Assert.Equal(3, remote.RequestsSent);
        Assert.Equal(listed[0].JobParameters["Name"], one.JobParameters["Name"]);
    }

    private static async Task<string> Thumbprint(Uri root)
    {
        string? thumbprint = null;
        using var handler = new SocketsHttpHandler
        {
            SslOptions = { RemoteCertificateValidationCallback = (_, c, _, _) => { thumbprint = new System.Security.Cryptography.X509Certificates.X509Certificate2(c!).Thumbprint; return true; } },
        };
        using var client = new HttpClient(handler);
        (await client.GetAsync(root)).Dispose();
        return thumbprint!;
    }

    private static System.Security.SecureString Secure(string text)
    {
        var secure = new System.Security.SecureString();
        foreach (var ch in text)
            secure.AppendChar(ch);
        return secure;
    }
}
