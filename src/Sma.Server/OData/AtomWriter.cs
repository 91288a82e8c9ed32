using System.Globalization;
using System.Text;
using System.Xml;

namespace Sma.Server.OData;

/// <summary>The XML namespaces of OData v3's Atom format.</summary>
internal static class AtomNames
{
    public const string Atom = "http://www.w3.org/2005/Atom";
    public const string Data = "http://schemas.microsoft.com/ado/2007/08/dataservices";
    public const string Metadata = "http://schemas.microsoft.com/ado/2007/08/dataservices/metadata";
    public const string Scheme = "http://schemas.microsoft.com/ado/2007/08/dataservices/scheme";
    public const string Related = "http://schemas.microsoft.com/ado/2007/08/dataservices/related/";
    public const string App = "http://www.w3.org/2007/app";
}

/// <summary>
/// Writes feeds, entries, primitive values, the service document and errors in OData v3's Atom/XML format: properties
/// in <c>m:properties</c> as <c>d:</c> elements typed with <c>m:type</c>, nulls as <c>m:null="true"</c>, media link
/// entries with their properties beside <c>content src</c>, server paging as a feed's <c>link rel="next"</c>, expanded
/// links with their entries (or feed) inside <c>m:inline</c>.
/// </summary>
internal static class AtomWriter
{
    private static readonly XmlWriterSettings Settings = new() { Encoding = new UTF8Encoding(false), Indent = false };

    public static byte[] Feed(RequestContext ctx, EntitySetDefinition set, string selfPath, IEnumerable<object> entries, long? count, string? next,
        ExpandClause? expand = null)
    {
        return Write(w =>
        {
            w.WriteStartElement("feed", AtomNames.Atom);
            WriteNamespaces(w, ctx);
            w.WriteElementString("id", AtomNames.Atom, ctx.ServiceRoot + selfPath);
            WriteText(w, "title", set.Name);
            w.WriteElementString("updated", AtomNames.Atom, Now());
            WriteLink(w, "self", set.Name, selfPath, null);
            if (count is { } c)
                w.WriteElementString("count", AtomNames.Metadata, c.ToString(CultureInfo.InvariantCulture));
            foreach (var entry in entries)
                WriteEntry(w, ctx, set, entry, root: false, expand);
            // Absolute, as WCF Data Services wrote it: community clients request the href as it is.
            if (next is not null)
                WriteLink(w, "next", null, ctx.ServiceRoot + next, null);
            w.WriteEndElement();
        });
    }

    public static byte[] Entry(RequestContext ctx, EntitySetDefinition set, object entity, ExpandClause? expand = null) =>
        Write(w => WriteEntry(w, ctx, set, entity, root: true, expand));

    /// <summary>A primitive result (an action's Edm.Guid, a property): <c>&lt;d:Start m:type="Edm.Guid"&gt;…&lt;/d:Start&gt;</c>.</summary>
    public static byte[] Primitive(string name, EdmType type, object? value) => Write(w =>
    {
        w.WriteStartElement("d", name, AtomNames.Data);
        w.WriteAttributeString("xmlns", "m", null, AtomNames.Metadata);
        if (type != EdmType.String)
            w.WriteAttributeString("type", AtomNames.Metadata, Literals.EdmName(type));
        if (value is null)
            w.WriteAttributeString("null", AtomNames.Metadata, "true");
        else
            w.WriteString(Text(type, value));
        w.WriteEndElement();
    });

    public static byte[] ServiceDocument(RequestContext ctx, IEnumerable<EntitySetDefinition> sets) => Write(w =>
    {
        w.WriteStartElement("service", AtomNames.App);
        w.WriteAttributeString("xml", "base", null, ctx.ServiceRoot);
        w.WriteAttributeString("xmlns", "atom", null, AtomNames.Atom);
        w.WriteStartElement("workspace", AtomNames.App);
        w.WriteElementString("title", AtomNames.Atom, "Default");
        foreach (var set in sets)
        {
            w.WriteStartElement("collection", AtomNames.App);
            w.WriteAttributeString("href", set.Name);
            w.WriteElementString("title", AtomNames.Atom, set.Name);
            w.WriteEndElement();
        }
        w.WriteEndElement();
        w.WriteEndElement();
    });

    public static byte[] Error(string code, string message) => Write(w =>
    {
        w.WriteStartElement("m", "error", AtomNames.Metadata);
        w.WriteElementString("m", "code", AtomNames.Metadata, code);
        w.WriteStartElement("m", "message", AtomNames.Metadata);
        w.WriteAttributeString("xml", "lang", null, "en-US");
        w.WriteString(message);
        w.WriteEndElement();
        w.WriteEndElement();
    });

    private static void WriteEntry(XmlWriter w, RequestContext ctx, EntitySetDefinition set, object entity, bool root, ExpandClause? expand)
    {
        var path = set.KeyPath(entity);
        w.WriteStartElement("entry", AtomNames.Atom);
        if (root)
            WriteNamespaces(w, ctx);
        w.WriteElementString("id", AtomNames.Atom, ctx.ServiceRoot + path);
        w.WriteStartElement("category", AtomNames.Atom);
        w.WriteAttributeString("term", set.QualifiedTypeName);
        w.WriteAttributeString("scheme", AtomNames.Scheme);
        w.WriteEndElement();
        WriteLink(w, "edit", set.TypeName, path, null);
        foreach (var navigation in set.Navigations)
        {
            var href = path + "/" + navigation.Name;
            var type = navigation.Many ? "application/atom+xml;type=feed" : "application/atom+xml;type=entry";
            if (expand?.For(navigation) is { } inner)
                WriteInlineLink(w, ctx, navigation, href, type, navigation.Follow(ctx, entity), inner);
            else
                WriteLink(w, AtomNames.Related + navigation.Name, navigation.Name, href, type);
        }
        w.WriteStartElement("title", AtomNames.Atom);
        w.WriteEndElement();
        w.WriteElementString("updated", AtomNames.Atom, Now());
        w.WriteStartElement("author", AtomNames.Atom);
        w.WriteStartElement("name", AtomNames.Atom);
        w.WriteEndElement();
        w.WriteEndElement();
        if (set.HasStream)
        {
            WriteLink(w, "edit-media", set.TypeName, path + "/$value", null);
            w.WriteStartElement("content", AtomNames.Atom);
            w.WriteAttributeString("type", "application/octet-stream");
            w.WriteAttributeString("src", path + "/$value");
            w.WriteEndElement();
            WriteProperties(w, set, entity);
        }
        else
        {
            w.WriteStartElement("content", AtomNames.Atom);
            w.WriteAttributeString("type", "application/xml");
            WriteProperties(w, set, entity);
            w.WriteEndElement();
        }
        w.WriteEndElement();
    }

    /// <summary>
    /// An expanded link: its entries as a feed inside <c>m:inline</c> (an empty feed when there are none), or its one
    /// entry (an empty <c>m:inline</c> when there is none), as OData v3's Atom format writes them.
    /// </summary>
    private static void WriteInlineLink(XmlWriter w, RequestContext ctx, NavigationDefinition navigation, string href, string type,
        object? followed, ExpandClause inner)
    {
        w.WriteStartElement("link", AtomNames.Atom);
        w.WriteAttributeString("rel", AtomNames.Related + navigation.Name);
        w.WriteAttributeString("type", type);
        w.WriteAttributeString("title", navigation.Name);
        w.WriteAttributeString("href", href);
        w.WriteStartElement("m", "inline", AtomNames.Metadata);
        if (navigation.Many)
        {
            w.WriteStartElement("feed", AtomNames.Atom);
            w.WriteElementString("id", AtomNames.Atom, ctx.ServiceRoot + href);
            WriteText(w, "title", navigation.Name);
            w.WriteElementString("updated", AtomNames.Atom, Now());
            WriteLink(w, "self", navigation.Name, href, null);
            foreach (var entry in (IEnumerable<object>?)followed ?? Array.Empty<object>())
                WriteEntry(w, ctx, inner.Set, entry, root: false, inner);
            w.WriteEndElement();
        }
        else if (followed is not null)
        {
            WriteEntry(w, ctx, inner.Set, followed, root: false, inner);
        }
        w.WriteEndElement();
        w.WriteEndElement();
    }

    private static void WriteProperties(XmlWriter w, EntitySetDefinition set, object entity)
    {
        w.WriteStartElement("m", "properties", AtomNames.Metadata);
        foreach (var property in set.Properties)
        {
            var value = property.Get(entity);
            w.WriteStartElement("d", property.Name, AtomNames.Data);
            if (property.Type != EdmType.String)
                w.WriteAttributeString("type", AtomNames.Metadata, Literals.EdmName(property.Type));
            if (value is null)
                w.WriteAttributeString("null", AtomNames.Metadata, "true");
            else
                w.WriteString(Text(property.Type, value));
            w.WriteEndElement();
        }
        w.WriteEndElement();
    }

    /// <summary>A value as Atom writes it: XML Schema forms (UTC times with Z, lower-case booleans).</summary>
    public static string Text(EdmType type, object value) => value switch
    {
        DateTime t => Literals.FormatDateTime(t),
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => XmlSafe(value.ToString() ?? ""),
    };

    /// <summary>Characters XML 1.0 cannot carry (a job may write any text) are replaced, never written raw.</summary>
    private static string XmlSafe(string text)
    {
        foreach (var ch in text)
        {
            if (!XmlConvert.IsXmlChar(ch) && !char.IsSurrogate(ch))
                return new string(text.Select(c => XmlConvert.IsXmlChar(c) || char.IsSurrogate(c) ? c : '\uFFFD').ToArray());
        }
        return text;
    }

    private static void WriteNamespaces(XmlWriter w, RequestContext ctx)
    {
        w.WriteAttributeString("xml", "base", null, ctx.ServiceRoot);
        w.WriteAttributeString("xmlns", "d", null, AtomNames.Data);
        w.WriteAttributeString("xmlns", "m", null, AtomNames.Metadata);
    }

    private static void WriteLink(XmlWriter w, string rel, string? title, string href, string? type)
    {
        w.WriteStartElement("link", AtomNames.Atom);
        w.WriteAttributeString("rel", rel);
        if (type is not null)
            w.WriteAttributeString("type", type);
        if (title is not null)
            w.WriteAttributeString("title", title);
        w.WriteAttributeString("href", href);
        w.WriteEndElement();
    }

    private static void WriteText(XmlWriter w, string name, string text)
    {
        w.WriteStartElement(name, AtomNames.Atom);
        w.WriteAttributeString("type", "text");
        w.WriteString(text);
        w.WriteEndElement();
    }

    private static string Now() => DateTime.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static byte[] Write(Action<XmlWriter> body)
    {
        using var stream = new MemoryStream();
        using (var w = XmlWriter.Create(stream, Settings))
        {
            w.WriteStartDocument(standalone: true);
            body(w);
            w.WriteEndDocument();
        }
        return stream.ToArray();
    }
}
