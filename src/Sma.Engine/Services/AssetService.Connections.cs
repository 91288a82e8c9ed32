using System.Collections;
using System.Collections.Specialized;
using System.Management.Automation;
using Sma.Engine.Model;
using Sma.Engine.Store;

namespace Sma.Engine.Services;

public sealed partial class AssetService
{
    public IReadOnlyList<SmaConnectionType> ListConnectionTypes() => _store.ListConnectionTypes().Select(ToModel).ToList();

    /// <summary>The connection type; ConnectionTypeNotFound (listing the types there are) otherwise.</summary>
    public SmaConnectionType GetConnectionType(string name) => ToModel(FindType(_store.ListConnectionTypes(), name));

    public IReadOnlyList<SmaConnection> ListConnections()
    {
        var types = _store.ListConnectionTypes();
        return _store.ListConnections().Select(c => ToModel(c, types)).ToList();
    }

    public SmaConnection GetConnection(string name) =>
        ToModel(_store.FindConnection(name) ?? throw SmaErrors.ConnectionNotFound(name), _store.ListConnectionTypes());

    /// <summary>
    /// Creates a connection (New-SmaConnection). Its type must exist, every field given must be one of the type's and
    /// convertible to its type, and every required field must be given; encrypted fields are stored encrypted.
    /// </summary>
    public SmaConnection NewConnection(string name, string typeName, IDictionary? fieldValues, string? description)
    {
        CheckName("connection", name);
        var types = _store.ListConnectionTypes();
        var type = FindType(types, typeName);
        if (_store.FindConnection(name) is not null)
            throw SmaErrors.ConnectionAlreadyExists(name);
        var values = new List<StoredFieldValue>();
        foreach (DictionaryEntry entry in fieldValues ?? new Hashtable())
        {
            var given = entry.Key.ToString() ?? "";
            var field = FindField(type, given);
            values.RemoveAll(v => v.Name.Equals(field.Name, StringComparison.OrdinalIgnoreCase)); // a case-sensitive dictionary may name it twice
            if (Unwrap(entry.Value) is not null)
                values.Add(EncodeField(type, field, entry.Value));
        }
        var missing = type.Fields
            .Where(f => !f.IsOptional && !values.Any(v => v.Name.Equals(f.Name, StringComparison.OrdinalIgnoreCase)))
            .Select(f => f.Name).ToList();
        if (missing.Count > 0)
            throw SmaErrors.MissingConnectionField(type.Name, missing);
        if (!_store.CreateConnection(new ConnectionWrite(name, type.Id, description, values)))
        {
            // Another writer came first: say which of the two checks it broke.
            if (_store.FindConnection(name) is not null)
                throw SmaErrors.ConnectionAlreadyExists(name);
            throw SmaErrors.ConnectionTypeNotFound(typeName, _store.ListConnectionTypes().Select(t => t.Name));
        }
        return GetConnection(name);
    }

    /// <summary>Sets one field of a connection (Set-SmaConnectionFieldValue); $null clears an optional field.</summary>
    public SmaConnection SetConnectionField(string connectionName, string fieldName, object? value)
    {
        return ToModel(Retry(() =>
        {
            var connection = _store.FindConnection(connectionName) ?? throw SmaErrors.ConnectionNotFound(connectionName);
            var type = FindType(_store.ListConnectionTypes(), connection.ConnectionTypeName);
            var field = FindField(type, fieldName);
            StoredFieldValue stored;
            if (Unwrap(value) is null)
            {
                if (!field.IsOptional)
                    throw SmaErrors.MissingConnectionField(type.Name, new[] { field.Name });
                stored = new StoredFieldValue(field.Name, null, null);
            }
            else
            {
                stored = EncodeField(type, field, value);
            }
            return _store.SetConnectionField(connection, stored) ? _store.FindConnection(connectionName) : null;
        }), _store.ListConnectionTypes());
    }

    public void RemoveConnection(string name)
    {
        if (!_store.RemoveConnection(name))
            throw SmaErrors.ConnectionNotFound(name);
    }

    /// <summary>Get-AutomationConnection: every field of the connection's type, decrypted; encrypted ones reported as secrets.</summary>
    internal Hashtable ReadConnection(string name, Action<object?> secret)
    {
        var connection = _store.FindConnection(name) ?? throw SmaErrors.ConnectionNotFound(name);
        var type = _store.ListConnectionTypes().FirstOrDefault(t => t.Name.Equals(connection.ConnectionTypeName, StringComparison.OrdinalIgnoreCase));
        var result = new Hashtable(StringComparer.OrdinalIgnoreCase);
        foreach (var field in type?.Fields ?? Array.Empty<ConnectionFieldDefinition>())
            result[field.Name] = null;
        foreach (var value in connection.Values)
        {
            var decoded = Decode(value.ValueXml, value.Secret);
            if (value.Secret is not null || type?.Fields.Any(f => f.IsEncrypted && f.Name.Equals(value.Name, StringComparison.OrdinalIgnoreCase)) == true)
                secret(decoded);
            result[value.Name] = decoded;
        }
        return result;
    }

    private StoredFieldValue EncodeField(StoredConnectionType type, ConnectionFieldDefinition field, object? value)
    {
        if (!ConnectionFieldTypes.TryConvert(value, field.TypeName, out var converted, out var why))
            throw SmaErrors.InvalidConnectionFieldValue(type.Name, field.Name, field.TypeName, why);
        if (field.IsEncrypted)
            return new StoredFieldValue(field.Name, null, _codec.Protect(PSSerializer.Serialize(converted, ValueDepth)));
        var (xml, secret) = _codec.Encode(converted, ValueDepth);
        return new StoredFieldValue(field.Name, xml, secret);
    }

    private static StoredConnectionType FindType(IReadOnlyList<StoredConnectionType> types, string name) =>
        types.FirstOrDefault(t => t.Name.Equals(name, StringComparison.OrdinalIgnoreCase))
        ?? throw SmaErrors.ConnectionTypeNotFound(name, types.Select(t => t.Name));

    private static ConnectionFieldDefinition FindField(StoredConnectionType type, string name) =>
        type.Fields.FirstOrDefault(f => f.Name.Equals(name, StringComparison.OrdinalIgnoreCase))
        ?? throw SmaErrors.UnknownConnectionField(type.Name, name, type.Fields.Select(f => f.Name));

    private static SmaConnectionType ToModel(StoredConnectionType t) => new()
    {
        ConnectionTypeID = t.Id,
        Name = t.Name,
        ModuleName = t.ModuleName,
        Fields = t.Fields.Select(f => new SmaConnectionField
        {
            ConnectionTypeName = t.Name,
            Name = f.Name,
            TypeName = f.TypeName,
            IsEncrypted = f.IsEncrypted,
            IsOptional = f.IsOptional,
        }).ToList(),
        CreationTime = t.CreationTime,
    };

    /// <summary>The connection as shown: the type's fields in order, then any others it still holds; encrypted ones masked.</summary>
    private SmaConnection ToModel(StoredConnection c, IReadOnlyList<StoredConnectionType> types)
    {
        var type = types.FirstOrDefault(t => t.Name.Equals(c.ConnectionTypeName, StringComparison.OrdinalIgnoreCase));
        var shown = new OrderedDictionary(StringComparer.OrdinalIgnoreCase);
        foreach (var field in type?.Fields ?? Array.Empty<ConnectionFieldDefinition>())
            shown[field.Name] = null;
        foreach (var value in c.Values)
        {
            var encrypted = value.Secret is not null
                            || type?.Fields.Any(f => f.IsEncrypted && f.Name.Equals(value.Name, StringComparison.OrdinalIgnoreCase)) == true;
            shown[value.Name] = value.ValueXml is null && value.Secret is null ? null
                : encrypted ? SmaConnection.Masked
                : Decode(value.ValueXml, null);
        }
        return new SmaConnection
        {
            ConnectionID = c.Id,
            Name = c.Name,
            ConnectionTypeName = c.ConnectionTypeName,
            Description = c.Description,
            ConnectionFieldValues = shown,
            CreationTime = c.CreationTime,
            LastModifiedTime = c.LastModifiedTime,
        };
    }
}
