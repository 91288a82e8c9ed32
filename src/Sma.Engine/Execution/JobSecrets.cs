using System.Collections;
using System.Globalization;
using System.Management.Automation;
using System.Text.Json;
using Sma.Engine.Security;
using Sma.Engine.Store;

namespace Sma.Engine.Execution;

/// <summary>
/// The secret values a job was handed by its asset activities (an encrypted variable's value, a credential's password,
/// a connection's encrypted fields), so that none reaches the store in clear text: a record's text shows each as
/// <see cref="Mask"/>, and a record's value, a checkpoint or a status detail holding one is stored encrypted. The set
/// itself is stored encrypted with the job, so a resumed job (on any worker) still knows them.
/// </summary>
internal sealed class JobSecrets
{
    public const string Mask = "********";

    /// <summary>Shorter values would match everywhere in text; they are not masked there (their records' values and checkpoints are still encrypted).</summary>
    public const int MinMaskedLength = 3;

    private readonly Guid _jobId;
    private readonly IAssetStore _store;
    private readonly ValueCodec _codec;
    private readonly object _lock = new();
    private HashSet<string> _values = new(StringComparer.Ordinal);
    private volatile Forms _forms = Forms.None;

    public JobSecrets(Guid jobId, IAssetStore store, ValueCodec codec)
    {
        _jobId = jobId;
        _store = store;
        _codec = codec;
    }

    /// <summary>True once the job was handed a secret: only then do its records cost a look.</summary>
    public bool Any => _forms.Text.Length > 0 || _forms.Xml.Length > 0;

    /// <summary>Remembers every text form of <paramref name="value"/> (strings, numbers, inside hashtables and arrays) and saves the set.</summary>
    public void Add(object? value)
    {
        var found = new List<string>();
        Collect(value, found, 0);
        lock (_lock)
        {
            var added = false;
            foreach (var text in found)
                added |= text.Length > 0 && _values.Add(text);
            if (!added)
                return;
            _forms = Forms.Of(_values);
            _store.SaveJobSecrets(_jobId, _codec.Protect(JsonSerializer.Serialize(_values)));
        }
    }

    /// <summary>A resumed job: takes back the secrets its earlier runs were handed.</summary>
    public void Load()
    {
        if (_store.ReadJobSecrets(_jobId) is not { } stored)
            return;
        var values = JsonSerializer.Deserialize<string[]>(_codec.Unprotect(stored)) ?? Array.Empty<string>();
        lock (_lock)
        {
            _values = new HashSet<string>(values, StringComparer.Ordinal);
            _forms = Forms.Of(_values);
        }
    }

    /// <summary>The text with every secret replaced by <see cref="Mask"/>.</summary>
    public string MaskText(string text)
    {
        foreach (var secret in _forms.Text)
            if (text.Contains(secret, StringComparison.Ordinal))
                text = text.Replace(secret, Mask, StringComparison.Ordinal);
        return text;
    }

    /// <summary>A record on its way to the store: text masked, a value (CliXml) holding a secret encrypted.</summary>
    public (string Text, string? ValueXml, byte[]? Secret) Protect(string text, string? valueXml, byte[]? secret)
    {
        var masked = MaskText(text);
        if (valueXml is not null && (HoldsSecret(valueXml) || !ReferenceEquals(masked, text)))
            return (masked, null, _codec.Protect(valueXml));
        return (masked, valueXml, secret);
    }

    /// <summary>A checkpoint's variables: encrypted when they hold a secret (the codec already encrypts credentials).</summary>
    public (string? Xml, byte[]? Secret) Protect(string? xml, byte[]? secret) =>
        xml is not null && HoldsSecret(xml) ? (null, _codec.Protect(xml)) : (xml, secret);

    /// <summary>A status change's details and exception, masked.</summary>
    public TransitionChange Protect(TransitionChange change) => !Any ? change : change with
    {
        Details = change.Details is null ? null : MaskText(change.Details),
        Exception = change.Exception is null ? null : MaskText(change.Exception),
    };

    /// <summary>True when CliXml holds a secret as PSSerializer or FastCliXml writes it.</summary>
    public bool HoldsSecret(string xml)
    {
        foreach (var form in _forms.Xml)
            if (xml.Contains(form, StringComparison.Ordinal))
                return true;
        return false;
    }

    private static void Collect(object? value, List<string> found, int depth)
    {
        if (depth > 8)
            return;
        switch (value is PSObject p ? p.BaseObject : value)
        {
            case null or bool or SwitchParameter:
                return; // a Boolean tells too little to hide, and masking every "True" would hide too much
            case string s:
                found.Add(s);
                return;
            case PSCredential credential:
                found.Add(credential.GetNetworkCredential().Password ?? "");
                return;
            case IDictionary dictionary:
                foreach (DictionaryEntry entry in dictionary)
                    Collect(entry.Value, found, depth + 1);
                return;
            case IEnumerable items:
                foreach (var item in items)
                    Collect(item, found, depth + 1);
                return;
            case DateTime time:
                found.Add(time.ToString("o", CultureInfo.InvariantCulture));
                found.Add(System.Xml.XmlConvert.ToString(time, System.Xml.XmlDateTimeSerializationMode.RoundtripKind));
                found.Add(time.ToString(CultureInfo.CurrentCulture));
                return;
            case IFormattable formattable:
                found.Add(formattable.ToString(null, CultureInfo.InvariantCulture));
                found.Add(formattable.ToString(null, CultureInfo.CurrentCulture));
                return;
            case var other:
                found.Add(other.ToString() ?? "");
                return;
        }
    }

    /// <summary>The forms searched for: in text (long enough to mask), and in CliXml (as each serializer escapes it).</summary>
    private sealed record Forms(string[] Text, string[] Xml)
    {
        public static readonly Forms None = new(Array.Empty<string>(), Array.Empty<string>());

        public static Forms Of(IEnumerable<string> values)
        {
            var list = values.ToList();
            var xml = new HashSet<string>(StringComparer.Ordinal);
            foreach (var value in list)
            {
                xml.Add(value);
                xml.Add(PSSerializerText(value));
                xml.Add(value.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;").Replace("\"", "&quot;"));
            }
            // Longest first, so a secret containing another is masked whole.
            return new Forms(
                list.Where(v => v.Length >= MinMaskedLength).OrderByDescending(v => v.Length).ToArray(),
                xml.Where(v => v.Length > 0).ToArray());
        }

        /// <summary>The text of a string as PSSerializer writes it (XML escapes and its _xHHHH_ encodings).</summary>
        private static string PSSerializerText(string value)
        {
            var xml = PSSerializer.Serialize(value);
            var start = xml.IndexOf("<S>", StringComparison.Ordinal);
            var end = xml.LastIndexOf("</S>", StringComparison.Ordinal);
            return start < 0 || end < start ? value : xml[(start + 3)..end];
        }
    }
}
