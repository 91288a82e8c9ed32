namespace Sma.Engine.Store;

// Dapper row shapes of the asset and module tables (snake_case columns matched to PascalCase), converted to the
// store records right away.

internal sealed class VariableRow
{
    public string VariableId { get; set; } = "";
    public string Name { get; set; } = "";
    public string ValueType { get; set; } = "";
    public long IsEncrypted { get; set; }
    public string? ValueXml { get; set; }
    public byte[]? Secret { get; set; }
    public string? Description { get; set; }
    public long CreationTime { get; set; }
    public long LastModifiedTime { get; set; }

    public StoredVariable ToRecord() => new(
        Guid.Parse(VariableId), Name, ValueType, IsEncrypted != 0, ValueXml, Secret, Description,
        SqliteStore.Utc(CreationTime), SqliteStore.Utc(LastModifiedTime));
}

internal sealed class CredentialRow
{
    public string CredentialId { get; set; } = "";
    public string Name { get; set; } = "";
    public string UserName { get; set; } = "";
    public byte[] Secret { get; set; } = Array.Empty<byte>();
    public string? Description { get; set; }
    public long CreationTime { get; set; }
    public long LastModifiedTime { get; set; }

    public StoredCredential ToRecord() => new(
        Guid.Parse(CredentialId), Name, UserName, Secret, Description, SqliteStore.Utc(CreationTime), SqliteStore.Utc(LastModifiedTime));
}

internal sealed class CertificateRow
{
    public string CertificateId { get; set; } = "";
    public string Name { get; set; } = "";
    public string Thumbprint { get; set; } = "";
    public string Subject { get; set; } = "";
    public long ExpiryTime { get; set; }
    public long HasPrivateKey { get; set; }
    public byte[] Secret { get; set; } = Array.Empty<byte>();
    public string? Description { get; set; }
    public long CreationTime { get; set; }
    public long LastModifiedTime { get; set; }

    public StoredCertificate ToRecord() => new(
        Guid.Parse(CertificateId), Name, Thumbprint, Subject, SqliteStore.Utc(ExpiryTime), HasPrivateKey != 0, Secret,
        Description, SqliteStore.Utc(CreationTime), SqliteStore.Utc(LastModifiedTime));
}

internal sealed class ConnectionTypeRow
{
    public string ConnectionTypeId { get; set; } = "";
    public string Name { get; set; } = "";
    public string? ModuleId { get; set; }
    public string? ModuleName { get; set; }
    public long CreationTime { get; set; }
}

internal sealed class ConnectionFieldRow
{
    public string ConnectionTypeId { get; set; } = "";
    public long Ordinal { get; set; }
    public string Name { get; set; } = "";
    public string TypeName { get; set; } = "";
    public long IsEncrypted { get; set; }
    public long IsOptional { get; set; }
}

internal sealed class ConnectionRow
{
    public string ConnectionId { get; set; } = "";
    public string Name { get; set; } = "";
    public string TypeName { get; set; } = "";
    public string? Description { get; set; }
    public long CreationTime { get; set; }
    public long LastModifiedTime { get; set; }
}

internal sealed class ConnectionValueRow
{
    public string ConnectionId { get; set; } = "";
    public string FieldName { get; set; } = "";
    public string? ValueXml { get; set; }
    public byte[]? Secret { get; set; }
}

internal sealed class ModuleRow
{
    public string ModuleId { get; set; } = "";
    public string Name { get; set; } = "";
    public string? ModuleVersion { get; set; }
    public long Version { get; set; }
    public string? Description { get; set; }
    public string ContentSha256 { get; set; } = "";
    public long Size { get; set; }
    public long CreationTime { get; set; }
    public long LastModifiedTime { get; set; }
}
