using System.Management.Automation;
using System.Net;
using System.Security;
using Sma.Cmdlets.Infrastructure;
using Sma.Engine;
using Sma.Engine.Model;
using Sma.Engine.Services;

namespace Sma.Cmdlets.Commands;

/// <summary>Changes an account of the web service.</summary>
/// <remarks>
/// Changes an account's role, password, description, or whether it is enabled; what is not given stays as it is. A
/// changed password, role or a disabled account takes effect at the account's next request, also on a server that is
/// running. An account that does not exist is a non-terminating AccountNotFound error.
/// </remarks>
/// <returns>The account after the change, with -PassThru (WebServiceAccount).</returns>
/// <seealso cref="NewSmaWebServiceAccountCommand"/>
[Cmdlet(VerbsCommon.Set, "SmaWebServiceAccount", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(WebServiceAccount))]
public sealed class SetSmaWebServiceAccountCommand : SmaCmdlet
{
    #region Parameters

    /// <summary>The account's name.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string Name { get; set; } = "";

    /// <summary>The new role: Reader, Operator or Administrator.</summary>
    [Parameter]
    [ValidateSet("Reader", "Operator", "Administrator")]
    public string? Role { get; set; }

    /// <summary>The new password (at least 12 characters).</summary>
    [Parameter]
    public SecureString? Password { get; set; }

    /// <summary>$false to disable the account (it can no longer sign in), $true to enable it again.</summary>
    [Parameter]
    public bool? Enabled { get; set; }

    /// <summary>A new description.</summary>
    [Parameter]
    public string? Description { get; set; }

    /// <summary>Return the account after the change.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    #endregion

    protected override (string ActsOn, string Instead)? LocalOnly =>
        ("the web service's sign-in accounts, kept in a store it opens directly (they are never managed through the service they guard)",
         "run it on the server, with -StorePath naming the store its web service uses");

    protected override void Process()
    {
        if (Role is null && Password is null && Enabled is null && Description is null)
            throw SmaErrors.NoAccountChangeGiven(Name);
        if (!ShouldProcess(Name, "Change web service account"))
            return;
        var password = Password is null ? null : new NetworkCredential("", Password).Password;
        if (password is not null)
            AccountService.CheckPassword(Name, password); // an invalid value: terminating, unlike a missing account
        var account = PerItem(() => new AccountService(Runtime).Set(Name, Role is null ? null : Enum.Parse<WebServiceRole>(Role, ignoreCase: true), password, Enabled, Description));
        if (PassThru && account is not null)
            WriteObject(account);
    }
}
