using System.Collections;
using System.Globalization;
using System.Management.Automation;
using System.Text;
using System.Xml;

namespace Sma.Engine.Execution;

/// <summary>
/// CliXml for the values jobs write and checkpoint most — strings, numbers, booleans, dates, guids, arrays and
/// hashtables of those, and [pscustomobject]s of primitives — written directly. PSSerializer costs ~50 µs per small
/// object (profiled: two thirds of an output-heavy job, most of a checkpoint); this writes the document
/// PSSerializer.Deserialize reads back to the same values, following its rules (containers do not use up depth,
/// property bags do). Anything else returns false and goes through PSSerializer.
/// </summary>
internal sealed class FastCliXml
{
    private const string Header = "<Objs Version=\"1.1.0.1\" xmlns=\"http://schemas.microsoft.com/powershell/2004/04\">";
    private const string CustomObjectType = "System.Management.Automation.PSCustomObject";

    private static readonly string[] ArrayTypes = { "System.Object[]", "System.Array", "System.Object" };
    private static readonly string[] HashtableTypes = { "System.Collections.Hashtable", "System.Object" };
    private static readonly string[] CustomObjectTypes = { CustomObjectType, "System.Object" };

    private readonly StringBuilder _xml = new(256);
    private StringBuilder? _text; // the readable text of a top-level [pscustomobject], built in the same pass
    private readonly Dictionary<string[], int> _typeNameRefs = new();
    private int _nextObjectRef;
    private int _nodes;

    private readonly StringBuilder _textBuffer = new(64);

    // One writer per thread, reused: an output-heavy job serializes every record on its pipeline thread.
    [ThreadStatic] private static FastCliXml? t_spare;

    private static FastCliXml Rent()
    {
        var writer = t_spare ?? new FastCliXml();
        t_spare = null; // not re-entrant: a nested call (none today) would get its own
        writer._xml.Clear().Append(Header);
        writer._text = null;
        writer._typeNameRefs.Clear();
        writer._nextObjectRef = 0;
        writer._nodes = 0;
        return writer;
    }

    private void Return()
    {
        if (_xml.Capacity <= 64 * 1024) // a huge checkpoint's buffer is let go, not kept per thread
            t_spare = this;
    }

    /// <summary>Serializes <paramref name="value"/> at <paramref name="depth"/>, if it is within the fast subset.</summary>
    public static bool TryWrite(object? value, int depth, out string xml)
    {
        var writer = Rent();
        try
        {
            xml = "";
            if (!writer.TryValue(value, null, depth))
                return false;
            xml = writer._xml.Append("</Objs>").ToString();
            return true;
        }
        finally
        {
            writer.Return();
        }
    }

    /// <summary>For output records: the CliXml and the readable text together.</summary>
    public static bool TryWriteOutput(PSObject value, int depth, out string xml, out string text)
    {
        var writer = Rent();
        try
        {
            if (value.BaseObject is PSCustomObject)
                writer._text = writer._textBuffer.Clear().Append("@{");
            text = xml = "";
            if (!writer.TryValue(value, null, depth))
                return false;
            xml = writer._xml.Append("</Objs>").ToString();
            text = writer._text?.Append('}').ToString() ?? StreamText.Of(value);
            return true;
        }
        finally
        {
            writer.Return();
        }
    }

    private bool TryValue(object? value, string? name, int depth)
    {
        if (++_nodes > 100_000)
            return false; // a huge graph: let PSSerializer handle it (and its limits)
        if (value is PSObject wrapped)
        {
            if (wrapped.BaseObject is PSCustomObject)
                return TryCustomObject(wrapped, name, depth);
            if (!PSObjectView.IsPlain(wrapped))
                return false;
            value = wrapped.BaseObject;
        }
        switch (value)
        {
            case object[] array:
                return TryArray(array, name, depth);
            case Hashtable table when table.GetType() == typeof(Hashtable):
                return TryHashtable(table, name, depth);
            default:
                return TryPrimitive(value, name);
        }
    }

    private bool TryArray(object[] array, string? name, int depth)
    {
        StartObject(name, ArrayTypes);
        _xml.Append("<LST>");
        foreach (var item in array)
            if (!TryValue(item, null, depth))
                return false;
        _xml.Append("</LST></Obj>");
        return true;
    }

    private bool TryHashtable(Hashtable table, string? name, int depth)
    {
        StartObject(name, HashtableTypes);
        _xml.Append("<DCT>");
        foreach (DictionaryEntry entry in table)
        {
            _xml.Append("<En>");
            if (!TryValue(entry.Key, "Key", depth) || !TryValue(entry.Value, "Value", depth))
                return false;
            _xml.Append("</En>");
        }
        _xml.Append("</DCT></Obj>");
        return true;
    }

    /// <summary>A property bag uses one level of depth; only primitive properties take the fast path.</summary>
    private bool TryCustomObject(PSObject value, string? name, int depth)
    {
        var names = PSObjectView.TypeNames(value);
        if (depth < 1 || names.Count != 2 || names[0] != CustomObjectType || names[1] != "System.Object")
            return false;
        StartObject(name, CustomObjectTypes);
        _xml.Append("<MS>");
        var text = _text;
        _text = null; // only the top-level object's text is wanted
        var first = true;
        foreach (var property in PSObjectView.AddedMembers(value))
        {
            if (property is not PSNoteProperty note)
                return false;
            var member = note.Value is PSObject inner && PSObjectView.IsPlain(inner) ? inner.BaseObject : note.Value;
            if (member is PSObject || !TryPrimitive(member, note.Name))
                return false;
            if (text is not null)
            {
                if (!first)
                    text.Append("; ");
                text.Append(note.Name).Append('=').Append(StreamText.Of(member));
                first = false;
            }
        }
        _text = text;
        _xml.Append("</MS></Obj>");
        return true;
    }

    private void StartObject(string? name, string[] typeNames)
    {
        AppendNameAttribute(_xml.Append("<Obj"), name).Append(" RefId=\"").Append(_nextObjectRef++).Append("\">");
        if (_typeNameRefs.TryGetValue(typeNames, out var typeRef))
        {
            _xml.Append("<TNRef RefId=\"").Append(typeRef).Append("\" />");
            return;
        }
        typeRef = _typeNameRefs.Count;
        _typeNameRefs[typeNames] = typeRef;
        _xml.Append("<TN RefId=\"").Append(typeRef).Append("\">");
        foreach (var type in typeNames)
            _xml.Append("<T>").Append(type).Append("</T>");
        _xml.Append("</TN>");
    }

    private bool TryPrimitive(object? value, string? name)
    {
        string tag, content;
        switch (value)
        {
            case null:
                AppendNameAttribute(_xml.Append("<Nil"), name).Append(" />");
                return true;
            case string s when IsSafe(s):
                tag = "S"; content = s; break;
            case int i: tag = "I32"; content = i.ToString(CultureInfo.InvariantCulture); break;
            case long l: tag = "I64"; content = l.ToString(CultureInfo.InvariantCulture); break;
            case bool b: tag = "B"; content = b ? "true" : "false"; break;
            case double d: tag = "Db"; content = XmlConvert.ToString(d); break;
            case Guid g: tag = "G"; content = g.ToString(); break;
            case DateTime t: tag = "DT"; content = XmlConvert.ToString(t, XmlDateTimeSerializationMode.RoundtripKind); break;
            default:
                return false;
        }
        if (name is not null && !IsSafe(name))
            return false;
        AppendNameAttribute(_xml.Append('<').Append(tag), name).Append('>');
        AppendEscaped(_xml, content);
        _xml.Append("</").Append(tag).Append('>');
        return true;
    }

    private static StringBuilder AppendNameAttribute(StringBuilder xml, string? name)
    {
        if (name is null)
            return xml;
        xml.Append(" N=\"");
        AppendEscaped(xml, name);
        return xml.Append('"');
    }

    /// <summary>
    /// Text PSSerializer writes unchanged apart from XML escaping: no control characters and no '_' (which it
    /// encodes as _xHHHH_ sequences); other text takes the slow path.
    /// </summary>
    private static bool IsSafe(string s) =>
        s.AsSpan().IndexOfAnyInRange('\0', '\u001F') < 0 && s.AsSpan().IndexOfAny(Unsafe) < 0;

    private static readonly System.Buffers.SearchValues<char> Unsafe =
        System.Buffers.SearchValues.Create("_\uFFFE\uFFFF" + string.Concat(Enumerable.Range(0xD800, 0x800).Select(i => (char)i)));

    private static readonly System.Buffers.SearchValues<char> Markup = System.Buffers.SearchValues.Create("&<>\"");

    private static void AppendEscaped(StringBuilder xml, string s)
    {
        var rest = s.AsSpan();
        while (true)
        {
            var at = rest.IndexOfAny(Markup);
            if (at < 0)
            {
                xml.Append(rest);
                return;
            }
            xml.Append(rest[..at]);
            xml.Append(rest[at] switch { '&' => "&amp;", '<' => "&lt;", '>' => "&gt;", _ => "&quot;" });
            rest = rest[(at + 1)..];
        }
    }
}
