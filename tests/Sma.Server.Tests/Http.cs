using System.Net;
using System.Text;
using System.Text.Json;
using System.Xml.Linq;

namespace Sma.Server.Tests;

/// <summary>Requests and the assertions every test makes on OData responses.</summary>
internal static class Http
{
    public static async Task<(HttpStatusCode Status, XDocument Xml, HttpResponseMessage Response)> Xml(this HttpClient client, HttpMethod method, string url, string? body = null, string contentType = "application/json;odata=verbose")
    {
        using var request = new HttpRequestMessage(method, url);
        // Per request, whatever the client's default: the form the caller parses.
        request.Headers.Accept.ParseAdd("application/atom+xml,application/xml");
        if (body is not null)
            request.Content = new StringContent(body, Encoding.UTF8, MediaTypeOnly(contentType));
        var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? new XDocument() : XDocument.Parse(text), response);
    }

    public static async Task<(HttpStatusCode Status, JsonElement Json, HttpResponseMessage Response)> Json(this HttpClient client, HttpMethod method, string url, string? body = null)
    {
        using var request = new HttpRequestMessage(method, url);
        request.Headers.Accept.ParseAdd("application/json;odata=verbose");
        if (body is not null)
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone(), response);
    }

    public static Task<(HttpStatusCode Status, XDocument Xml, HttpResponseMessage Response)> GetXml(this HttpClient client, string url) => client.Xml(HttpMethod.Get, url);

    public static Task<(HttpStatusCode Status, JsonElement Json, HttpResponseMessage Response)> GetJson(this HttpClient client, string url) => client.Json(HttpMethod.Get, url);

    private static string MediaTypeOnly(string contentType) => contentType.Split(';')[0];

    /// <summary>An OData error in Atom/XML: &lt;m:error&gt;&lt;m:code&gt;…</summary>
    public static void AssertXmlError(HttpStatusCode expected, string code, (HttpStatusCode Status, XDocument Xml, HttpResponseMessage Response) result)
    {
        Assert.Equal(expected, result.Status);
        Assert.Equal(ServerFixture.M + "error", result.Xml.Root!.Name);
        Assert.Equal(code, result.Xml.Root.Element(ServerFixture.M + "code")!.Value);
        Assert.False(string.IsNullOrWhiteSpace(result.Xml.Root.Element(ServerFixture.M + "message")!.Value));
    }

    /// <summary>An OData error in verbose JSON: {"error":{"code":…,"message":{"lang":…,"value":…}}}</summary>
    public static void AssertJsonError(HttpStatusCode expected, string code, (HttpStatusCode Status, JsonElement Json, HttpResponseMessage Response) result)
    {
        Assert.Equal(expected, result.Status);
        var error = result.Json.GetProperty("error");
        Assert.Equal(code, error.GetProperty("code").GetString());
        Assert.False(string.IsNullOrWhiteSpace(error.GetProperty("message").GetProperty("value").GetString()));
    }

    /// <summary>The d: properties of an Atom entry (in content, or beside it for a media link entry).</summary>
    public static Dictionary<string, XElement> Properties(XElement entry) =>
        entry.Descendants(ServerFixture.M + "properties").First().Elements().ToDictionary(e => e.Name.LocalName);

    public static IEnumerable<XElement> Entries(XDocument feed) => feed.Root!.Elements(ServerFixture.Atom + "entry");

    /// <summary>Waits until the job is at rest, polling Jobs(guid'…') as SMA's clients do.</summary>
    public static async Task<string> WaitForJob(HttpClient client, string root, Guid jobId, params string[] until)
    {
        var deadline = DateTime.UtcNow.AddSeconds(120);
        var done = until.Length > 0 ? until : new[] { "Completed", "Failed", "Stopped", "Suspended" };
        while (true)
        {
            var (status, xml, _) = await client.GetXml($"{root}Jobs(guid'{jobId}')");
            Assert.Equal(HttpStatusCode.OK, status);
            var jobStatus = Properties(xml.Root!)["JobStatus"].Value;
            if (done.Contains(jobStatus))
                return jobStatus;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"Job {jobId} is still {jobStatus}.");
            await Task.Delay(50);
        }
    }
}
