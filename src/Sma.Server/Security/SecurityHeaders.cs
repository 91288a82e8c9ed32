using Microsoft.AspNetCore.Http;

namespace Sma.Server.Security;

/// <summary>
/// Headers every response carries: a strict content security policy (nothing loads, nothing frames the page: the
/// service serves data only; the portal replaces the policy for its own pages with one that allows its own scripts and
/// styles and nothing else), no MIME sniffing, no referrer, no caching of authenticated data, HSTS over HTTPS.
/// </summary>
public static class SecurityHeaders
{
    public const string ApiPolicy = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

    public static Task Apply(HttpContext http, Func<Task> next)
    {
        var headers = http.Response.Headers;
        headers.ContentSecurityPolicy = ApiPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "no-referrer";
        headers.CacheControl = "no-store";
        if (http.Request.IsHttps)
            headers.StrictTransportSecurity = "max-age=31536000";
        return next();
    }
}
