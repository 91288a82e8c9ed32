namespace Sma.Engine.Store;

/// <summary>
/// Persistence of the web service's accounts (names unique in any case). The store keeps the password hash it is
/// given and never sees a password; the engine decides everything else (name rules, hashing, roles).
/// </summary>
public interface IAccountStore
{
    IReadOnlyList<StoredAccount> ListAccounts();

    StoredAccount? FindAccount(string name);

    /// <summary>Creates the account; false when an account of that name (in any case) exists.</summary>
    bool CreateAccount(AccountWrite account);

    /// <summary>Applies the changes given (null members are left as they are); false when there is no such account.</summary>
    bool UpdateAccount(string name, AccountChange change);

    bool RemoveAccount(string name);
}

/// <summary>An account row as stored.</summary>
public sealed record StoredAccount(
    Guid Id,
    string Name,
    string Role,
    string PasswordHash,
    bool IsEnabled,
    string? Description,
    DateTime CreationTime,
    DateTime LastModifiedTime);

/// <summary>A new account: the hash of its password, never the password.</summary>
public sealed record AccountWrite(string Name, string Role, string PasswordHash, string? Description);

/// <summary>Changes to an account; a null member is left as it is.</summary>
public sealed record AccountChange
{
    public string? Role { get; init; }
    public string? PasswordHash { get; init; }
    public bool? IsEnabled { get; init; }
    public string? Description { get; init; }
}
