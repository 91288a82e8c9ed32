using System.Security.Claims;
using Sma.Engine.Model;

namespace Sma.Server.Security;

/// <summary>The names of the server's authentication schemes and claims, shared by the OData service and the portal.</summary>
public static class SecurityDefaults
{
    /// <summary>The scheme every endpoint authenticates with: Basic when the request carries it, else the portal's cookie.</summary>
    public const string Scheme = "Sma";

    public const string BasicScheme = "Basic";

    /// <summary>The portal's sign-in cookie (the portal signs in with <see cref="AccountAuthenticator"/>, then SignInAsync on this scheme).</summary>
    public const string CookieScheme = "SmaCookie";

    public const string Realm = "Sma";

    /// <summary>Where a failed authentication leaves its error for the endpoint to report.</summary>
    public const string FailureKey = "Sma.AuthenticationFailure";

    /// <summary>The header a browser page sends its anti-forgery token in.</summary>
    public const string CsrfHeader = "X-CSRF-TOKEN";

    /// <summary>A principal for a signed-in account (any scheme): its name, and its role as a role claim.</summary>
    public static ClaimsPrincipal Principal(string account, WebServiceRole role, string scheme) =>
        new(new ClaimsIdentity(new[] { new Claim(ClaimTypes.Name, account), new Claim(ClaimTypes.Role, role.ToString()) }, scheme));

    public static (string Account, WebServiceRole Role) Identity(ClaimsPrincipal principal)
    {
        var name = principal.FindFirstValue(ClaimTypes.Name) ?? "";
        var role = Enum.TryParse<WebServiceRole>(principal.FindFirstValue(ClaimTypes.Role), out var r) ? r : WebServiceRole.Reader;
        return (name, role);
    }
}
