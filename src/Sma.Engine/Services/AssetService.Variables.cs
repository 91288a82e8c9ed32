using System.Collections;
using System.Globalization;
using System.Management.Automation;
using Sma.Engine.Model;
using Sma.Engine.Store;

namespace Sma.Engine.Services;

public sealed partial class AssetService
{
    private const string VariableKind = "variable";

    public IReadOnlyList<SmaVariable> ListVariables() => _store.ListVariables().Select(ToModel).ToList();

    /// <summary>The variable (an encrypted one without its value); VariableNotFound otherwise.</summary>
    public SmaVariable GetVariable(string name) => ToModel(_store.FindVariable(name) ?? throw SmaErrors.VariableNotFound(name));

    /// <summary>
    /// Creates or updates a variable (Set-SmaVariable). <paramref name="encrypted"/> null keeps an existing variable's
    /// encryption (a new one is then not encrypted); a different one is refused, as SMA fixes it at creation. A value
    /// of another type than the existing one's is refused unless <paramref name="force"/>.
    /// </summary>
    public SmaVariable SetVariable(string name, object? value, string? description, bool? encrypted, bool force)
    {
        CheckName(VariableKind, name);
        var (type, normalized) = Normalize(name, value);
        return ToModel(Retry(() =>
        {
            var existing = _store.FindVariable(name);
            if (existing is not null)
            {
                if (encrypted is { } wanted && wanted != existing.IsEncrypted)
                    throw SmaErrors.VariableEncryptionFixed(existing.Name, existing.IsEncrypted);
                if (type != existing.ValueType && !force)
                    throw SmaErrors.VariableTypeMismatch(existing.Name, existing.ValueType, type, inJob: false);
            }
            var isEncrypted = existing?.IsEncrypted ?? encrypted ?? false;
            var (xml, secret) = Encode(normalized, isEncrypted);
            var write = new VariableWrite(existing?.Name ?? name, type, isEncrypted, xml, secret, description ?? existing?.Description);
            return _store.PutVariable(write, existing) ? _store.FindVariable(name) : null;
        }));
    }

    public void RemoveVariable(string name)
    {
        if (!_store.RemoveVariable(name))
            throw SmaErrors.VariableNotFound(name);
    }

    /// <summary>Get-AutomationVariable: the value, decrypted; the value is reported as a secret when the variable is encrypted.</summary>
    internal object? ReadVariable(string name, Action<object?> secret)
    {
        var variable = _store.FindVariable(name) ?? throw SmaErrors.VariableNotFound(name);
        var value = Decode(variable.ValueXml, variable.Secret);
        if (variable.IsEncrypted)
            secret(value);
        return value;
    }

    /// <summary>
    /// Set-AutomationVariable: an existing variable only (as SMA), of the same type; it keeps its encryption and
    /// description. The value is reported as a secret when the variable is encrypted.
    /// </summary>
    internal void WriteVariable(string name, object? value, Action<object?> secret)
    {
        var (type, normalized) = Normalize(name, value);
        Retry(() =>
        {
            var existing = _store.FindVariable(name) ?? throw SmaErrors.VariableNotFound(name);
            if (type != existing.ValueType)
                throw SmaErrors.VariableTypeMismatch(existing.Name, existing.ValueType, type, inJob: true);
            if (existing.IsEncrypted)
                secret(normalized);
            var (xml, protectedValue) = Encode(normalized, existing.IsEncrypted);
            return _store.PutVariable(
                new VariableWrite(existing.Name, type, existing.IsEncrypted, xml, protectedValue, existing.Description), existing)
                ? existing
                : null;
        });
    }

    private (string? Xml, byte[]? Secret) Encode(object value, bool encrypted) =>
        encrypted
            ? (null, _codec.Protect(PSSerializer.Serialize(value, ValueDepth)))
            : _codec.Encode(value, ValueDepth); // a hashtable holding a credential is encrypted all the same

    private SmaVariable ToModel(StoredVariable v) => new()
    {
        VariableID = v.Id,
        Name = v.Name,
        Value = v.IsEncrypted ? null : Decode(v.ValueXml, v.Secret),
        IsEncrypted = v.IsEncrypted,
        Description = v.Description,
        CreationTime = v.CreationTime,
        LastModifiedTime = v.LastModifiedTime,
    };

    /// <summary>The kinds of value SMA's variables hold: String, Int, Bool, DateTime, Hashtable.</summary>
    internal static (string Type, object Value) Normalize(string name, object? value)
    {
        switch (Unwrap(value))
        {
            case null:
                throw SmaErrors.InvalidVariableValue(name, "$null");
            case string s:
                return ("String", s);
            case bool b:
                return ("Bool", b);
            case SwitchParameter sw:
                return ("Bool", sw.IsPresent);
            case DateTime t:
                return ("DateTime", t);
            case int or short or byte or sbyte or ushort:
                return ("Int", Convert.ToInt32(Unwrap(value), CultureInfo.InvariantCulture));
            case long or uint:
                var l = Convert.ToInt64(Unwrap(value), CultureInfo.InvariantCulture);
                return ("Int", l is >= int.MinValue and <= int.MaxValue ? (object)(int)l : l);
            case ulong u when u <= long.MaxValue:
                return ("Int", (long)u);
            case IDictionary dictionary:
                return ("Hashtable", dictionary);
            case var other:
                throw SmaErrors.InvalidVariableValue(name, $"a [{other.GetType().Name}]");
        }
    }
}
