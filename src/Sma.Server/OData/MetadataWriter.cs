using System.Text;
using System.Xml;

namespace Sma.Server.OData;

/// <summary>
/// $metadata: an OData v3 CSDL document written from the set declarations, with SMA's namespace
/// (Orchestrator.ResourceModel) and container (OrchestratorApi), so clients that read it (WCF Data Services proxies,
/// OData tooling) see the same types, keys, links and actions the service serves.
/// </summary>
internal static class MetadataWriter
{
    private const string Edmx = "http://schemas.microsoft.com/ado/2007/06/edmx";
    private const string Edm = "http://schemas.microsoft.com/ado/2009/11/edm";

    public static byte[] Write(IReadOnlyList<EntitySetDefinition> sets)
    {
        using var stream = new MemoryStream();
        using (var w = XmlWriter.Create(stream, new XmlWriterSettings { Encoding = new UTF8Encoding(false), Indent = true }))
        {
            w.WriteStartDocument(standalone: true);
            w.WriteStartElement("edmx", "Edmx", Edmx);
            w.WriteAttributeString("Version", "1.0");
            w.WriteStartElement("edmx", "DataServices", Edmx);
            w.WriteAttributeString("xmlns", "m", null, AtomNames.Metadata);
            w.WriteAttributeString("DataServiceVersion", AtomNames.Metadata, "3.0");
            w.WriteAttributeString("MaxDataServiceVersion", AtomNames.Metadata, "3.0");
            w.WriteStartElement("Schema", Edm);
            w.WriteAttributeString("Namespace", ServiceModel.Namespace);

            foreach (var set in sets)
                WriteEntityType(w, set);
            w.WriteStartElement("ComplexType", Edm);
            w.WriteAttributeString("Name", "NameValuePair");
            Property(w, "Name", "Edm.String", nullable: false);
            Property(w, "Value", "Edm.String", nullable: true);
            w.WriteEndElement();
            foreach (var (set, navigation) in Links(sets))
                WriteAssociation(w, set, navigation, sets);

            w.WriteStartElement("EntityContainer", Edm);
            w.WriteAttributeString("Name", "OrchestratorApi");
            w.WriteAttributeString("IsDefaultEntityContainer", AtomNames.Metadata, "true");
            foreach (var set in sets)
            {
                w.WriteStartElement("EntitySet", Edm);
                w.WriteAttributeString("Name", set.Name);
                w.WriteAttributeString("EntityType", set.QualifiedTypeName);
                w.WriteEndElement();
            }
            foreach (var (set, navigation) in Links(sets))
            {
                w.WriteStartElement("AssociationSet", Edm);
                w.WriteAttributeString("Name", AssociationName(set, navigation));
                w.WriteAttributeString("Association", ServiceModel.Namespace + "." + AssociationName(set, navigation));
                End(w, set.TypeName, set.Name, null);
                End(w, navigation.Name + "Target", navigation.TargetSet, null);
                w.WriteEndElement();
            }
            foreach (var set in sets)
            {
                foreach (var operation in set.Operations)
                    WriteFunctionImport(w, set, operation);
            }
            w.WriteEndElement(); // EntityContainer
            w.WriteEndElement(); // Schema
            w.WriteEndElement();
            w.WriteEndElement();
            w.WriteEndDocument();
        }
        return stream.ToArray();
    }

    private static IEnumerable<(EntitySetDefinition Set, NavigationDefinition Navigation)> Links(IEnumerable<EntitySetDefinition> sets) =>
        sets.SelectMany(s => s.Navigations.Select(n => (s, n)));

    private static string AssociationName(EntitySetDefinition set, NavigationDefinition navigation) => $"FK_{set.TypeName}_{navigation.Name}";

    private static void WriteEntityType(XmlWriter w, EntitySetDefinition set)
    {
        w.WriteStartElement("EntityType", Edm);
        w.WriteAttributeString("Name", set.TypeName);
        if (set.HasStream)
            w.WriteAttributeString("HasStream", AtomNames.Metadata, "true");
        w.WriteStartElement("Key", Edm);
        foreach (var key in set.Key)
        {
            w.WriteStartElement("PropertyRef", Edm);
            w.WriteAttributeString("Name", key);
            w.WriteEndElement();
        }
        w.WriteEndElement();
        foreach (var property in set.Properties)
            Property(w, property.Name, Literals.EdmName(property.Type), property.Nullable);
        foreach (var navigation in set.Navigations)
        {
            w.WriteStartElement("NavigationProperty", Edm);
            w.WriteAttributeString("Name", navigation.Name);
            w.WriteAttributeString("Relationship", ServiceModel.Namespace + "." + AssociationName(set, navigation));
            w.WriteAttributeString("ToRole", navigation.Name + "Target");
            w.WriteAttributeString("FromRole", set.TypeName);
            w.WriteEndElement();
        }
        w.WriteEndElement();
    }

    private static void WriteAssociation(XmlWriter w, EntitySetDefinition set, NavigationDefinition navigation, IReadOnlyList<EntitySetDefinition> sets)
    {
        var target = sets.First(s => s.Name == navigation.TargetSet);
        w.WriteStartElement("Association", Edm);
        w.WriteAttributeString("Name", AssociationName(set, navigation));
        End(w, set.TypeName, null, set.QualifiedTypeName, navigation.Many ? "0..1" : "*");
        End(w, navigation.Name + "Target", null, target.QualifiedTypeName, navigation.Many ? "*" : "0..1");
        w.WriteEndElement();
    }

    private static void End(XmlWriter w, string role, string? entitySet, string? type, string? multiplicity = null)
    {
        w.WriteStartElement("End", Edm);
        w.WriteAttributeString("Role", role);
        if (entitySet is not null)
            w.WriteAttributeString("EntitySet", entitySet);
        if (type is not null)
            w.WriteAttributeString("Type", type);
        if (multiplicity is not null)
            w.WriteAttributeString("Multiplicity", multiplicity);
        w.WriteEndElement();
    }

    private static void WriteFunctionImport(XmlWriter w, EntitySetDefinition set, OperationDefinition operation)
    {
        w.WriteStartElement("FunctionImport", Edm);
        w.WriteAttributeString("Name", operation.Name);
        if (operation.HttpMethod == "GET" && operation.Bound)
        {
            if (operation.ReturnType is { } returns)
                w.WriteAttributeString("ReturnType", Literals.EdmName(returns));
            w.WriteAttributeString("IsBindable", "true");
            w.WriteAttributeString("HttpMethod", AtomNames.Metadata, "GET");
            Parameter(w, set.TypeName.ToLowerInvariant(), set.QualifiedTypeName);
        }
        else if (operation.HttpMethod == "GET")
        {
            w.WriteAttributeString("ReturnType", $"Collection({set.QualifiedTypeName})");
            w.WriteAttributeString("EntitySet", set.Name);
            w.WriteAttributeString("HttpMethod", AtomNames.Metadata, "GET");
            foreach (var (name, type) in operation.Arguments)
                Parameter(w, name, Literals.EdmName(type));
        }
        else
        {
            if (operation.ReturnType is { } type)
                w.WriteAttributeString("ReturnType", Literals.EdmName(type));
            w.WriteAttributeString("IsBindable", "true");
            w.WriteAttributeString("IsAlwaysBindable", AtomNames.Metadata, "true");
            Parameter(w, set.TypeName.ToLowerInvariant(), set.QualifiedTypeName);
            if (operation.Name == "Start")
                Parameter(w, "parameters", $"Collection({ServiceModel.Namespace}.NameValuePair)");
        }
        w.WriteEndElement();
    }

    private static void Parameter(XmlWriter w, string name, string type)
    {
        w.WriteStartElement("Parameter", Edm);
        w.WriteAttributeString("Name", name);
        w.WriteAttributeString("Type", type);
        w.WriteEndElement();
    }

    private static void Property(XmlWriter w, string name, string type, bool nullable)
    {
        w.WriteStartElement("Property", Edm);
        w.WriteAttributeString("Name", name);
        w.WriteAttributeString("Type", type);
        w.WriteAttributeString("Nullable", nullable ? "true" : "false");
        w.WriteEndElement();
    }
}
