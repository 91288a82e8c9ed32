using System.Management.Automation;
using Sma.Cmdlets.Infrastructure;
using Sma.Engine.Services;

namespace Sma.Cmdlets.Commands;

/// <summary>Removes accounts of the web service.</summary>
/// <remarks>
/// Deletes accounts from the local store; their next request is refused. Jobs they started keep their name in
/// StartedBy and in their history. An account that does not exist is a non-terminating AccountNotFound error.
/// </remarks>
/// <returns>Nothing: the accounts are deleted and nothing is written.</returns>
/// <seealso cref="NewSmaWebServiceAccountCommand"/>
[Cmdlet(VerbsCommon.Remove, "SmaWebServiceAccount", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(void))]
public sealed class RemoveSmaWebServiceAccountCommand : SmaCmdlet
{
    #region Parameters

    /// <summary>The accounts' names.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string[] Name { get; set; } = Array.Empty<string>();

    #endregion

    protected override (string ActsOn, string Instead)? LocalOnly =>
        ("the web service's sign-in accounts, kept in a store it opens directly (they are never managed through the service they guard)",
         "run it on the server, with -StorePath naming the store its web service uses");

    protected override void Process()
    {
        var accounts = new AccountService(Runtime);
        foreach (var name in Name)
        {
            if (ShouldProcess(name, "Remove web service account"))
                PerItem(() => accounts.Remove(name));
        }
    }
}
