using System.Net;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Sma.Engine;
using Sma.Engine.Model;

namespace Sma.Server.Security;

/// <summary>Options of the Basic scheme: who may come in without credentials.</summary>
public sealed class BasicAuthenticationOptions : AuthenticationSchemeOptions
{
    /// <summary>The role of requests without credentials from this machine (-AllowAnonymousLoopback); null: none.</summary>
    public WebServiceRole? AnonymousLoopbackRole { get; set; }
}

/// <summary>
/// HTTP Basic authentication over TLS, as SMA's clients send it (Invoke-RestMethod -Credential, SMA's cmdlets). Refused
/// over plain HTTP, where the password would be readable on the wire. Failures are left for the endpoint to report
/// in its own error format (OData error with the ErrorId).
/// </summary>
public sealed class BasicAuthenticationHandler : AuthenticationHandler<BasicAuthenticationOptions>
{
    /// <summary>The name anonymous loopback requests act under (recorded as StartedBy).</summary>
    public const string AnonymousName = "anonymous@loopback";

    private readonly AccountAuthenticator _accounts;

    public BasicAuthenticationHandler(IOptionsMonitor<BasicAuthenticationOptions> options, ILoggerFactory logger, UrlEncoder encoder,
        AccountAuthenticator accounts)
        : base(options, logger, encoder) => _accounts = accounts;

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (header.Length == 0)
        {
            if (Options.AnonymousLoopbackRole is { } role && Context.Connection.RemoteIpAddress is { } remote && IPAddress.IsLoopback(remote))
                return Task.FromResult(Success(AnonymousName, role));
            return Task.FromResult(AuthenticateResult.NoResult());
        }
        if (!header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
            return Task.FromResult(Fail(SmaErrors.WebAuthenticationRequired()));
        if (!Request.IsHttps)
            return Task.FromResult(Fail(SmaErrors.WebHttpsRequired()));
        string decoded;
        try
        {
            decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header[6..].Trim()));
        }
        catch (FormatException)
        {
            return Task.FromResult(Fail(SmaErrors.WebInvalidCredentials()));
        }
        var colon = decoded.IndexOf(':');
        if (colon <= 0)
            return Task.FromResult(Fail(SmaErrors.WebInvalidCredentials()));
        try
        {
            var (account, role) = _accounts.SignIn(decoded[..colon], decoded[(colon + 1)..], Context.Connection.RemoteIpAddress);
            return Task.FromResult(Success(account, role));
        }
        catch (SmaException e)
        {
            return Task.FromResult(Fail(e));
        }
    }

    private AuthenticateResult Success(string account, WebServiceRole role) =>
        AuthenticateResult.Success(new AuthenticationTicket(SecurityDefaults.Principal(account, role, Scheme.Name), Scheme.Name));

    private AuthenticateResult Fail(SmaException error)
    {
        Context.Items[SecurityDefaults.FailureKey] = error;
        return AuthenticateResult.Fail(error.Message);
    }
}
