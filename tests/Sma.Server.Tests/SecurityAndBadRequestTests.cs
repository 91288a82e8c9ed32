using System.Net;
using System.Text;
using Sma.Engine.Services;
using static Sma.Server.Tests.Http;

namespace Sma.Server.Tests;

/// <summary>
/// Bad requests and refused ones: each a clear 4xx in OData's error shape (Atom and JSON) with the engine's ErrorId as
/// its code, and nothing changed in the store.
/// </summary>
[Collection("server")]
public sealed class SecurityAndBadRequestTests
{
    private readonly ServerFixture _server;

    public SecurityAndBadRequestTests(ServerFixture server) => _server = server;

    private (int Runbooks, long Jobs) Fingerprint() => (new RunbookService(_server.Runtime).List().Count, _server.Runtime.Store.CountJobs());

    public static TheoryData<string, string, HttpStatusCode, string> BadReads => new()
    {
        { "a malformed guid", "Jobs(guid'not-a-guid')", HttpStatusCode.BadRequest, "InvalidKey" },
        { "a key of the wrong type", "Jobs('abc')", HttpStatusCode.BadRequest, "InvalidKey" },
        { "an unknown entity set", "Jobz", HttpStatusCode.NotFound, "ResourceNotFound" },
        { "an unknown job", "Jobs(guid'11111111-2222-3333-4444-555555555555')", HttpStatusCode.NotFound, "ResourceNotFound" },
        { "an unknown property in $filter", "Jobs?$filter=Colour eq 'red'", HttpStatusCode.BadRequest, "UnknownProperty" },
        { "an unknown property in $orderby", "Runbooks?$orderby=Colour", HttpStatusCode.BadRequest, "UnknownProperty" },
        { "SQL in $filter", "Jobs?$filter=RunbookName eq 'x'; DROP TABLE jobs; --", HttpStatusCode.BadRequest, "InvalidFilter" },
        { "an unbalanced $filter", "Jobs?$filter=(JobStatus eq 'Running'", HttpStatusCode.BadRequest, "InvalidFilter" },
        { "a guid compared with text", "Jobs?$filter=JobID eq 'abc'", HttpStatusCode.BadRequest, "InvalidFilter" },
        { "an unsupported query option", "Jobs?$select=JobID", HttpStatusCode.BadRequest, "UnsupportedQueryOption" },
        { "a negative $top", "Jobs?$top=-1", HttpStatusCode.BadRequest, "InvalidQueryOption" },
        { "a forged skip token", "Jobs?$skiptoken=1,2,3", HttpStatusCode.BadRequest, "InvalidSkipToken" },
        { "jobs ordered by an unindexed property", "Jobs?$orderby=RunbookName", HttpStatusCode.BadRequest, "UnsupportedOrderBy" },
        { "stream items of a malformed job id", "JobStreams/GetStreamItems?jobId='nope'&streamType='Any'", HttpStatusCode.BadRequest, "InvalidKey" },
        { "an unknown stream type", "JobStreams/GetStreamItems?jobId='11111111-2222-3333-4444-555555555555'&streamType='Colour'", HttpStatusCode.BadRequest, "InvalidStreamType" },
    };

    [Theory]
    [MemberData(nameof(BadReads))]
    public async Task A_bad_read_is_a_clear_error_in_both_formats(string _, string path, HttpStatusCode status, string code)
    {
        var before = Fingerprint();
        AssertXmlError(status, code, await _server.Client().GetXml(_server.Root + path));
        AssertJsonError(status, code, await _server.Client(json: true).GetJson(_server.Root + path));
        Assert.Equal(before, Fingerprint());
    }

    [Fact]
    public async Task An_injection_attempt_inside_a_string_literal_is_just_text()
    {
        var before = Fingerprint();
        var (status, xml, _) = await _server.Client().GetXml(_server.Root + "Runbooks?$filter=" +
            Uri.EscapeDataString("RunbookName eq 'x'' or 1 eq 1; DELETE FROM runbooks; --'"));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Empty(Entries(xml));
        Assert.Equal(before, Fingerprint());
    }

    [Fact]
    public async Task A_reader_cannot_start_a_job_and_no_job_is_created()
    {
        var runbook = _server.Runbook("Web-Guarded", "'guarded'");
        var before = Fingerprint();
        AssertXmlError(HttpStatusCode.Forbidden, "AccessDenied",
            await _server.Client("reader").Xml(HttpMethod.Post, $"{_server.Root}Runbooks(guid'{runbook.RunbookID}')/Start", ""));
        AssertJsonError(HttpStatusCode.Forbidden, "AccessDenied",
            await _server.Client("reader", json: true).Json(HttpMethod.Post, $"{_server.Root}Runbooks(guid'{runbook.RunbookID}')/Start", ""));
        Assert.Equal(before, Fingerprint());
        // ... nor read assets; an operator reads them but cannot change a runbook.
        AssertXmlError(HttpStatusCode.Forbidden, "AccessDenied", await _server.Client("reader").GetXml(_server.Root + "Variables"));
        Assert.Equal(HttpStatusCode.OK, (await _server.Client("operator").GetXml(_server.Root + "Variables")).Status);
        AssertJsonError(HttpStatusCode.Forbidden, "AccessDenied",
            await _server.Client("operator", json: true).Json(HttpMethod.Delete, $"{_server.Root}Runbooks(guid'{runbook.RunbookID}')"));
        Assert.Equal(before, Fingerprint());
    }

    [Fact]
    public async Task No_credentials_or_a_wrong_password_is_401_with_a_Basic_challenge()
    {
        var none = await _server.Client(null).GetXml(_server.Root + "Jobs");
        AssertXmlError(HttpStatusCode.Unauthorized, "AuthenticationRequired", none);
        Assert.Contains("Basic", none.Response.Headers.WwwAuthenticate.ToString());
        AssertJsonError(HttpStatusCode.Unauthorized, "InvalidCredentials", await _server.Client("admin", "wrong-password", json: true).GetJson(_server.Root + "Jobs"));
        AssertXmlError(HttpStatusCode.Unauthorized, "InvalidCredentials", await _server.Client("nobody-at-all", "whatever-it-is").GetXml(_server.Root + "Jobs"));
    }

    [Fact]
    public async Task Repeated_failed_sign_ins_lock_the_account_even_for_the_right_password()
    {
        for (var i = 0; i < Security.SignInGuard.AccountLimit; i++)
            AssertXmlError(HttpStatusCode.Unauthorized, "InvalidCredentials", await _server.Client("locked-out", "guess-" + i).GetXml(_server.Root + "Jobs"));
        var locked = await _server.Client("locked-out").GetXml(_server.Root + "Jobs");
        AssertXmlError(HttpStatusCode.TooManyRequests, "TooManySignInFailures", locked);
        Assert.NotNull(locked.Response.Headers.RetryAfter);
        // Other accounts are not affected.
        Assert.Equal(HttpStatusCode.OK, (await _server.Client("reader").GetXml(_server.Root + "Jobs")).Status);
    }

    [Fact]
    public async Task Basic_over_plain_HTTP_is_refused()
    {
        AssertXmlError(HttpStatusCode.Forbidden, "HttpsRequired", await _server.Client().GetXml(_server.HttpRoot + "Jobs"));
        AssertJsonError(HttpStatusCode.Forbidden, "HttpsRequired", await _server.Client(json: true).GetJson(_server.HttpRoot + "Jobs"));
        // And with no anonymous access granted, no credentials is a 401 there too.
        AssertXmlError(HttpStatusCode.Unauthorized, "AuthenticationRequired", await _server.Client(null).GetXml(_server.HttpRoot + "Jobs"));
    }

    [Fact]
    public async Task An_oversized_body_is_413_and_nothing_is_created()
    {
        var before = Fingerprint();
        var huge = new string('#', (int)ServerOptions.DefaultMaxBodyBytes + 1024);
        using var request = new HttpRequestMessage(HttpMethod.Post, _server.Root + "RunbookVersions") { Content = new StringContent(huge) };
        request.Headers.Add("Slug", "Too-Big");
        // As Windows PowerShell's and WCF's clients send a body: the server refuses it before a byte of it is sent.
        request.Headers.ExpectContinue = true;
        // Waiting as long as it takes for the server's answer (the default is one second, short on a loaded machine).
        using var client = _server.Client(expectContinueTimeout: TimeSpan.FromMinutes(2));
        var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        var xml = System.Xml.Linq.XDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("RequestBodyTooLarge", xml.Root!.Element(ServerFixture.M + "code")!.Value);
        Assert.Equal(before, Fingerprint());
    }

    [Fact]
    public async Task Bad_starts_and_bad_bodies_create_nothing()
    {
        var runbook = _server.Runbook("Web-Strict", "param([Parameter(Mandatory)][int]$Count) $Count");
        var before = Fingerprint();
        var url = $"{_server.Root}Runbooks(guid'{runbook.RunbookID}')/Start";
        AssertXmlError(HttpStatusCode.BadRequest, "InvalidParameterValue",
            await _server.Client("operator").Xml(HttpMethod.Post, url, "{\"parameters\":[{\"Name\":\"Count\",\"Value\":\"lots\"}]}"));
        AssertJsonError(HttpStatusCode.BadRequest, "MissingMandatoryParameter", await _server.Client("operator", json: true).Json(HttpMethod.Post, url, "{\"parameters\":[]}"));
        AssertJsonError(HttpStatusCode.BadRequest, "UnknownParameter",
            await _server.Client("operator", json: true).Json(HttpMethod.Post, url, "{\"parameters\":[{\"Name\":\"Count\",\"Value\":\"1\"},{\"Name\":\"Colour\",\"Value\":\"red\"}]}"));
        AssertXmlError(HttpStatusCode.BadRequest, "InvalidRequestBody", await _server.Client("operator").Xml(HttpMethod.Post, url, "{not json"));
        AssertXmlError(HttpStatusCode.BadRequest, "RunbookNameRequired", await _server.Client().Xml(HttpMethod.Post, _server.Root + "RunbookVersions", "'no name'"));
        AssertXmlError(HttpStatusCode.BadRequest, "RunbookSyntaxError", await SendSource("Web-Broken", "if ($x -eq {"));
        AssertXmlError(HttpStatusCode.Conflict, "RunbookAlreadyExists", await SendSource("Web-Strict", "'again'"));
        AssertXmlError(HttpStatusCode.MethodNotAllowed, "MethodNotAllowed", await _server.Client().Xml(HttpMethod.Delete, _server.Root + "Jobs"));
        Assert.Equal(before, Fingerprint());
    }

    private async Task<(HttpStatusCode, System.Xml.Linq.XDocument, HttpResponseMessage)> SendSource(string name, string source)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, _server.Root + "RunbookVersions") { Content = new StringContent(source, Encoding.UTF8) };
        request.Headers.Add("Slug", name);
        var response = await _server.Client().SendAsync(request);
        return (response.StatusCode, System.Xml.Linq.XDocument.Parse(await response.Content.ReadAsStringAsync()), response);
    }

    [Fact]
    public async Task Assets_never_show_secrets_and_are_managed_by_administrators()
    {
        var root = _server.Root;
        using var admin = _server.Client();
        var (created, _, _) = await admin.Xml(HttpMethod.Post, root + "Credentials",
            "{\"Name\":\"Web-Cred\",\"UserName\":\"svc\",\"RawValue\":\"s3cret-value-xyz\"}");
        Assert.Equal(HttpStatusCode.Created, created);
        var (_, variable, _) = await admin.Json(HttpMethod.Post, root + "Variables", "{\"Name\":\"Web-Secret\",\"Value\":\"\\\"hidden-value-xyz\\\"\",\"IsEncrypted\":true}");
        var (_, plain, _) = await admin.Json(HttpMethod.Post, root + "Variables", "{\"Name\":\"Web-Plain\",\"Value\":\"42\"}");
        Assert.Equal("42", plain.GetProperty("d").GetProperty("Value").GetString());
        Assert.Equal(JsonValueKindNull, variable.GetProperty("d").GetProperty("Value").ValueKind);

        foreach (var set in new[] { "Credentials", "Variables", "Connections", "Certificates" })
        {
            var text = await admin.GetStringAsync(root + set);
            Assert.DoesNotContain("s3cret-value-xyz", text);
            Assert.DoesNotContain("hidden-value-xyz", text);
        }
        var (_, creds, _) = await admin.GetJson(root + "Credentials?$filter=Name eq 'Web-Cred'");
        var credential = creds.GetProperty("d").GetProperty("results")[0];
        Assert.Equal("svc", credential.GetProperty("UserName").GetString());
        Assert.False(credential.TryGetProperty("RawValue", out _));
        var id = credential.GetProperty("CredentialID").GetGuid();
        AssertXmlError(HttpStatusCode.Conflict, "EntityAlreadyExists",
            await admin.Xml(HttpMethod.Post, root + "Credentials", "{\"Name\":\"Web-Cred\",\"UserName\":\"svc\",\"RawValue\":\"x\"}"));
        Assert.Equal(HttpStatusCode.NoContent, (await admin.Xml(HttpMethod.Delete, $"{root}Credentials(guid'{id}')")).Status);
        AssertXmlError(HttpStatusCode.NotFound, "ResourceNotFound", await admin.GetXml($"{root}Credentials(guid'{id}')"));
    }

    private const System.Text.Json.JsonValueKind JsonValueKindNull = System.Text.Json.JsonValueKind.Null;

    [Fact]
    public async Task The_service_document_and_metadata_describe_the_sets()
    {
        var (_, service, _) = await _server.Client("reader").GetXml(_server.Root);
        Assert.Contains(service.Descendants().Where(e => e.Name.LocalName == "collection"), c => (string?)c.Attribute("href") == "Jobs");
        var (_, json, _) = await _server.Client("reader", json: true).GetJson(_server.Root);
        Assert.Contains(json.GetProperty("d").GetProperty("EntitySets").EnumerateArray(), s => s.GetString() == "Runbooks");
        var (status, metadata, _) = await _server.Client("reader").GetXml(_server.Root + "$metadata");
        Assert.Equal(HttpStatusCode.OK, status);
        var types = metadata.Descendants().Where(e => e.Name.LocalName == "EntityType").ToDictionary(e => (string)e.Attribute("Name")!);
        Assert.Equal("true", (string?)types["Job"].Attribute(ServerFixture.M + "HasStream"));
        Assert.Contains(metadata.Descendants().Where(e => e.Name.LocalName == "FunctionImport"), f => (string?)f.Attribute("Name") == "Start");
        Assert.Equal("Orchestrator.ResourceModel", (string?)metadata.Descendants().First(e => e.Name.LocalName == "Schema").Attribute("Namespace"));
    }
}
