using System.Management.Automation;
using System.Net;
using Sma.Engine.Model;
using Sma.Engine.Store;

namespace Sma.Engine.Services;

public sealed partial class AssetService
{
    public IReadOnlyList<SmaCredential> ListCredentials() => _store.ListCredentials().Select(ToModel).ToList();

    /// <summary>The credential's name, user name and description — never its password; CredentialNotFound otherwise.</summary>
    public SmaCredential GetCredential(string name) =>
        ToModel(_store.FindCredential(name) ?? throw SmaErrors.CredentialNotFound(name));

    /// <summary>Creates or updates a credential (Set-SmaCredential); the password is stored only encrypted.</summary>
    public SmaCredential SetCredential(string name, PSCredential credential, string? description)
    {
        CheckName("credential", name);
        var secret = _codec.Protect(credential.GetNetworkCredential().Password ?? "");
        return ToModel(Retry(() =>
        {
            var existing = _store.FindCredential(name);
            var write = new CredentialWrite(existing?.Name ?? name, credential.UserName, secret, description ?? existing?.Description);
            return _store.PutCredential(write, existing) ? _store.FindCredential(name) : null;
        }));
    }

    public void RemoveCredential(string name)
    {
        if (!_store.RemoveCredential(name))
            throw SmaErrors.CredentialNotFound(name);
    }

    /// <summary>Get-AutomationPSCredential: a live PSCredential; its password is reported as a secret.</summary>
    internal PSCredential ReadCredential(string name, Action<object?> secret)
    {
        var stored = _store.FindCredential(name) ?? throw SmaErrors.CredentialNotFound(name);
        var password = _codec.Unprotect(stored.Secret);
        secret(password);
        return new PSCredential(stored.UserName, new NetworkCredential("", password).SecurePassword);
    }

    private static SmaCredential ToModel(StoredCredential c) => new()
    {
        CredentialID = c.Id,
        Name = c.Name,
        UserName = c.UserName,
        Description = c.Description,
        CreationTime = c.CreationTime,
        LastModifiedTime = c.LastModifiedTime,
    };
}
