using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Sma.Engine;
using Sma.Engine.Model;
using Sma.Engine.Security;
using Sma.Engine.Services;

namespace Sma.Server.Security;

/// <summary>
/// Checks an account name and password against the store, throttled by <see cref="SignInGuard"/>. A verified password
/// is remembered for a few minutes as a keyed digest (never the password), so a client polling with Basic
/// authentication does not pay the slow hash on every request; a changed password or role, or a disabled account,
/// takes effect at once because the account row is read on every sign-in. The portal's login uses this too.
/// </summary>
public sealed class AccountAuthenticator
{
    private static readonly TimeSpan Remember = TimeSpan.FromMinutes(10);

    /// <summary>Compared against when the account does not exist, so an unknown name costs as long as a wrong password.</summary>
    private static readonly string DecoyHash = PasswordHasher.Hash(Convert.ToBase64String(RandomNumberGenerator.GetBytes(16)));

    private readonly AccountService _accounts;
    private readonly SignInGuard _guard;
    private readonly TimeProvider _time;
    private readonly byte[] _key = RandomNumberGenerator.GetBytes(32);
    private readonly ConcurrentDictionary<string, (string Hash, byte[] Digest, DateTimeOffset Until)> _verified = new(StringComparer.OrdinalIgnoreCase);

    public AccountAuthenticator(SmaRuntime runtime, SignInGuard guard, TimeProvider time)
    {
        _accounts = new AccountService(runtime);
        _guard = guard;
        _time = time;
    }

    /// <summary>The signed-in account and its role; throws InvalidCredentials or TooManySignInFailures.</summary>
    public (string Account, WebServiceRole Role) SignIn(string name, string password, IPAddress? client)
    {
        if (_guard.RetryAfter(name, client) is var wait and > 0)
            throw SmaErrors.WebTooManyFailedSignIns(wait);
        var account = _accounts.Find(name);
        if (account is { IsEnabled: true } && Verify(account.Name, account.PasswordHash, password))
        {
            _guard.Succeeded(name);
            return (account.Name, AccountService.ParseRole(account.Role));
        }
        if (account is null)
            PasswordHasher.Verify(DecoyHash, password);
        _guard.Failed(name, client);
        throw SmaErrors.WebInvalidCredentials();
    }

    private bool Verify(string name, string hash, string password)
    {
        var digest = HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(password));
        var now = _time.GetUtcNow();
        if (_verified.TryGetValue(name, out var known) && known.Hash == hash && known.Until > now
            && CryptographicOperations.FixedTimeEquals(known.Digest, digest))
            return true;
        if (!PasswordHasher.Verify(hash, password))
            return false;
        _verified[name] = (hash, digest, now + Remember);
        return true;
    }
}
