using System.Management.Automation;
using Sma.Cmdlets.Infrastructure;
using Sma.Engine.Model;
using Sma.Engine.Services;

namespace Sma.Cmdlets.Commands;

/// <summary>Gets accounts of the web service.</summary>
/// <remarks>
/// Lists the accounts in the local store with their role and whether they are enabled, never their password. A name
/// without wildcards that matches no account is a non-terminating AccountNotFound error.
/// </remarks>
/// <returns>The accounts (WebServiceAccount).</returns>
/// <seealso cref="NewSmaWebServiceAccountCommand"/>
[Cmdlet(VerbsCommon.Get, "SmaWebServiceAccount")]
[OutputType(typeof(WebServiceAccount))]
public sealed class GetSmaWebServiceAccountCommand : SmaCmdlet
{
    #region Parameters

    /// <summary>Account names; wildcards are allowed. Omitted: every account.</summary>
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string[]? Name { get; set; }

    #endregion

    protected override (string ActsOn, string Instead)? LocalOnly =>
        ("the web service's sign-in accounts, kept in a store it opens directly (they are never managed through the service they guard)",
         "run it on the server, with -StorePath naming the store its web service uses");

    protected override void Process()
    {
        var accounts = new AccountService(Runtime);
        if (Name is null)
        {
            WriteObject(accounts.List(), enumerateCollection: true);
            return;
        }
        foreach (var name in Name)
        {
            if (WildcardPattern.ContainsWildcardCharacters(name))
            {
                var pattern = new WildcardPattern(name, WildcardOptions.IgnoreCase);
                WriteObject(accounts.List().Where(a => pattern.IsMatch(a.Name)), enumerateCollection: true);
            }
            else if (PerItem(() => accounts.Get(name)) is { } account)
            {
                WriteObject(account);
            }
        }
    }
}
