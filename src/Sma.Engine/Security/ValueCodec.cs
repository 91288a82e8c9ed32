using System.Management.Automation;

namespace Sma.Engine.Security;

/// <summary>
/// Values to and from the store: CliXml (by value, as Start-Job passes them), with anything holding a secret
/// encrypted by the <see cref="SecretProtector"/> instead of stored as CliXml. The key is loaded on first need.
/// </summary>
public sealed class ValueCodec
{
    private readonly Lazy<SecretProtector> _secrets;

    public ValueCodec(Func<SecretProtector> secrets) =>
        _secrets = new Lazy<SecretProtector>(secrets, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Serializes <paramref name="value"/>; exactly one of the two results is non-null.</summary>
    public (string? Xml, byte[]? Secret) Encode(object? value, int depth)
    {
        var xml = PSSerializer.Serialize(value, depth);
        return SecretProtector.HoldsSecret(xml) ? (null, _secrets.Value.Protect(xml)) : (xml, null);
    }

    /// <summary>Loads (and checks) the key now; a worker does this before it takes a job.</summary>
    public void EnsureKey() => _ = _secrets.Value;

    /// <summary>Encrypts text (an asset's secret, or CliXml that holds one) with the store's key.</summary>
    public byte[] Protect(string text) => _secrets.Value.Protect(text);

    /// <summary>Decrypts what <see cref="Protect"/> (or <see cref="Encode"/>) encrypted.</summary>
    public string Unprotect(byte[] secret) => _secrets.Value.Unprotect(secret);

    public string? DecodeXml(string? xml, byte[]? secret) => secret is null ? xml : _secrets.Value.Unprotect(secret);

    /// <summary>Deserializes a stored value; credentials come back as real PSCredential objects.</summary>
    public object? Decode(string? xml, byte[]? secret) =>
        DecodeXml(xml, secret) is { } text ? Rehydrate(PSSerializer.Deserialize(text)) : null;

    /// <summary>
    /// CliXml gives a PSCredential back as a property bag, which no [pscredential] parameter accepts; rebuild it
    /// (also inside arrays and hashtables), as remoting does.
    /// </summary>
    private static object? Rehydrate(object? value)
    {
        switch (value)
        {
            case PSObject bag when bag.TypeNames.Contains("Deserialized.System.Management.Automation.PSCredential")
                                   && bag.Properties["Password"]?.Value is System.Security.SecureString password:
                return new PSCredential(bag.Properties["UserName"]?.Value?.ToString() ?? "", password);
            case PSObject { BaseObject: System.Collections.IDictionary or object[] } wrapped:
                Rehydrate(wrapped.BaseObject);
                return value;
            case object[] array:
                for (var i = 0; i < array.Length; i++)
                    array[i] = Rehydrate(array[i])!;
                return array;
            case System.Collections.IDictionary dictionary:
                foreach (var key in dictionary.Keys.Cast<object>().ToList())
                    dictionary[key] = Rehydrate(dictionary[key]);
                return dictionary;
            default:
                return value;
        }
    }
}
