using System.Globalization;
using System.Text.Json;
using Sma.Engine;
using Sma.Engine.Model;
using Sma.Engine.Scheduling;
using Sma.Engine.Services;

namespace Sma.Server.OData;

/// <summary>
/// The asset, schedule and module writes of the service (what the module's remote New-/Set-/Remove- cmdlets send):
/// connection types and their fields to read, connections created with their field values, one field value set,
/// certificates sent base64 (never read back), schedules created from their definition, modules uploaded as a .zip.
/// Each goes through the engine's services, which check it exactly as for a local cmdlet.
/// </summary>
internal static partial class ServiceModel
{
    // -------- connection types --------

    private static EntitySetDefinition ConnectionTypesSet() => new()
    {
        Name = "ConnectionTypes",
        TypeName = "ConnectionType",
        Key = new[] { "ConnectionTypeID" },
        Properties = new[]
        {
            TenantProperty(),
            P("ConnectionTypeID", EdmType.Guid, e => ((SmaConnectionType)e).ConnectionTypeID, nullable: false),
            P("Name", EdmType.String, e => ((SmaConnectionType)e).Name, nullable: false),
            P("ModuleName", EdmType.String, e => ((SmaConnectionType)e).ModuleName),
            P("CreationTime", EdmType.DateTime, e => ((SmaConnectionType)e).CreationTime, nullable: false),
        },
        Navigations = new[]
        {
            new NavigationDefinition("ConnectionFields", "ConnectionFields", true, (_, e) => ((SmaConnectionType)e).Fields),
        },
        ListAll = ctx => ctx.Assets.ListConnectionTypes(),
        Get = (ctx, key) => ctx.Assets.ListConnectionTypes().FirstOrDefault(t => t.ConnectionTypeID == (Guid)key[0]!),
    };

    /// <summary>A connection type's fields, in their declared order; read through their type.</summary>
    private static EntitySetDefinition ConnectionFieldsSet() => new()
    {
        Name = "ConnectionFields",
        TypeName = "ConnectionField",
        Key = new[] { "ConnectionTypeName", "Name" },
        Properties = new[]
        {
            TenantProperty(),
            P("ConnectionTypeName", EdmType.String, e => ((SmaConnectionField)e).ConnectionTypeName, nullable: false),
            P("Name", EdmType.String, e => ((SmaConnectionField)e).Name, nullable: false),
            P("Type", EdmType.String, e => ((SmaConnectionField)e).TypeName, nullable: false),
            P("IsEncrypted", EdmType.Boolean, e => ((SmaConnectionField)e).IsEncrypted, nullable: false),
            P("IsOptional", EdmType.Boolean, e => ((SmaConnectionField)e).IsOptional, nullable: false),
        },
        Navigations = new[]
        {
            new NavigationDefinition("ConnectionType", "ConnectionTypes", false,
                (ctx, e) => FindConnectionType(ctx, ((SmaConnectionField)e).ConnectionTypeName)),
        },
        Get = (ctx, key) => FindConnectionType(ctx, (string)key[0]!)?.Fields
            .FirstOrDefault(f => f.Name.Equals((string)key[1]!, StringComparison.OrdinalIgnoreCase)),
    };

    // -------- connections --------

    /// <summary>
    /// POST Connections: Name, ConnectionTypeName, Description and ConnectionFieldValues — an object of field name to
    /// value, or SMA's inline entries ([{"ConnectionFieldName":…,"Value":…}], also as {"results":[…]}). Values are text,
    /// read as the field's type; the engine checks them against the type as for New-SmaConnection.
    /// </summary>
    private static object CreateConnection(RequestContext ctx, EntityBody body)
    {
        var name = Required(body, "Name");
        var typeName = Required(body, "ConnectionTypeName");
        var type = FindConnectionType(ctx, typeName);
        var values = new System.Collections.Specialized.OrderedDictionary(StringComparer.OrdinalIgnoreCase);
        foreach (var (field, text) in FieldValues(body.Text("ConnectionFieldValues")))
            values[field] = TypedFieldValue(type, field, text);
        return ctx.Assets.NewConnection(name, typeName, values, body.Text("Description"));
    }

    private static IEnumerable<(string Field, string? Value)> FieldValues(string? json)
    {
        if (json is null)
            return Array.Empty<(string, string?)>();
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("results", out var results))
                root = results;
            if (root.ValueKind == JsonValueKind.Object)
                return root.EnumerateObject().Select(p => (p.Name, EntityBody.JsonText(p.Value))).ToList();
            if (root.ValueKind == JsonValueKind.Array)
            {
                return root.EnumerateArray().Select(entry =>
                {
                    if (entry.ValueKind != JsonValueKind.Object || !entry.TryGetProperty("ConnectionFieldName", out var field)
                        || field.ValueKind != JsonValueKind.String)
                        throw SmaErrors.WebInvalidBody("each of ConnectionFieldValues is an object with ConnectionFieldName and Value");
                    return (field.GetString()!, entry.TryGetProperty("Value", out var value) ? EntityBody.JsonText(value) : null);
                }).ToList();
            }
        }
        catch (JsonException e)
        {
            throw SmaErrors.WebInvalidBody($"ConnectionFieldValues is not valid JSON ({e.Message})");
        }
        throw SmaErrors.WebInvalidBody("ConnectionFieldValues is a JSON object of field name to value, or an array of {\"ConnectionFieldName\":…,\"Value\":…}");
    }

    /// <summary>
    /// A field value sent as text, as the value the field's type takes: true/false for a Boolean (PowerShell would read
    /// any non-empty text as $true), an ISO time for a DateTime; the engine converts the rest and refuses what does not fit.
    /// </summary>
    private static object? TypedFieldValue(SmaConnectionType? type, string field, string? text)
    {
        var typeName = type?.Fields.FirstOrDefault(f => f.Name.Equals(field, StringComparison.OrdinalIgnoreCase))?.TypeName;
        if (text is null)
            return null;
        return typeName switch
        {
            "System.Boolean" when bool.TryParse(text, out var b) => b,
            "System.DateTime" when Literals.TryParseDateTime(text, out var t) => t,
            _ => text,
        };
    }

    /// <summary>PUT/MERGE ConnectionFieldValues(ConnectionName='…',ConnectionFieldName='…'): its Value (null clears an optional field).</summary>
    private static object UpdateConnectionField(RequestContext ctx, object entity, EntityBody body, bool merge)
    {
        var entry = (ConnectionFieldValueEntry)entity;
        if (!body.Has("Value"))
        {
            if (!merge)
                throw Missing("Value");
            return entry;
        }
        var type = FindConnectionType(ctx, entry.ConnectionTypeName);
        var connection = ctx.Assets.SetConnectionField(entry.ConnectionName, entry.ConnectionFieldName,
            TypedFieldValue(type, entry.ConnectionFieldName, body.Text("Value")));
        return Entities.ConnectionFieldValues(connection, type)
            .First(f => f.ConnectionFieldName.Equals(entry.ConnectionFieldName, StringComparison.OrdinalIgnoreCase));
    }

    // -------- certificates --------

    /// <summary>POST Certificates: Name, RawValue (the .pfx or .cer, base64), Password (a .pfx's), Description.</summary>
    private static object CreateCertificate(RequestContext ctx, EntityBody body)
    {
        var name = Required(body, "Name");
        if (ctx.Assets.ListCertificates().Any(c => c.Name.Equals(name, StringComparison.OrdinalIgnoreCase)))
            throw AlreadyExists("certificate", name, "Certificates");
        return ctx.Assets.SetCertificate(name, CertificateContent(body), SentCertificate(name), body.Text("Password"), body.Text("Description"));
    }

    /// <summary>PUT Certificates(guid'…'): a new file for the certificate (RawValue, Password); Description kept unless given.</summary>
    private static object UpdateCertificate(RequestContext ctx, object entity, EntityBody body, bool merge)
    {
        var certificate = (SmaCertificate)entity;
        CheckUnchanged(body, "Name", certificate.Name);
        return ctx.Assets.SetCertificate(certificate.Name, CertificateContent(body), SentCertificate(certificate.Name), body.Text("Password"),
            body.Has("Description") ? body.Text("Description") ?? "" : null);
    }

    private static string SentCertificate(string name) => $"the certificate sent for '{name}'";

    private static byte[] CertificateContent(EntityBody body)
    {
        var text = Required(body, "RawValue");
        try
        {
            return Convert.FromBase64String(text);
        }
        catch (FormatException)
        {
            throw SmaErrors.WebRequestInvalid("InvalidPropertyValue",
                "RawValue is the certificate file's content in base64, and this value is not base64. Nothing was changed.", "RawValue");
        }
    }

    // -------- schedules --------

    /// <summary>
    /// POST Schedules: Name, ScheduleType, StartTime, ExpiryTime, Interval (or SMA's DayInterval), DaysOfWeek, Cron,
    /// TimeZone, Description; checked by the engine as Set-SmaSchedule checks a new schedule.
    /// </summary>
    private static object CreateSchedule(RequestContext ctx, EntityBody body)
    {
        var name = Required(body, "Name");
        var typeText = Required(body, "ScheduleType");
        if (!Enum.TryParse<ScheduleType>(typeText, ignoreCase: true, out var type) || !Enum.IsDefined(type))
            throw SmaErrors.WebRequestInvalid("InvalidPropertyValue",
                $"ScheduleType is one of {string.Join(", ", Enum.GetNames<ScheduleType>())}, not '{typeText}'. Nothing was changed.", "ScheduleType");
        if (ctx.Schedules.Find(name) is not null)
            throw AlreadyExists("schedule", name, "Schedules");
        var request = new ScheduleRequest
        {
            Name = name,
            Type = type,
            StartTime = Time(body, "StartTime"),
            ExpiryTime = Time(body, "ExpiryTime"),
            Interval = Int(body, "Interval") ?? Int(body, "DayInterval"),
            DaysOfWeek = Days(body),
            Cron = body.Text("Cron"),
            TimeZone = body.Text("TimeZone"),
        };
        return ctx.Schedules.Create(name, ctx.Schedules.Define(request), body.Text("Description"));
    }

    /// <summary>PUT/MERGE Schedules(guid'…'): SMA's rule, only the description (and whether it is enabled) changes.</summary>
    private static object UpdateSchedule(RequestContext ctx, object entity, EntityBody body, bool merge)
    {
        var schedule = (Schedule)entity;
        CheckUnchanged(body, "Name", schedule.Name);
        CheckWritable("Schedules", schedule, body);
        var record = ctx.Schedules.Find(schedule.Name) ?? throw SmaErrors.ScheduleNotFound(schedule.Name);
        return ctx.Schedules.Update(record, body.Has("Description"), body.Text("Description"), body.Bool("IsEnabled"));
    }

    /// <summary>A time in a body: ISO 8601 (UTC unless it says otherwise) or verbose JSON's /Date(ms)/.</summary>
    private static DateTime? Time(EntityBody body, string name)
    {
        if (body.Text(name) is not { } text)
            return null;
        var match = System.Text.RegularExpressions.Regex.Match(text, @"^/Date\((-?\d+)\)/$");
        if (match.Success && long.TryParse(match.Groups[1].Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var ms))
            return DateTime.UnixEpoch.AddMilliseconds(ms);
        return Literals.TryParseDateTime(text, out var time) ? DateTime.SpecifyKind(time, DateTimeKind.Utc)
            : throw SmaErrors.WebRequestInvalid("InvalidPropertyValue",
                $"The value '{text}' of property {name} is not a date and time: give an ISO 8601 time (2030-01-01T09:00:00Z). Nothing was changed.", name);
    }

    private static int? Int(EntityBody body, string name) => body.Text(name) is not { } text ? null
        : int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var i) ? i
        : throw SmaErrors.WebRequestInvalid("InvalidPropertyValue", $"The value '{text}' of property {name} is not a whole number. Nothing was changed.", name);

    private static IReadOnlyList<DayOfWeek>? Days(EntityBody body)
    {
        if (body.Text("DaysOfWeek") is not { Length: > 0 } text)
            return null;
        var days = new List<DayOfWeek>();
        foreach (var day in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (!Enum.TryParse<DayOfWeek>(day, ignoreCase: true, out var d) || !Enum.IsDefined(d))
                throw SmaErrors.WebRequestInvalid("InvalidPropertyValue",
                    $"DaysOfWeek is a comma-separated list of day names (Monday,Friday), and '{day}' is none. Nothing was changed.", "DaysOfWeek");
            days.Add(d);
        }
        return days;
    }

    // -------- modules --------

    /// <summary>
    /// POST Modules with the module's .zip as the body (SMA's media upload) and its name in the Slug header: checked
    /// and stored as Import-SmaModule does (the next version when the name exists).
    /// </summary>
    private static object ImportModule(RequestContext ctx, byte[] body)
    {
        var name = ctx.Http.Request.Headers["Slug"].ToString().Trim();
        if (name.Length == 0)
            throw SmaErrors.WebRequestInvalid("ModuleNameRequired",
                "A module upload needs the module's name in the Slug header (Slug: MyModule), with its .zip as the body. Nothing was changed.", "Slug");
        if (body.Length == 0)
            throw SmaErrors.WebInvalidBody("it is empty; send the module's .zip");
        return ctx.Modules.Import(ModuleService.Read(body, name));
    }

    // -------- helpers --------

    /// <summary>A PUT/MERGE body may name any property, but only a writable one may differ from the entry's value.</summary>
    private static void CheckWritable(string setName, object entity, EntityBody body)
    {
        var set = Find(setName)!;
        foreach (var name in body.Names)
        {
            var property = set.FindProperty(name);
            if (property is { Writable: false } && property.Type != EdmType.DateTime && !Equals(AtomText(property.Get(entity)), body.Text(name)))
                throw NotWritable(setName, property.Name);
        }
    }
}
