using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Sma.Engine.Services;

namespace Sma.Server.Tests;

/// <summary>
/// The portal as a browser reaches it: sign-in with the store's accounts (anti-forgery token in the form), a session
/// cookie, the page's token required for every change, a strict content security policy, its JSON views.
/// </summary>
[Collection("server")]
public sealed class PortalTests
{
    private readonly ServerFixture _server;

    public PortalTests(ServerFixture server) => _server = server;

    private string Origin => _server.Root[..(_server.Root.IndexOf("/00000000", StringComparison.Ordinal))];

    /// <summary>A browser: keeps cookies, follows no redirect by itself.</summary>
    private static HttpClient Browser(CookieContainer cookies) => new(new SocketsHttpHandler
    {
        SslOptions = { RemoteCertificateValidationCallback = (_, _, _, _) => true },
        CookieContainer = cookies,
        AllowAutoRedirect = false,
    })
    { Timeout = TimeSpan.FromSeconds(120) };

    private static string Token(string html) =>
        Regex.Match(html, "name=\"(?:__RequestVerificationToken|sma-csrf)\" (?:value|content)=\"([^\"]+)\"").Groups[1].Value;

    private async Task<(HttpClient Client, CookieContainer Cookies, string Csrf)> SignedIn(string account)
    {
        var cookies = new CookieContainer();
        var browser = Browser(cookies);
        var login = await browser.GetStringAsync(Origin + "/portal/login");
        var response = await browser.PostAsync(Origin + "/portal/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = WebUtility.HtmlDecode(Token(login)), ["name"] = account, ["password"] = ServerFixture.Password,
        }));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var page = await browser.GetStringAsync(Origin + "/portal/");
        return (browser, cookies, WebUtility.HtmlDecode(Token(page)));
    }

    [Fact]
    public async Task Signing_in_gives_a_session_whose_changes_need_the_page_token()
    {
        var cookies = new CookieContainer();
        using var browser = Browser(cookies);
        var start = await browser.GetAsync(Origin + "/portal/");
        Assert.Equal(HttpStatusCode.Redirect, start.StatusCode);
        Assert.Equal("/portal/login", start.Headers.Location!.OriginalString);

        var loginPage = await browser.GetAsync(Origin + "/portal/login");
        var policy = loginPage.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("script-src 'self'", policy);
        Assert.DoesNotContain("unsafe-inline", policy);
        Assert.DoesNotContain("http", policy);
        var token = WebUtility.HtmlDecode(Token(await loginPage.Content.ReadAsStringAsync()));
        Assert.NotEmpty(token);

        // A wrong password: the form again with the reason, no session.
        var wrong = await browser.PostAsync(Origin + "/portal/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token, ["name"] = "operator", ["password"] = "not-the-password",
        }));
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.DoesNotContain(cookies.GetCookies(new Uri(Origin)), c => c.Name == "sma.session");

        var (client, session, csrf) = await SignedIn("operator");
        using (client)
        {
            var cookie = session.GetCookies(new Uri(Origin)).Single(c => c.Name == "sma.session");
            Assert.True(cookie.HttpOnly);
            Assert.True(cookie.Secure);
            Assert.NotEmpty(csrf);

            // The session reads the OData service...
            using var read = new HttpRequestMessage(HttpMethod.Get, _server.Root + "Runbooks");
            read.Headers.Accept.ParseAdd("application/json;odata=verbose");
            Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(read)).StatusCode);

            // ... but changes nothing without the page's token, and does with it.
            var runbook = _server.Runbook("Portal-Start", "param([string] $Who) \"hi $Who\"");
            var jobsBefore = _server.Runtime.Store.CountJobs();
            var url = $"{_server.Root}Runbooks(guid'{runbook.RunbookID}')/Start";
            const string body = "{\"parameters\":[{\"Name\":\"Who\",\"Value\":\"portal\"}]}";
            using var forged = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json") };
            forged.Headers.Accept.ParseAdd("application/json;odata=verbose");
            var refused = await client.SendAsync(forged);
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
            Assert.Equal("CsrfTokenInvalid", JsonDocument.Parse(await refused.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetProperty("code").GetString());
            Assert.Equal(jobsBefore, _server.Runtime.Store.CountJobs());

            using var genuine = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json") };
            genuine.Headers.Accept.ParseAdd("application/json;odata=verbose");
            genuine.Headers.Add("X-CSRF-TOKEN", csrf);
            var started = await client.SendAsync(genuine);
            Assert.Equal(HttpStatusCode.OK, started.StatusCode);
            var jobId = JsonDocument.Parse(await started.Content.ReadAsStringAsync()).RootElement.GetProperty("d").GetProperty("Start").GetGuid();
            Assert.Equal("operator", new JobService(_server.Runtime).Get(jobId).StartedBy);
            await Http.WaitForJob(_server.Client(), _server.Root, jobId, "Completed");

            // The views the page reads besides the OData service.
            var details = JsonDocument.Parse(await client.GetStringAsync($"{Origin}/portal/api/jobs/{jobId}")).RootElement;
            Assert.Contains("\"hi $Who\"", details.GetProperty("source").GetString());
            Assert.Contains(details.GetProperty("history").EnumerateArray(), h => h.GetProperty("to").GetString() == "Completed");
            var summary = JsonDocument.Parse(await client.GetStringAsync($"{Origin}/portal/api/summary?hours=24")).RootElement;
            Assert.Equal(10, summary.GetProperty("statuses").GetArrayLength());
            Assert.Equal(24, summary.GetProperty("slices").GetArrayLength());
            var completed = summary.GetProperty("statuses").EnumerateArray().Select(s => s.GetString()).ToList().IndexOf("Completed");
            Assert.True(summary.GetProperty("slices").EnumerateArray().Sum(s => s.GetProperty("counts")[completed].GetInt32()) >= 1);
            var workers = JsonDocument.Parse(await client.GetStringAsync($"{Origin}/portal/api/workers")).RootElement;
            Assert.Equal(JsonValueKind.Array, workers.ValueKind);

            // Signing out ends the session.
            var signOut = await client.PostAsync(Origin + "/portal/logout", new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = csrf }));
            Assert.Equal(HttpStatusCode.Redirect, signOut.StatusCode);
            Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync(Origin + "/portal/")).StatusCode);
        }
    }

    [Fact]
    public async Task A_sign_in_without_the_form_token_is_refused()
    {
        var cookies = new CookieContainer();
        using var browser = Browser(cookies);
        var response = await browser.PostAsync(Origin + "/portal/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["name"] = "operator", ["password"] = ServerFixture.Password,
        }));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.DoesNotContain(cookies.GetCookies(new Uri(Origin)), c => c.Name == "sma.session");
    }

    [Fact]
    public async Task The_page_and_its_assets_come_from_this_server_only()
    {
        var (client, _, _) = await SignedIn("reader");
        using (client)
        {
            var page = await client.GetAsync(Origin + "/portal/");
            var html = await page.Content.ReadAsStringAsync();
            Assert.Equal("Reader", Regex.Match(html, "name=\"sma-role\" content=\"([^\"]+)\"").Groups[1].Value);
            Assert.DoesNotMatch("(src|href)=\"(https?:)?//", html);
            Assert.DoesNotContain("<script>", html);
            var script = await client.GetAsync(Origin + "/portal/portal.js");
            Assert.Equal("text/javascript", script.Content.Headers.ContentType!.MediaType);
            var text = await script.Content.ReadAsStringAsync();
            Assert.DoesNotContain("innerHTML", text);
            Assert.DoesNotContain("eval(", text);
            Assert.Equal("text/css", (await client.GetAsync(Origin + "/portal/portal.css")).Content.Headers.ContentType!.MediaType);
        }
    }

    [Fact]
    public async Task The_views_need_a_session_and_a_valid_job_id()
    {
        using var anonymous = Browser(new CookieContainer());
        var denied = await anonymous.GetAsync($"{Origin}/portal/api/summary");
        Assert.Equal(HttpStatusCode.Unauthorized, denied.StatusCode);
        Assert.Equal("AuthenticationRequired", JsonDocument.Parse(await denied.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetProperty("code").GetString());
        var (client, _, _) = await SignedIn("reader");
        using (client)
        {
            var bad = await client.GetAsync($"{Origin}/portal/api/jobs/not-a-guid");
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
            Assert.Equal("InvalidJobId", JsonDocument.Parse(await bad.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetProperty("code").GetString());
            var range = await client.GetAsync($"{Origin}/portal/api/summary?hours=100000");
            Assert.Equal(HttpStatusCode.BadRequest, range.StatusCode);
        }
    }
}
