namespace Sma.Engine.Store;

/// <summary>
/// Persistence of the automation assets (variables, credentials, connections, certificates) and of the secrets a job
/// was handed. Names are unique case-insensitively. Writes that replace an asset are compare-and-set on what the
/// caller read (its id and LastModifiedTime), so the engine's checks hold against concurrent writers: a false result
/// means another writer came first and the caller decides again on a fresh read.
/// </summary>
public interface IAssetStore
{
    // Variables
    StoredVariable? FindVariable(string name);
    IReadOnlyList<StoredVariable> ListVariables();

    /// <summary>Creates the variable (<paramref name="replacing"/> null) or replaces the one read; false on a conflict.</summary>
    bool PutVariable(VariableWrite variable, StoredVariable? replacing);

    bool RemoveVariable(string name);

    // Credentials
    StoredCredential? FindCredential(string name);
    IReadOnlyList<StoredCredential> ListCredentials();
    bool PutCredential(CredentialWrite credential, StoredCredential? replacing);
    bool RemoveCredential(string name);

    // Certificates
    StoredCertificate? FindCertificate(string name);
    IReadOnlyList<StoredCertificate> ListCertificates();
    bool PutCertificate(CertificateWrite certificate, StoredCertificate? replacing);
    bool RemoveCertificate(string name);

    // Connections and their types
    IReadOnlyList<StoredConnectionType> ListConnectionTypes();
    StoredConnection? FindConnection(string name);
    IReadOnlyList<StoredConnection> ListConnections();

    /// <summary>Creates a connection; false when the name is taken or its type went away meanwhile.</summary>
    bool CreateConnection(ConnectionWrite connection);

    /// <summary>Sets one field of the connection read; false on a conflict (it changed or went away meanwhile).</summary>
    bool SetConnectionField(StoredConnection connection, StoredFieldValue value);

    bool RemoveConnection(string name);

    // Secrets handed to a job (encrypted), so a resumed job still keeps them out of its records and checkpoints.
    void SaveJobSecrets(Guid jobId, byte[] secret);
    byte[]? ReadJobSecrets(Guid jobId);
}
