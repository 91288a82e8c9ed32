namespace Sma.Engine.Store;

// What the asset and module stores keep and are given. Values are CliXml in clear, or (secrets) encrypted by the
// engine before they reach a store; a store never sees a secret in clear text.

/// <summary>A variable as stored; exactly one of ValueXml and Secret is set.</summary>
public sealed record StoredVariable(
    Guid Id, string Name, string ValueType, bool IsEncrypted, string? ValueXml, byte[]? Secret, string? Description,
    DateTime CreationTime, DateTime LastModifiedTime);

/// <summary>What Set-SmaVariable (or a job's Set-AutomationVariable) writes.</summary>
public sealed record VariableWrite(string Name, string ValueType, bool IsEncrypted, string? ValueXml, byte[]? Secret, string? Description);

/// <summary>A credential as stored: the password only encrypted.</summary>
public sealed record StoredCredential(
    Guid Id, string Name, string UserName, byte[] Secret, string? Description, DateTime CreationTime, DateTime LastModifiedTime);

public sealed record CredentialWrite(string Name, string UserName, byte[] Secret, string? Description);

/// <summary>A certificate as stored: what it shows in clear, the file (and its password) only encrypted.</summary>
public sealed record StoredCertificate(
    Guid Id, string Name, string Thumbprint, string Subject, DateTime ExpiryTime, bool HasPrivateKey, byte[] Secret,
    string? Description, DateTime CreationTime, DateTime LastModifiedTime);

public sealed record CertificateWrite(
    string Name, string Thumbprint, string Subject, DateTime ExpiryTime, bool HasPrivateKey, byte[] Secret, string? Description);

/// <summary>One field of a connection type.</summary>
public sealed record ConnectionFieldDefinition(string Name, string TypeName, bool IsEncrypted, bool IsOptional);

/// <summary>A connection type as an integration module defines it.</summary>
public sealed record ConnectionTypeDefinition(string Name, IReadOnlyList<ConnectionFieldDefinition> Fields);

/// <summary>A connection type as stored; ModuleId is null for the built-in type.</summary>
public sealed record StoredConnectionType(
    Guid Id, string Name, Guid? ModuleId, string? ModuleName, IReadOnlyList<ConnectionFieldDefinition> Fields, DateTime CreationTime);

/// <summary>One field value of a connection: CliXml in clear, or encrypted.</summary>
public sealed record StoredFieldValue(string Name, string? ValueXml, byte[]? Secret);

public sealed record StoredConnection(
    Guid Id, string Name, string ConnectionTypeName, string? Description, IReadOnlyList<StoredFieldValue> Values,
    DateTime CreationTime, DateTime LastModifiedTime);

public sealed record ConnectionWrite(string Name, Guid ConnectionTypeId, string? Description, IReadOnlyList<StoredFieldValue> Values);

/// <summary>An integration module as stored (without its content).</summary>
public sealed record StoredModule(
    Guid Id, string Name, string? ModuleVersion, int Version, string Sha256, long Size, string? Description,
    IReadOnlyList<string> ConnectionTypes, DateTime CreationTime, DateTime LastModifiedTime);

/// <summary>
/// A module to store: its files as a zip whose root is the module's folder, and the connection type it brings.
/// </summary>
public sealed record ModuleWrite(
    string Name, string? ModuleVersion, string? Description, byte[] Content, string Sha256, ConnectionTypeDefinition? ConnectionType);

/// <summary>A module's files at one store version.</summary>
public sealed record ModuleContent(Guid Id, string Name, int Version, string Sha256, byte[] Content);
