using Dapper;
using Npgsql;

namespace Sma.Engine.Store.PostgreSql;

/// <summary>Variables, credentials, certificates, connections and the secrets handed to jobs (IAssetStore).</summary>
public sealed partial class PostgresStore
{
    private const string VariableColumns =
        "variable_id, name, value_type, is_encrypted, value_xml, secret, description, creation_time, last_modified_time";

    private const string CredentialColumns = "credential_id, name, user_name, secret, description, creation_time, last_modified_time";

    private const string CertificateColumns =
        "certificate_id, name, thumbprint, subject, expiry_time, has_private_key, secret, description, creation_time, last_modified_time";

    #region Variables

    public StoredVariable? FindVariable(string name) => Read(c =>
        c.QuerySingleOrDefault<VariableRow>($"SELECT {VariableColumns} FROM variables WHERE name = @name", new { name })?.ToRecord());

    public IReadOnlyList<StoredVariable> ListVariables() => Read(c =>
        c.Query<VariableRow>($"SELECT {VariableColumns} FROM variables ORDER BY name").Select(r => r.ToRecord()).ToList());

    public bool PutVariable(VariableWrite variable, StoredVariable? replacing) => Write(tx =>
    {
        var c = tx.Connection!;
        var values = new
        {
            id = (replacing?.Id ?? Guid.NewGuid()).ToString(),
            variable.Name,
            variable.ValueType,
            variable.IsEncrypted,
            variable.ValueXml,
            variable.Secret,
            variable.Description,
            now = Now(),
            seen = replacing is null ? 0 : Ticks(replacing.LastModifiedTime),
        };
        if (replacing is not null)
            return c.Execute(
                "UPDATE variables SET value_type = @ValueType, is_encrypted = @IsEncrypted::int, value_xml = @ValueXml, " +
                "secret = @Secret, description = @Description, last_modified_time = @now " +
                "WHERE variable_id = @id AND last_modified_time = @seen", values, tx) == 1;
        if (NameTaken(tx, "variables", variable.Name))
            return false;
        c.Execute(
            $"INSERT INTO variables ({VariableColumns}) VALUES " +
            "(@id, @Name, @ValueType, @IsEncrypted::int, @ValueXml, @Secret, @Description, @now, @now)", values, tx);
        return true;
    });

    public bool RemoveVariable(string name) => Write(tx =>
        tx.Connection!.Execute("DELETE FROM variables WHERE name = @name", new { name }, tx) > 0);

    #endregion

    #region Credentials

    public StoredCredential? FindCredential(string name) => Read(c =>
        c.QuerySingleOrDefault<CredentialRow>($"SELECT {CredentialColumns} FROM credentials WHERE name = @name", new { name })?.ToRecord());

    public IReadOnlyList<StoredCredential> ListCredentials() => Read(c =>
        c.Query<CredentialRow>($"SELECT {CredentialColumns} FROM credentials ORDER BY name").Select(r => r.ToRecord()).ToList());

    public bool PutCredential(CredentialWrite credential, StoredCredential? replacing) => Write(tx =>
    {
        var c = tx.Connection!;
        var values = new
        {
            id = (replacing?.Id ?? Guid.NewGuid()).ToString(),
            credential.Name,
            credential.UserName,
            credential.Secret,
            credential.Description,
            now = Now(),
            seen = replacing is null ? 0 : Ticks(replacing.LastModifiedTime),
        };
        if (replacing is not null)
            return c.Execute(
                "UPDATE credentials SET user_name = @UserName, secret = @Secret, description = @Description, " +
                "last_modified_time = @now WHERE credential_id = @id AND last_modified_time = @seen", values, tx) == 1;
        if (NameTaken(tx, "credentials", credential.Name))
            return false;
        c.Execute(
            $"INSERT INTO credentials ({CredentialColumns}) VALUES (@id, @Name, @UserName, @Secret, @Description, @now, @now)",
            values, tx);
        return true;
    });

    public bool RemoveCredential(string name) => Write(tx =>
        tx.Connection!.Execute("DELETE FROM credentials WHERE name = @name", new { name }, tx) > 0);

    #endregion

    #region Certificates

    public StoredCertificate? FindCertificate(string name) => Read(c =>
        c.QuerySingleOrDefault<CertificateRow>($"SELECT {CertificateColumns} FROM certificates WHERE name = @name", new { name })?.ToRecord());

    public IReadOnlyList<StoredCertificate> ListCertificates() => Read(c =>
        c.Query<CertificateRow>($"SELECT {CertificateColumns} FROM certificates ORDER BY name").Select(r => r.ToRecord()).ToList());

    public bool PutCertificate(CertificateWrite certificate, StoredCertificate? replacing) => Write(tx =>
    {
        var c = tx.Connection!;
        var values = new
        {
            id = (replacing?.Id ?? Guid.NewGuid()).ToString(),
            certificate.Name,
            certificate.Thumbprint,
            certificate.Subject,
            expiry = Ticks(certificate.ExpiryTime),
            certificate.HasPrivateKey,
            certificate.Secret,
            certificate.Description,
            now = Now(),
            seen = replacing is null ? 0 : Ticks(replacing.LastModifiedTime),
        };
        if (replacing is not null)
            return c.Execute(
                "UPDATE certificates SET thumbprint = @Thumbprint, subject = @Subject, expiry_time = @expiry, " +
                "has_private_key = @HasPrivateKey::int, secret = @Secret, description = @Description, last_modified_time = @now " +
                "WHERE certificate_id = @id AND last_modified_time = @seen", values, tx) == 1;
        if (NameTaken(tx, "certificates", certificate.Name))
            return false;
        c.Execute(
            $"INSERT INTO certificates ({CertificateColumns}) VALUES " +
            "(@id, @Name, @Thumbprint, @Subject, @expiry, @HasPrivateKey::int, @Secret, @Description, @now, @now)", values, tx);
        return true;
    });

    public bool RemoveCertificate(string name) => Write(tx =>
        tx.Connection!.Execute("DELETE FROM certificates WHERE name = @name", new { name }, tx) > 0);

    #endregion

    #region Connections

    public IReadOnlyList<StoredConnectionType> ListConnectionTypes() => Read(c => ConnectionTypes(c, null));

    public StoredConnection? FindConnection(string name) => Read(c => Connections(c, name).SingleOrDefault());

    public IReadOnlyList<StoredConnection> ListConnections() => Read(c => Connections(c, null));

    public bool CreateConnection(ConnectionWrite connection) => Write(tx =>
    {
        var c = tx.Connection!;
        if (NameTaken(tx, "connections", connection.Name))
            return false;
        if (c.ExecuteScalar<long>("SELECT count(*) FROM connection_types WHERE connection_type_id = @id",
                new { id = connection.ConnectionTypeId.ToString() }, tx) == 0)
            return false; // its module was removed meanwhile
        var id = Guid.NewGuid().ToString();
        var now = Now();
        c.Execute(
            "INSERT INTO connections (connection_id, name, connection_type_id, description, creation_time, last_modified_time) " +
            "VALUES (@id, @Name, @type, @Description, @now, @now)",
            new { id, connection.Name, type = connection.ConnectionTypeId.ToString(), connection.Description, now }, tx);
        foreach (var value in connection.Values)
            c.Execute(
                "INSERT INTO connection_values (connection_id, field_name, value_xml, secret) VALUES (@id, @Name, @ValueXml, @Secret)",
                new { id, value.Name, value.ValueXml, value.Secret }, tx);
        return true;
    });

    public bool SetConnectionField(StoredConnection connection, StoredFieldValue value) => Write(tx =>
    {
        var c = tx.Connection!;
        var id = connection.Id.ToString();
        if (c.Execute(
                "UPDATE connections SET last_modified_time = @now WHERE connection_id = @id AND last_modified_time = @seen",
                new { id, now = Now(), seen = Ticks(connection.LastModifiedTime) }, tx) != 1)
            return false;
        c.Execute(
            "INSERT INTO connection_values (connection_id, field_name, value_xml, secret) VALUES (@id, @Name, @ValueXml, @Secret) " +
            "ON CONFLICT (connection_id, field_name) DO UPDATE SET value_xml = excluded.value_xml, secret = excluded.secret",
            new { id, value.Name, value.ValueXml, value.Secret }, tx);
        return true;
    });

    public bool RemoveConnection(string name) => Write(tx =>
        tx.Connection!.Execute("DELETE FROM connections WHERE name = @name", new { name }, tx) > 0);

    private List<StoredConnectionType> ConnectionTypes(NpgsqlConnection c, NpgsqlTransaction? tx)
    {
        var fields = c.Query<ConnectionFieldRow>(
                "SELECT connection_type_id, ordinal, name, type_name, is_encrypted, is_optional FROM connection_type_fields " +
                "ORDER BY connection_type_id, ordinal", transaction: tx)
            .ToLookup(f => f.ConnectionTypeId);
        return c.Query<ConnectionTypeRow>(
                "SELECT t.connection_type_id, t.name, t.module_id, m.name AS module_name, t.creation_time " +
                "FROM connection_types t LEFT JOIN modules m ON m.module_id = t.module_id ORDER BY t.name", transaction: tx)
            .Select(t => new StoredConnectionType(
                Guid.Parse(t.ConnectionTypeId), t.Name, t.ModuleId is null ? null : Guid.Parse(t.ModuleId), t.ModuleName,
                fields[t.ConnectionTypeId]
                    .Select(f => new ConnectionFieldDefinition(f.Name, f.TypeName, f.IsEncrypted != 0, f.IsOptional != 0)).ToList(),
                Utc(t.CreationTime)))
            .ToList();
    }

    private List<StoredConnection> Connections(NpgsqlConnection c, string? name)
    {
        const string select =
            "SELECT n.connection_id, n.name, t.name AS type_name, n.description, n.creation_time, n.last_modified_time " +
            "FROM connections n JOIN connection_types t ON t.connection_type_id = n.connection_type_id ";
        var rows = name is null
            ? c.Query<ConnectionRow>(select + "ORDER BY n.name").ToList()
            : c.Query<ConnectionRow>(select + "WHERE n.name = @name", new { name }).ToList();
        if (rows.Count == 0)
            return new List<StoredConnection>();
        var values = (name is null
                ? c.Query<ConnectionValueRow>("SELECT connection_id, field_name, value_xml, secret FROM connection_values")
                : c.Query<ConnectionValueRow>(
                    "SELECT connection_id, field_name, value_xml, secret FROM connection_values WHERE connection_id = @id",
                    new { id = rows[0].ConnectionId }))
            .ToLookup(v => v.ConnectionId);
        return rows.Select(r => new StoredConnection(
                Guid.Parse(r.ConnectionId), r.Name, r.TypeName, r.Description,
                values[r.ConnectionId].Select(v => new StoredFieldValue(v.FieldName, v.ValueXml, v.Secret)).ToList(),
                Utc(r.CreationTime), Utc(r.LastModifiedTime)))
            .ToList();
    }

    #endregion

    #region Secrets handed to jobs

    public void SaveJobSecrets(Guid jobId, byte[] secret) => Write(tx =>
        tx.Connection!.Execute(
            "INSERT INTO job_secrets (job_id, secret) SELECT @id, @secret WHERE EXISTS (SELECT 1 FROM jobs WHERE job_id = @id) " +
            "ON CONFLICT (job_id) DO UPDATE SET secret = excluded.secret",
            new { id = jobId.ToString(), secret }, tx));

    public byte[]? ReadJobSecrets(Guid jobId) => Read(c =>
        c.QuerySingleOrDefault<byte[]?>("SELECT secret FROM job_secrets WHERE job_id = @id", new { id = jobId.ToString() }));

    #endregion

    /// <summary>Whether <paramref name="table"/> has a row of that name (case-insensitively); table names are our constants.</summary>
    private bool NameTaken(NpgsqlTransaction tx, string table, string name) =>
        tx.Connection!.ExecuteScalar<long>($"SELECT count(*) FROM {table} WHERE name = @name", new { name }, tx) > 0;
}
