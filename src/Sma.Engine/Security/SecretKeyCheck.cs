using System.Security.Cryptography;
using Sma.Engine.Store;

namespace Sma.Engine.Security;

/// <summary>
/// Makes sure every process of a store encrypts with one key (DESIGN §12): the store keeps a known text encrypted with
/// the key of the first process that needed it — never the key — and a process whose key cannot decrypt it refuses
/// to go on rather than write secrets nobody else can read.
/// </summary>
public static class SecretKeyCheck
{
    internal const string SettingKey = "SecretKeyCheck";
    private const string Known = "Sma secret key check v1";

    /// <summary><paramref name="key"/>, once the store confirmed it is its key; SecretKeyMismatch otherwise.</summary>
    public static SecretProtector Verified(IMaintenanceStore store, SecretProtector key)
    {
        var mine = Convert.ToBase64String(key.Protect(Known));
        var stored = store.GetOrAddSetting(SettingKey, mine);
        try
        {
            if (key.Unprotect(Convert.FromBase64String(stored)) == Known)
                return key;
        }
        catch (Exception e) when (e is CryptographicException or FormatException)
        {
            // another key: refused below
        }
        throw SmaErrors.SecretKeyMismatch(store.Description);
    }
}
