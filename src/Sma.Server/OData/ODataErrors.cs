using System.Management.Automation;
using Sma.Engine;

namespace Sma.Server.OData;

/// <summary>The HTTP status of an engine error: by its ErrorId where one needs its own, else by its category.</summary>
internal static class ODataErrors
{
    private static readonly Dictionary<string, int> ById = new(StringComparer.Ordinal)
    {
        ["AuthenticationRequired"] = 401,
        ["InvalidCredentials"] = 401,
        ["HttpsRequired"] = 403,
        ["AccessDenied"] = 403,
        ["CsrfTokenInvalid"] = 403,
        ["MethodNotAllowed"] = 405,
        ["RequestBodyTooLarge"] = 413,
        ["UnsupportedMediaType"] = 415,
        ["TooManySignInFailures"] = 429,
        ["ResourceNotFound"] = 404,
        // A .pfx sent with the wrong password is bad input, not a refusal of the account.
        ["CertificatePasswordInvalid"] = 400,
    };

    public static int Status(SmaException e)
    {
        if (ById.TryGetValue(e.ErrorId, out var status))
            return status;
        if (SmaErrors.IsStoreFailure(e))
            return 503;
        return e.Category switch
        {
            ErrorCategory.ObjectNotFound => 404,
            ErrorCategory.ResourceExists => 409,
            ErrorCategory.InvalidOperation => 409,
            ErrorCategory.PermissionDenied or ErrorCategory.SecurityError => 403,
            ErrorCategory.AuthenticationError => 401,
            ErrorCategory.LimitsExceeded => 413,
            ErrorCategory.ResourceUnavailable => 503,
            _ => 400,
        };
    }
}
