using Dapper;

namespace Sma.Engine.Store.PostgreSql;

/// <summary>The web service's accounts (IAccountStore): names unique in any case, only password hashes kept.</summary>
public sealed partial class PostgresStore : IAccountStore
{
    private const string AccountColumns =
        "account_id, name, role, password_hash, is_enabled, description, creation_time, last_modified_time";

    public IReadOnlyList<StoredAccount> ListAccounts() => Read(c =>
        c.Query<AccountRow>($"SELECT {AccountColumns} FROM web_accounts ORDER BY name").Select(r => r.ToModel()).ToList());

    public StoredAccount? FindAccount(string name) => Read(c =>
        c.QuerySingleOrDefault<AccountRow>($"SELECT {AccountColumns} FROM web_accounts WHERE name = @name", new { name })?.ToModel());

    public bool CreateAccount(AccountWrite account) => Write(tx =>
    {
        var now = Now();
        // The unique index (in any case) decides between two machines creating one name at once.
        return tx.Connection!.Execute(
            $"INSERT INTO web_accounts ({AccountColumns}) VALUES (@id, @Name, @Role, @PasswordHash, 1, @Description, @now, @now) " +
            "ON CONFLICT DO NOTHING",
            new { id = Guid.NewGuid().ToString(), account.Name, account.Role, account.PasswordHash, account.Description, now }, tx) == 1;
    });

    public bool UpdateAccount(string name, AccountChange change) => Write(tx => tx.Connection!.Execute(
        "UPDATE web_accounts SET role = coalesce(@Role, role), password_hash = coalesce(@PasswordHash, password_hash), " +
        "is_enabled = coalesce(@enabled, is_enabled), description = coalesce(@Description, description), " +
        "last_modified_time = @now WHERE name = @name",
        new
        {
            change.Role,
            change.PasswordHash,
            enabled = change.IsEnabled is { } e ? (e ? 1 : 0) : (int?)null,
            change.Description,
            now = Now(),
            name,
        }, tx) == 1);

    public bool RemoveAccount(string name) =>
        Write(tx => tx.Connection!.Execute("DELETE FROM web_accounts WHERE name = @name", new { name }, tx) == 1);

    private sealed class AccountRow
    {
        public string AccountId { get; set; } = "";
        public string Name { get; set; } = "";
        public string Role { get; set; } = "";
        public string PasswordHash { get; set; } = "";
        public int IsEnabled { get; set; }
        public string? Description { get; set; }
        public long CreationTime { get; set; }
        public long LastModifiedTime { get; set; }

        public StoredAccount ToModel() => new(
            Guid.Parse(AccountId), Name, Role, PasswordHash, IsEnabled != 0, Description, Utc(CreationTime), Utc(LastModifiedTime));
    }
}
