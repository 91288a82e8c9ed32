using System.Text.RegularExpressions;
using Sma.Engine.Model;
using Sma.Engine.Security;
using Sma.Engine.Store;

namespace Sma.Engine.Services;

/// <summary>
/// The web service's accounts: created, changed and removed by the cmdlets on the local store, checked by the server
/// at sign-in. Passwords are hashed here (slow and salted) and never stored or shown.
/// </summary>
public sealed class AccountService
{
    /// <summary>The shortest password an account may have.</summary>
    public const int MinimumPasswordLength = 12;

    // ASCII letters and digits, then also . _ @ - and \ (DOMAIN\user, as SMA's Windows accounts were written). Never ':',
    // which Basic authentication uses to separate the name from the password.
    private static readonly Regex NamePattern = new(@"^[A-Za-z0-9][A-Za-z0-9._@\\-]{0,127}$", RegexOptions.CultureInvariant);

    private readonly IAccountStore _store;

    public AccountService(SmaRuntime runtime)
        : this(runtime.Store as IAccountStore
            ?? throw new NotSupportedException($"The store at {runtime.Store.Description} does not keep web service accounts."))
    {
    }

    public AccountService(IAccountStore store) => _store = store;

    public IReadOnlyList<WebServiceAccount> List() => _store.ListAccounts().Select(ToModel).ToList();

    public WebServiceAccount Get(string name) =>
        ToModel(_store.FindAccount(name) ?? throw SmaErrors.AccountNotFound(name));

    public WebServiceAccount New(string name, WebServiceRole role, string password, string? description)
    {
        if (!NamePattern.IsMatch(name))
            throw SmaErrors.InvalidAccountName(name);
        CheckPassword(name, password);
        if (!_store.CreateAccount(new AccountWrite(name, role.ToString(), PasswordHasher.Hash(password), description)))
            throw SmaErrors.AccountAlreadyExists(name);
        return Get(name);
    }

    /// <summary>Changes what is given (a null argument leaves that setting as it is).</summary>
    public WebServiceAccount Set(string name, WebServiceRole? role, string? password, bool? enabled, string? description)
    {
        if (password is not null)
            CheckPassword(name, password);
        var change = new AccountChange
        {
            Role = role?.ToString(),
            PasswordHash = password is null ? null : PasswordHasher.Hash(password),
            IsEnabled = enabled,
            Description = description,
        };
        if (!_store.UpdateAccount(name, change))
            throw SmaErrors.AccountNotFound(name);
        return Get(name);
    }

    public void Remove(string name)
    {
        if (!_store.RemoveAccount(name))
            throw SmaErrors.AccountNotFound(name);
    }

    /// <summary>
    /// The stored account of <paramref name="name"/> (enabled or not), for the server's sign-in, which checks the
    /// password with <see cref="PasswordHasher.Verify"/> and caches what it verified.
    /// </summary>
    public StoredAccount? Find(string name) => NamePattern.IsMatch(name) ? _store.FindAccount(name) : null;

    public static WebServiceRole ParseRole(string stored) =>
        Enum.TryParse<WebServiceRole>(stored, ignoreCase: true, out var role) ? role : WebServiceRole.Reader;

    /// <summary>A password the service accepts; else PasswordTooShort (an invalid value, checked before any lookup).</summary>
    public static void CheckPassword(string name, string password)
    {
        if (password.Length < MinimumPasswordLength)
            throw SmaErrors.PasswordTooShort(name, MinimumPasswordLength);
    }

    private static WebServiceAccount ToModel(StoredAccount a) => new()
    {
        AccountID = a.Id,
        Name = a.Name,
        Role = ParseRole(a.Role),
        IsEnabled = a.IsEnabled,
        Description = a.Description,
        CreationTime = a.CreationTime,
        LastModifiedTime = a.LastModifiedTime,
    };
}
