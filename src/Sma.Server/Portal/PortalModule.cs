using System.Net;
using System.Reflection;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Sma.Engine;
using Sma.Engine.Model;
using Sma.Engine.Services;
using Sma.Server.OData;
using Sma.Server.Security;

namespace Sma.Server.Portal;

/// <summary>
/// The portal under <c>/portal/</c>: a sign-in page (the store's accounts, the same throttling as Basic), then one
/// self-contained page whose script reads the OData service with the session cookie and sends its anti-forgery token
/// with every change. Nothing is loaded from elsewhere: the content security policy allows this origin's script and
/// style only. A few views the OData service has no set for (the dashboard's summary, a job's history and source,
/// the workers) come from <c>/portal/api/</c>.
/// </summary>
internal sealed class PortalModule : IServerModule
{
    public const string Root = "/portal";

    /// <summary>The portal's own policy: its script, style and requests to this origin, nothing else, never framed.</summary>
    public const string Policy = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; " +
        "form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    public void Map(WebApplication app)
    {
        app.MapGet(Root + "/", Shell); // /portal too: routing ignores a trailing slash
        app.MapGet(Root + "/login", http => LoginPage(http, null, 200));
        app.MapPost(Root + "/login", SignIn);
        app.MapPost(Root + "/logout", SignOut);
        app.MapGet(Root + "/portal.js", http => Asset(http, "portal.js", "text/javascript; charset=utf-8"));
        app.MapGet(Root + "/portal.css", http => Asset(http, "portal.css", "text/css; charset=utf-8"));
        app.MapGet(Root + "/api/summary", Api(PortalApi.Summary));
        app.MapGet(Root + "/api/jobs/{id}", Api(PortalApi.JobDetails));
        app.MapGet(Root + "/api/workers", Api(PortalApi.Workers));
    }

    /// <summary>The page: the signed-in account, a fresh anti-forgery token for its requests, the script.</summary>
    private static async Task Shell(HttpContext http)
    {
        if (await Session(http) is not { } who)
        {
            http.Response.Redirect(Root + "/login");
            return;
        }
        var tokens = http.RequestServices.GetRequiredService<IAntiforgery>().GetAndStoreTokens(http);
        var html = $$"""
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <meta name="sma-csrf" content="{{Encode(tokens.RequestToken)}}">
            <meta name="sma-role" content="{{who.Role}}">
            <title>Sma – Automation</title>
            <link rel="stylesheet" href="{{Root}}/portal.css">
            <script src="{{Root}}/portal.js" defer></script>
            </head>
            <body>
            <header>
              <h1>Automation</h1>
              <nav aria-label="Views">
                <a href="#dashboard">Dashboard</a>
                <a href="#jobs">Jobs</a>
                <a href="#runbooks">Runbooks</a>
                <a href="#assets">Assets</a>
                <a href="#workers">Workers</a>
              </nav>
              <form method="post" action="{{Root}}/logout" class="who">
                <span>{{Encode(who.Account)}} ({{who.Role}})</span>
                <input type="hidden" name="__RequestVerificationToken" value="{{Encode(tokens.RequestToken)}}">
                <button type="submit">Sign out</button>
              </form>
            </header>
            <main id="view" tabindex="-1" aria-live="polite"><p>Loading…</p></main>
            </body>
            </html>
            """;
        await Write(http, 200, "text/html; charset=utf-8", html);
    }

    private static async Task SignIn(HttpContext http)
    {
        var antiforgery = http.RequestServices.GetRequiredService<IAntiforgery>();
        if (!http.Request.IsHttps)
        {
            await LoginPage(http, SmaErrors.WebHttpsRequired().Message, 403);
            return;
        }
        if (!await antiforgery.IsRequestValidAsync(http))
        {
            await LoginPage(http, "The sign-in form has expired; please sign in again.", 400);
            return;
        }
        var form = await http.Request.ReadFormAsync();
        try
        {
            var (account, role) = http.RequestServices.GetRequiredService<AccountAuthenticator>()
                .SignIn(form["name"].ToString().Trim(), form["password"].ToString(), http.Connection.RemoteIpAddress);
            await http.SignInAsync(SecurityDefaults.CookieScheme, SecurityDefaults.Principal(account, role, SecurityDefaults.CookieScheme));
            http.Response.Redirect(Root + "/");
        }
        catch (SmaException e)
        {
            await LoginPage(http, e.Message, ODataErrors.Status(e));
        }
    }

    private static async Task SignOut(HttpContext http)
    {
        if (await Session(http) is not null && await http.RequestServices.GetRequiredService<IAntiforgery>().IsRequestValidAsync(http))
            await http.SignOutAsync(SecurityDefaults.CookieScheme);
        http.Response.Redirect(Root + "/login");
    }

    private static async Task LoginPage(HttpContext http, string? message, int status)
    {
        if (!http.Request.IsHttps)
        {
            // The session and anti-forgery cookies are HTTPS-only.
            message ??= "The portal needs HTTPS: start the web service without -Http.";
            await Write(http, status == 200 ? 403 : status, "text/html; charset=utf-8", Page("Sign in", $"<p role=\"alert\">{Encode(message)}</p>"));
            return;
        }
        var tokens = http.RequestServices.GetRequiredService<IAntiforgery>().GetAndStoreTokens(http);
        var alert = message is null ? "" : $"<p role=\"alert\" class=\"error\">{Encode(message)}</p>";
        var body = $$"""
            <form method="post" action="{{Root}}/login" class="login">
              <h1>Sign in to Automation</h1>
              {{alert}}
              <input type="hidden" name="__RequestVerificationToken" value="{{Encode(tokens.RequestToken)}}">
              <label>Account <input name="name" autocomplete="username" required autofocus></label>
              <label>Password <input name="password" type="password" autocomplete="current-password" required></label>
              <button type="submit">Sign in</button>
            </form>
            """;
        await Write(http, status, "text/html; charset=utf-8", Page("Sign in", body));
    }

    private static string Page(string title, string body) => $$"""
        <!DOCTYPE html>
        <html lang="en">
        <head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
        <title>Sma – {{title}}</title><link rel="stylesheet" href="{{Root}}/portal.css"></head>
        <body>{{body}}</body>
        </html>
        """;

    /// <summary>The signed-in account of the session cookie (Basic is for SMA's clients, not the portal's pages).</summary>
    private static async Task<(string Account, WebServiceRole Role)?> Session(HttpContext http)
    {
        var result = await http.AuthenticateAsync(SecurityDefaults.CookieScheme);
        if (!result.Succeeded || result.Principal is null)
            return null;
        http.User = result.Principal; // anti-forgery tokens are bound to the signed-in account
        return SecurityDefaults.Identity(result.Principal);
    }

    /// <summary>A JSON view for a signed-in session; errors in the OData service's JSON shape.</summary>
    private static RequestDelegate Api(Func<HttpContext, SmaRuntime, WebServiceRole, object> view) => async http =>
    {
        if (await Session(http) is not { } who)
        {
            await ODataService.WriteError(http, true, SmaErrors.WebAuthenticationRequired());
            return;
        }
        try
        {
            var result = view(http, http.RequestServices.GetRequiredService<SmaRuntime>(), who.Role);
            await Write(http, 200, "application/json; charset=utf-8", JsonSerializer.Serialize(result, Json));
        }
        catch (SmaException e)
        {
            await ODataService.WriteError(http, true, e);
        }
    };

    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    private static Task Asset(HttpContext http, string name, string contentType)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("Sma.Server.Portal." + name)
            ?? throw new InvalidOperationException($"The portal's {name} is not in the server's assembly.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return Write(http, 200, contentType, reader.ReadToEnd());
    }

    private static async Task Write(HttpContext http, int status, string contentType, string text)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = contentType;
        http.Response.Headers.ContentSecurityPolicy = Policy;
        var bytes = Encoding.UTF8.GetBytes(text);
        http.Response.ContentLength = bytes.Length;
        await http.Response.Body.WriteAsync(bytes, http.RequestAborted);
    }

    private static string Encode(string? text) => WebUtility.HtmlEncode(text ?? "");
}
