using System.Data;
using Dapper;

namespace Sma.Engine.Store;

/// <summary>
/// The SQL of <see cref="IAccountStore"/>, the same on SQLite and PostgreSQL: each store opens the connection or
/// transaction and gives its clock; the name column's collation makes names unique and matched in any case.
/// </summary>
internal static class AccountSql
{
    private const string Columns =
        "account_id, name, role, password_hash, is_enabled, description, creation_time, last_modified_time";

    public static IReadOnlyList<StoredAccount> List(IDbConnection c) =>
        c.Query<AccountRow>($"SELECT {Columns} FROM web_accounts ORDER BY name").Select(r => r.ToModel()).ToList();

    public static StoredAccount? Find(IDbConnection c, string name) =>
        c.QuerySingleOrDefault<AccountRow>($"SELECT {Columns} FROM web_accounts WHERE name = @name", new { name })?.ToModel();

    /// <summary>False when the name is taken: the unique index decides, also between two machines creating it at once.</summary>
    public static bool Create(IDbTransaction tx, AccountWrite account, long now) => tx.Connection!.Execute(
        $"INSERT INTO web_accounts ({Columns}) VALUES (@id, @Name, @Role, @PasswordHash, 1, @Description, @now, @now) " +
        "ON CONFLICT DO NOTHING",
        new { id = Guid.NewGuid().ToString(), account.Name, account.Role, account.PasswordHash, account.Description, now }, tx) == 1;

    public static bool Update(IDbTransaction tx, string name, AccountChange change, long now) => tx.Connection!.Execute(
        "UPDATE web_accounts SET role = coalesce(@Role, role), password_hash = coalesce(@PasswordHash, password_hash), " +
        "is_enabled = coalesce(@enabled, is_enabled), description = coalesce(@Description, description), " +
        "last_modified_time = @now WHERE name = @name",
        new
        {
            change.Role,
            change.PasswordHash,
            enabled = change.IsEnabled is { } e ? (e ? 1 : 0) : (int?)null,
            change.Description,
            now,
            name,
        }, tx) == 1;

    public static bool Remove(IDbTransaction tx, string name) =>
        tx.Connection!.Execute("DELETE FROM web_accounts WHERE name = @name", new { name }, tx) == 1;

    private sealed class AccountRow
    {
        public string AccountId { get; set; } = "";
        public string Name { get; set; } = "";
        public string Role { get; set; } = "";
        public string PasswordHash { get; set; } = "";
        public long IsEnabled { get; set; }
        public string? Description { get; set; }
        public long CreationTime { get; set; }
        public long LastModifiedTime { get; set; }

        public StoredAccount ToModel() => new(
            Guid.Parse(AccountId), Name, Role, PasswordHash, IsEnabled != 0, Description,
            new DateTime(CreationTime, DateTimeKind.Utc), new DateTime(LastModifiedTime, DateTimeKind.Utc));
    }
}
