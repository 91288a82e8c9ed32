using System.Management.Automation;
using System.Net;
using System.Security;
using Sma.Cmdlets.Infrastructure;
using Sma.Engine.Model;
using Sma.Engine.Services;

namespace Sma.Cmdlets.Commands;

/// <summary>Creates an account of the web service.</summary>
/// <remarks>
/// Adds an account to the local store, with a role: Reader (reads runbooks and jobs), Operator (also starts, stops,
/// suspends and resumes jobs and reads assets' non-secret fields) or Administrator (everything). Only a salted, slow
/// hash of the password is stored (PBKDF2-SHA512); passwords need at least 12 characters. Clients sign in with Basic
/// authentication over HTTPS (Invoke-RestMethod -Credential, the SMA cmdlets' -Credential).
/// </remarks>
/// <returns>The new account (WebServiceAccount).</returns>
/// <seealso cref="SetSmaWebServiceAccountCommand"/>
[Cmdlet(VerbsCommon.New, "SmaWebServiceAccount", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low, DefaultParameterSetName = "Password")]
[OutputType(typeof(WebServiceAccount))]
public sealed class NewSmaWebServiceAccountCommand : SmaCmdlet
{
    #region Parameters

    /// <summary>The account's name: ASCII letters, digits and . _ @ - \ (DOMAIN\user works).</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = "Password")]
    [ValidateNotNullOrEmpty]
    public string Name { get; set; } = "";

    /// <summary>The account's password (at least 12 characters).</summary>
    [Parameter(Mandatory = true, Position = 1, ParameterSetName = "Password")]
    public SecureString Password { get; set; } = new();

    /// <summary>The account's name and password in one (Get-Credential).</summary>
    [Parameter(Mandatory = true, ParameterSetName = "Credential")]
    [ValidateNotNull]
    public PSCredential AccountCredential { get; set; } = PSCredential.Empty;

    /// <summary>What the account may do: Reader, Operator or Administrator.</summary>
    [Parameter(Mandatory = true)]
    [ValidateSet("Reader", "Operator", "Administrator")]
    public string Role { get; set; } = "";

    /// <summary>A description of the account.</summary>
    [Parameter]
    public string? Description { get; set; }

    #endregion

    protected override (string ActsOn, string Instead)? LocalOnly =>
        ("the web service's sign-in accounts, kept in a store it opens directly (they are never managed through the service they guard)",
         "run it on the server, with -StorePath naming the store its web service uses");

    protected override void Process()
    {
        var name = ParameterSetName == "Credential" ? AccountCredential.UserName : Name;
        var password = ParameterSetName == "Credential" ? AccountCredential.Password : Password;
        if (!ShouldProcess(name, $"Create web service account ({Role})"))
            return;
        WriteObject(new AccountService(Runtime).New(name, Enum.Parse<WebServiceRole>(Role, ignoreCase: true), new NetworkCredential("", password).Password, Description));
    }
}
