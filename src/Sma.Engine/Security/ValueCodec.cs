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

    public string? DecodeXml(string? xml, byte[]? secret) => secret is null ? xml : _secrets.Value.Unprotect(secret);

    public object? Decode(string? xml, byte[]? secret) =>
        DecodeXml(xml, secret) is { } text ? PSSerializer.Deserialize(text) : null;
}
