using System.Management.Automation;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;

namespace Sma.Engine.Remote;

/// <summary>
/// The HTTP side of the module's remote cmdlets: SMA's OData service at <c>https://host:port/00000000-…/</c>, spoken
/// in verbose JSON with Basic authentication over TLS. A service error comes back as the engine's own error (same
/// ErrorId, category and message), so a remote cmdlet reports exactly what a local one would.
/// </summary>
public sealed class WebServiceClient : IDisposable
{
    /// <summary>Thumbprints (comma-separated) of server certificates to trust beyond the system's trust store.</summary>
    public const string ThumbprintVariable = "SMA_WEBSERVICE_THUMBPRINT";

    public const string ServicePath = "/00000000-0000-0000-0000-000000000000/";

    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(100);
    private readonly HttpClient _http;
    private string? _presented;
    private int _requestsSent;

    private WebServiceClient(Uri root, PSCredential? credential)
    {
        ServiceRoot = root;
        var handler = new SocketsHttpHandler
        {
            SslOptions = { RemoteCertificateValidationCallback = Validate },
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        };
        _http = new HttpClient(handler) { BaseAddress = root, Timeout = RequestTimeout };
        _http.DefaultRequestHeaders.Accept.ParseAdd("application/json;odata=verbose");
        _http.DefaultRequestHeaders.Add("DataServiceVersion", "3.0");
        _http.DefaultRequestHeaders.Add("MaxDataServiceVersion", "3.0");
        if (credential is not null && credential != PSCredential.Empty)
        {
            var user = credential.UserName.TrimStart('\\');
            var pair = $"{user}:{credential.GetNetworkCredential().Password}";
            _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(pair)));
        }
    }

    /// <summary>The service root, ending with '/': <c>https://sma.contoso.com:9090/00000000-0000-0000-0000-000000000000/</c>.</summary>
    public Uri ServiceRoot { get; }

    /// <summary>
    /// The client for SMA's endpoint parameters: <paramref name="endpoint"/> as SMA's cmdlets took it (https://host,
    /// host, or with a port of its own), <paramref name="port"/> when the endpoint names none.
    /// </summary>
    public static WebServiceClient For(string endpoint, int port, PSCredential? credential)
    {
        var text = endpoint.Trim().TrimEnd('/');
        if (!text.Contains("://", StringComparison.Ordinal))
            text = "https://" + text;
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http") || uri.Host.Length == 0)
            throw SmaErrors.InvalidWebServiceEndpoint(endpoint);
        var builder = new UriBuilder(uri) { Path = ServicePath, Query = "", Fragment = "" };
        if (uri.IsDefaultPort && !endpoint.Contains(":" + uri.Port, StringComparison.Ordinal))
            builder.Port = port;
        return new WebServiceClient(builder.Uri, credential);
    }

    /// <summary>How many requests this client has sent: what a command costs in round trips to the server.</summary>
    public int RequestsSent => _requestsSent;

    /// <summary>GET a path under the service root; the JSON's <c>d</c>.</summary>
    internal JsonElement Get(string path) => Send(HttpMethod.Get, path, null)!.Value;

    /// <summary>GET a media resource (<c>RunbookVersions(guid'…')/$value</c>): its text.</summary>
    internal string GetText(string path) => SendRaw(HttpMethod.Get, path, null, null, "text/plain");

    /// <summary>A request; the response's <c>d</c> (null for 204). An OData error becomes the engine's SmaException.</summary>
    internal JsonElement? Send(HttpMethod method, string path, HttpContent? content, Action<HttpRequestMessage>? prepare = null)
    {
        var body = SendRaw(method, path, content, prepare, null);
        if (body.Length == 0)
            return null;
        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.TryGetProperty("d", out var d) ? d.Clone() : document.RootElement.Clone();
        }
        catch (JsonException)
        {
            throw SmaErrors.WebServiceUnreachable(ServiceRoot.ToString(), "it answered with something other than SMA's OData JSON");
        }
    }

    /// <summary>A request; the response's text ("" for 204). An OData error (always JSON, as asked) becomes the engine's SmaException.</summary>
    private string SendRaw(HttpMethod method, string path, HttpContent? content, Action<HttpRequestMessage>? prepare, string? accept)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        if (accept is not null)
        {
            // A media resource: its own type first; an error still comes as OData JSON.
            request.Headers.Accept.Clear();
            request.Headers.Accept.ParseAdd(accept);
            request.Headers.Accept.ParseAdd("application/json;odata=verbose;q=0.5");
        }
        prepare?.Invoke(request);
        Interlocked.Increment(ref _requestsSent);
        HttpResponseMessage response;
        try
        {
            response = _http.Send(request);
        }
        catch (HttpRequestException e)
        {
            throw Unreachable(e);
        }
        catch (TaskCanceledException)
        {
            throw SmaErrors.WebServiceUnreachable(ServiceRoot.ToString(), $"it did not answer within {RequestTimeout.TotalSeconds:0} s");
        }
        using (response)
        {
            var body = response.Content.ReadAsStringAsync().GetAwaiter().GetResult();
            if (!response.IsSuccessStatusCode)
                throw ErrorOf(response.StatusCode, body);
            return response.StatusCode == HttpStatusCode.NoContent ? "" : body;
        }
    }

    internal static StringContent Json(object body) =>
        new(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");

    /// <summary>The service's error as the engine's: its code is the ErrorId, its inner error's type the category.</summary>
    private SmaException ErrorOf(HttpStatusCode status, string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            var error = document.RootElement.GetProperty("error");
            var code = error.GetProperty("code").GetString() ?? "";
            var message = error.GetProperty("message").GetProperty("value").GetString() ?? "";
            var category = error.TryGetProperty("innererror", out var inner) && inner.TryGetProperty("type", out var type)
                && Enum.TryParse<ErrorCategory>(type.GetString(), out var c) ? c : CategoryOf(status);
            if (code.Length > 0)
                return new SmaException(code, category, message, null);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            // not an OData error: described below
        }
        return SmaErrors.WebServiceUnreachable(ServiceRoot.ToString(), $"it answered {(int)status} {status} without an OData error");
    }

    private static ErrorCategory CategoryOf(HttpStatusCode status) => (int)status switch
    {
        401 => ErrorCategory.AuthenticationError,
        403 => ErrorCategory.PermissionDenied,
        404 => ErrorCategory.ObjectNotFound,
        409 => ErrorCategory.InvalidOperation,
        413 => ErrorCategory.LimitsExceeded,
        >= 500 => ErrorCategory.ResourceUnavailable,
        _ => ErrorCategory.InvalidArgument,
    };

    private SmaException Unreachable(HttpRequestException e)
    {
        if (_presented is { } thumbprint)
            return SmaErrors.WebServiceCertificateNotTrusted(ServiceRoot.ToString(), thumbprint, ThumbprintVariable);
        var why = e.InnerException?.Message ?? e.Message;
        return SmaErrors.WebServiceUnreachable(ServiceRoot.ToString(), why.TrimEnd('.'));
    }

    /// <summary>The system's trust, or a thumbprint the user pinned (a server's self-signed certificate).</summary>
    private bool Validate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (errors == SslPolicyErrors.None)
            return true;
        if (certificate is null)
            return false;
        using var presented = new X509Certificate2(certificate);
        var pinned = (Environment.GetEnvironmentVariable(ThumbprintVariable) ?? "")
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        // A pinned certificate is trusted whatever name the client used for the server (an address, an alias).
        if (pinned.Any(p => p.Equals(presented.Thumbprint, StringComparison.OrdinalIgnoreCase)))
            return true;
        _presented = presented.Thumbprint;
        return false;
    }

    public void Dispose() => _http.Dispose();
}
