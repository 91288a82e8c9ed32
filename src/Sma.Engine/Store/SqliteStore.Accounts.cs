namespace Sma.Engine.Store;

public sealed partial class SqliteStore : IAccountStore
{
    public IReadOnlyList<StoredAccount> ListAccounts() => Read(AccountSql.List);

    public StoredAccount? FindAccount(string name) => Read(c => AccountSql.Find(c, name));

    public bool CreateAccount(AccountWrite account) => Write(tx => AccountSql.Create(tx, account, Now()));

    public bool UpdateAccount(string name, AccountChange change) => Write(tx => AccountSql.Update(tx, name, change, Now()));

    public bool RemoveAccount(string name) => Write(tx => AccountSql.Remove(tx, name));
}
