using System.Collections.Concurrent;
using System.Net;

namespace Sma.Server.Security;

/// <summary>
/// Throttles failed sign-ins per account and per client address: after a few failures in a row the account (or the
/// address) is refused for a while, longer after each further failure (up to 15 minutes), even with the right password.
/// A successful sign-in clears the account's count. Kept in memory: a restart forgives.
/// </summary>
public sealed class SignInGuard
{
    public const int AccountLimit = 5;
    public const int AddressLimit = 20;
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(15);
    private static readonly TimeSpan MaxLock = TimeSpan.FromMinutes(15);

    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<string, Failures> _failures = new(StringComparer.Ordinal);

    public SignInGuard(TimeProvider time) => _time = time;

    private sealed record Failures(int Count, DateTimeOffset Last);

    /// <summary>Seconds until the account or address may try again; 0 when it may now.</summary>
    public int RetryAfter(string account, IPAddress? address)
    {
        var now = _time.GetUtcNow();
        var wait = Math.Max(Locked(AccountKey(account), AccountLimit, now), address is null ? 0 : Locked(AddressKey(address), AddressLimit, now));
        return (int)Math.Ceiling(wait);
    }

    public void Failed(string account, IPAddress? address)
    {
        var now = _time.GetUtcNow();
        Count(AccountKey(account), now);
        if (address is not null)
            Count(AddressKey(address), now);
    }

    public void Succeeded(string account) => _failures.TryRemove(AccountKey(account), out _);

    private void Count(string key, DateTimeOffset now) =>
        _failures.AddOrUpdate(key, _ => new Failures(1, now), (_, f) => now - f.Last > Window ? new Failures(1, now) : new Failures(f.Count + 1, now));

    private double Locked(string key, int limit, DateTimeOffset now)
    {
        if (!_failures.TryGetValue(key, out var f) || f.Count < limit)
            return 0;
        if (now - f.Last > Window)
        {
            _failures.TryRemove(key, out _);
            return 0;
        }
        // 1 s after the limit is reached, doubling with every further failure.
        var lockFor = TimeSpan.FromSeconds(Math.Min(Math.Pow(2, f.Count - limit), MaxLock.TotalSeconds));
        return Math.Max(0, (f.Last + lockFor - now).TotalSeconds);
    }

    private static string AccountKey(string account) => "account:" + account.ToLowerInvariant();

    private static string AddressKey(IPAddress address) => "address:" + address;
}
