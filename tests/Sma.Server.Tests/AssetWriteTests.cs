using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Sma.Engine.Model;
using Sma.Engine.Services;
using static Sma.Server.Tests.Http;

namespace Sma.Server.Tests;

/// <summary>
/// The asset, schedule and module writes the module's remote cmdlets send: connection types read with their fields,
/// connections created with typed field values and one field set, certificates sent base64 and never read back,
/// schedules created from a definition and only their description and enabled flag changed, modules uploaded as a
/// .zip. Each in Atom and JSON; a reader is refused (403), a bad body is a 4xx in OData's error shape, and nothing changes.
/// </summary>
[Collection("server")]
public sealed class AssetWriteTests
{
    private readonly ServerFixture _server;

    public AssetWriteTests(ServerFixture server) => _server = server;

    private AssetService Assets => new(_server.Runtime);

    [Fact]
    public async Task Connection_types_are_read_with_their_fields_in_order_by_a_reader()
    {
        using var json = _server.Client("reader", json: true);
        var (status, feed, _) = await json.GetJson($"{_server.Root}ConnectionTypes?$filter=Name eq 'Generic'&$expand=ConnectionFields");
        Assert.Equal(HttpStatusCode.OK, status);
        var generic = Assert.Single(feed.GetProperty("d").GetProperty("results").EnumerateArray());
        var expected = Assets.GetConnectionType("Generic");
        Assert.Equal(expected.ConnectionTypeID, generic.GetProperty("ConnectionTypeID").GetGuid());
        var fields = generic.GetProperty("ConnectionFields").GetProperty("results").EnumerateArray().ToList();
        Assert.Equal(expected.Fields.Select(f => f.Name), fields.Select(f => f.GetProperty("Name").GetString()));
        Assert.Equal(expected.Fields.Select(f => f.TypeName), fields.Select(f => f.GetProperty("Type").GetString()));
        Assert.Equal(expected.Fields.Select(f => f.IsEncrypted), fields.Select(f => f.GetProperty("IsEncrypted").GetBoolean()));

        var (atomStatus, atom, _) = await _server.Client("reader").GetXml($"{_server.Root}ConnectionTypes(guid'{expected.ConnectionTypeID}')/ConnectionFields");
        Assert.Equal(HttpStatusCode.OK, atomStatus);
        // A link's feed is in key order; the fields' own order is the one $expand gives (above).
        Assert.Equal(expected.Fields.Select(f => f.Name).Order(), Entries(atom).Select(e => Properties(e)["Name"].Value).Order());
        AssertJsonError(HttpStatusCode.BadRequest, "SetNotListable", await json.GetJson($"{_server.Root}ConnectionFields"));
        AssertXmlError(HttpStatusCode.NotFound, "ResourceNotFound",
            await _server.Client("reader").GetXml($"{_server.Root}ConnectionTypes(guid'0a0a0a0a-1111-2222-3333-444444444444')"));
    }

    [Fact]
    public async Task A_connection_is_created_with_typed_field_values_in_both_forms_by_an_administrator_only()
    {
        var url = _server.Root + "Connections";
        // JSON: the field values as one object of name to text.
        var body = "{\"Name\":\"Aw-Json\",\"ConnectionTypeName\":\"Generic\",\"Description\":\"made\","
            + "\"ConnectionFieldValues\":{\"ComputerName\":\"db01\",\"Port\":\"1433\",\"Password\":\"never-returned-pw\"}}";
        AssertJsonError(HttpStatusCode.Forbidden, "AccessDenied", await _server.Client("operator", json: true).Json(HttpMethod.Post, url, body));
        Assert.DoesNotContain(Assets.ListConnections(), c => c.Name == "Aw-Json");

        var (status, created, response) = await _server.Client(json: true).Json(HttpMethod.Post, url, body);
        Assert.Equal(HttpStatusCode.Created, status);
        Assert.EndsWith($"Connections(guid'{created.GetProperty("d").GetProperty("ConnectionID").GetGuid()}')", response.Headers.Location!.ToString());
        var stored = Assets.GetConnection("Aw-Json");
        Assert.Equal(1433, stored.ConnectionFieldValues["Port"]);
        Assert.Equal("made", stored.Description);
        Assert.DoesNotContain("never-returned-pw", created.GetRawText());

        // Atom: SMA's inline entries, as text in the entry.
        var entries = "[{\"ConnectionFieldName\":\"ComputerName\",\"Value\":\"db02\"}]";
        var atom = AtomEntry(("Name", "Aw-Atom"), ("ConnectionTypeName", "Generic"), ("ConnectionFieldValues", entries));
        var (atomStatus, atomXml, _) = await _server.Client().Xml(HttpMethod.Post, url, atom, "application/atom+xml");
        Assert.True(atomStatus == HttpStatusCode.Created, atomXml.ToString());
        Assert.Equal("db02", Assets.GetConnection("Aw-Atom").ConnectionFieldValues["ComputerName"]);

        // Bad requests: nothing is created.
        AssertJsonError(HttpStatusCode.Conflict, "ConnectionAlreadyExists", await _server.Client(json: true).Json(HttpMethod.Post, url, body));
        AssertJsonError(HttpStatusCode.NotFound, "ConnectionTypeNotFound", await _server.Client(json: true).Json(HttpMethod.Post, url,
            "{\"Name\":\"Aw-Bad\",\"ConnectionTypeName\":\"NoSuchType\"}"));
        AssertXmlError(HttpStatusCode.BadRequest, "InvalidRequestBody", await _server.Client().Xml(HttpMethod.Post, url,
            "{\"Name\":\"Aw-Bad\",\"ConnectionTypeName\":\"Generic\",\"ConnectionFieldValues\":\"[{oops\"}"));
        AssertJsonError(HttpStatusCode.BadRequest, "InvalidConnectionFieldValue", await _server.Client(json: true).Json(HttpMethod.Post, url,
            "{\"Name\":\"Aw-Bad\",\"ConnectionTypeName\":\"Generic\",\"ConnectionFieldValues\":{\"Port\":\"many\"}}"));
        AssertJsonError(HttpStatusCode.BadRequest, "InvalidRequestBody", await _server.Client(json: true).Json(HttpMethod.Post, url, "{not json"));
        Assert.DoesNotContain(Assets.ListConnections(), c => c.Name == "Aw-Bad");
    }

    [Fact]
    public async Task A_connection_field_value_is_set_with_PUT_and_MERGE_and_refused_to_a_reader()
    {
        Assets.NewConnection("Aw-Field", "Generic", new System.Collections.Hashtable { ["ComputerName"] = "one" }, null);
        var url = $"{_server.Root}ConnectionFieldValues(ConnectionName='Aw-Field',ConnectionFieldName='Port')";

        AssertXmlError(HttpStatusCode.Forbidden, "AccessDenied", await _server.Client("reader").Xml(HttpMethod.Put, url, "{\"Value\":\"1\"}"));
        AssertJsonError(HttpStatusCode.Forbidden, "AccessDenied", await _server.Client("operator", json: true).Json(HttpMethod.Put, url, "{\"Value\":\"1\"}"));
        Assert.Null(Assets.GetConnection("Aw-Field").ConnectionFieldValues["Port"]);

        Assert.Equal(HttpStatusCode.NoContent, (await _server.Client(json: true).Json(HttpMethod.Put, url, "{\"Value\":\"5432\"}")).Status);
        Assert.Equal(5432, Assets.GetConnection("Aw-Field").ConnectionFieldValues["Port"]);
        using var merge = new HttpRequestMessage(new HttpMethod("MERGE"), url)
        {
            Content = new StringContent(AtomEntry(("Value", "6543")), Encoding.UTF8, "application/atom+xml"),
        };
        Assert.Equal(HttpStatusCode.NoContent, (await _server.Client().SendAsync(merge)).StatusCode);
        Assert.Equal(6543, Assets.GetConnection("Aw-Field").ConnectionFieldValues["Port"]);

        AssertJsonError(HttpStatusCode.BadRequest, "InvalidConnectionFieldValue", await _server.Client(json: true).Json(HttpMethod.Put, url, "{\"Value\":\"many\"}"));
        AssertJsonError(HttpStatusCode.BadRequest, "MissingProperty", await _server.Client(json: true).Json(HttpMethod.Put, url, "{\"Other\":\"x\"}"));
        AssertJsonError(HttpStatusCode.NotFound, "ResourceNotFound", await _server.Client(json: true).Json(HttpMethod.Put,
            $"{_server.Root}ConnectionFieldValues(ConnectionName='Aw-Field',ConnectionFieldName='Colour')", "{\"Value\":\"red\"}"));
        var after = Assets.GetConnection("Aw-Field");
        Assert.Equal(6543, after.ConnectionFieldValues["Port"]);
        Assert.Equal("one", after.ConnectionFieldValues["ComputerName"]);

        // A null value clears an optional field (Atom's m:null).
        var cleared = AtomEntry(("Value", "")).Replace("<d:Value></d:Value>", "<d:Value m:null=\"true\" />");
        Assert.Equal(HttpStatusCode.NoContent, (await _server.Client().Xml(HttpMethod.Put,
            $"{_server.Root}ConnectionFieldValues(ConnectionName='Aw-Field',ConnectionFieldName='ComputerName')", cleared, "application/atom+xml")).Status);
        Assert.Null(Assets.GetConnection("Aw-Field").ConnectionFieldValues["ComputerName"]);
    }

    [Fact]
    public async Task A_certificate_is_sent_base64_and_never_read_back()
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=Aw Cert", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        var cer = Convert.ToBase64String(certificate.Export(X509ContentType.Cert));
        var pfx = Convert.ToBase64String(certificate.Export(X509ContentType.Pkcs12, "pfx-pass"));
        var url = _server.Root + "Certificates";

        var body = $"{{\"Name\":\"Aw-Cert\",\"RawValue\":\"{cer}\",\"Description\":\"public\"}}";
        AssertJsonError(HttpStatusCode.Forbidden, "AccessDenied", await _server.Client("operator", json: true).Json(HttpMethod.Post, url, body));
        Assert.DoesNotContain(Assets.ListCertificates(), c => c.Name == "Aw-Cert");

        var (status, created, _) = await _server.Client(json: true).Json(HttpMethod.Post, url, body);
        Assert.Equal(HttpStatusCode.Created, status);
        Assert.Equal(certificate.Thumbprint, created.GetProperty("d").GetProperty("Thumbprint").GetString());
        Assert.False(created.GetProperty("d").GetProperty("HasPrivateKey").GetBoolean());
        Assert.DoesNotContain(cer[..40], created.GetRawText());
        var id = created.GetProperty("d").GetProperty("CertificateID").GetGuid();

        // PUT (Atom) a .pfx with its password: the same certificate now has its key; the description stays.
        var put = AtomEntry(("RawValue", pfx), ("Password", "pfx-pass"));
        Assert.Equal(HttpStatusCode.NoContent, (await _server.Client().Xml(HttpMethod.Put, $"{url}(guid'{id}')", put, "application/atom+xml")).Status);
        var stored = Assets.GetCertificate("Aw-Cert");
        Assert.True(stored.HasPrivateKey);
        Assert.Equal("public", stored.Description);
        var atom = await _server.Client().GetStringAsync($"{url}(guid'{id}')");
        Assert.DoesNotContain(pfx[..40], atom);
        Assert.DoesNotContain("pfx-pass", atom);

        // Bad requests: nothing changes.
        AssertJsonError(HttpStatusCode.BadRequest, "CertificatePasswordInvalid", await _server.Client(json: true).Json(HttpMethod.Put, $"{url}(guid'{id}')",
            $"{{\"RawValue\":\"{cer}\",\"Password\":\"x\"}}".Replace(cer, pfx)));
        AssertXmlError(HttpStatusCode.BadRequest, "InvalidPropertyValue", await _server.Client().Xml(HttpMethod.Put, $"{url}(guid'{id}')", "{\"RawValue\":\"not base64!\"}"));
        AssertJsonError(HttpStatusCode.BadRequest, "CertificateFileInvalid", await _server.Client(json: true).Json(HttpMethod.Post, url,
            $"{{\"Name\":\"Aw-Junk\",\"RawValue\":\"{Convert.ToBase64String(Encoding.UTF8.GetBytes("not a certificate"))}\"}}"));
        AssertJsonError(HttpStatusCode.BadRequest, "MissingProperty", await _server.Client(json: true).Json(HttpMethod.Post, url, "{\"Name\":\"Aw-Junk\"}"));
        AssertJsonError(HttpStatusCode.Conflict, "EntityAlreadyExists", await _server.Client(json: true).Json(HttpMethod.Post, url, body));
        Assert.True(Assets.GetCertificate("Aw-Cert").HasPrivateKey);
        Assert.DoesNotContain(Assets.ListCertificates(), c => c.Name == "Aw-Junk");
    }

    [Fact]
    public async Task A_schedule_is_created_from_its_definition_and_only_its_description_and_enabled_flag_change()
    {
        var schedules = new ScheduleService(_server.Runtime);
        var url = _server.Root + "Schedules";
        var body = "{\"Name\":\"Aw-Weekly\",\"ScheduleType\":\"WeeklySchedule\",\"StartTime\":\"2031-01-06T07:30:00Z\",\"Interval\":2,"
            + "\"DaysOfWeek\":\"Monday,Friday\",\"TimeZone\":\"Europe/Berlin\",\"Description\":\"made\"}";
        AssertXmlError(HttpStatusCode.Forbidden, "AccessDenied", await _server.Client("reader").Xml(HttpMethod.Post, url, body));
        Assert.Null(schedules.Find("Aw-Weekly"));

        var (status, created, _) = await _server.Client(json: true).Json(HttpMethod.Post, url, body);
        Assert.Equal(HttpStatusCode.Created, status);
        var stored = schedules.Get("Aw-Weekly");
        Assert.Equal(new DateTime(2031, 1, 6, 7, 30, 0, DateTimeKind.Utc), stored.StartTime);
        Assert.Equal(new[] { DayOfWeek.Monday, DayOfWeek.Friday }, stored.DaysOfWeek);
        Assert.Equal("Europe/Berlin", stored.TimeZone);
        Assert.Equal(stored.Recurrence, created.GetProperty("d").GetProperty("Recurrence").GetString());

        // Atom: SMA's DailySchedule with DayInterval.
        var atom = AtomEntry(("Name", "Aw-Daily"), ("ScheduleType", "DailySchedule"), ("StartTime", "2031-02-01T06:00:00Z"), ("DayInterval", "3"), ("TimeZone", "UTC"));
        Assert.Equal(HttpStatusCode.Created, (await _server.Client().Xml(HttpMethod.Post, url, atom, "application/atom+xml")).Status);
        Assert.Equal(3, schedules.Get("Aw-Daily").Interval);

        var entry = $"{url}(guid'{stored.ScheduleID}')";
        using var merge = new HttpRequestMessage(new HttpMethod("MERGE"), entry)
        {
            Content = new StringContent("{\"IsEnabled\":false,\"Description\":\"changed\"}", Encoding.UTF8, "application/json"),
        };
        Assert.Equal(HttpStatusCode.NoContent, (await _server.Client(json: true).SendAsync(merge)).StatusCode);
        Assert.False(schedules.Get("Aw-Weekly").IsEnabled);
        Assert.Equal("changed", schedules.Get("Aw-Weekly").Description);

        // Bad requests: nothing changes.
        AssertJsonError(HttpStatusCode.BadRequest, "PropertyNotWritable", await _server.Client(json: true).Json(HttpMethod.Put, entry, "{\"Interval\":3}"));
        AssertJsonError(HttpStatusCode.BadRequest, "InvalidPropertyValue", await _server.Client(json: true).Json(HttpMethod.Post, url,
            "{\"Name\":\"Aw-Bad\",\"ScheduleType\":\"Fortnightly\",\"StartTime\":\"2031-01-01T00:00:00Z\"}"));
        AssertXmlError(HttpStatusCode.BadRequest, "ScheduleStartInPast", await _server.Client().Xml(HttpMethod.Post, url,
            "{\"Name\":\"Aw-Bad\",\"ScheduleType\":\"OneTimeSchedule\",\"StartTime\":\"2001-01-01T00:00:00Z\",\"TimeZone\":\"UTC\"}"));
        AssertJsonError(HttpStatusCode.BadRequest, "InvalidPropertyValue", await _server.Client(json: true).Json(HttpMethod.Post, url,
            "{\"Name\":\"Aw-Bad\",\"ScheduleType\":\"OneTimeSchedule\",\"StartTime\":\"soon\"}"));
        AssertJsonError(HttpStatusCode.Conflict, "EntityAlreadyExists", await _server.Client(json: true).Json(HttpMethod.Post, url, body));
        Assert.Null(schedules.Find("Aw-Bad"));
        Assert.Equal(2, schedules.Get("Aw-Weekly").Interval);
    }

    [Fact]
    public async Task A_module_is_uploaded_as_a_zip_with_its_name_in_Slug()
    {
        var zip = ModuleZip("AwModule", "3.2.1");
        var url = _server.Root + "Modules";

        AssertJsonError(HttpStatusCode.Forbidden, "AccessDenied", await Upload(_server.Client("operator", json: true), url, zip, "AwModule"));
        Assert.DoesNotContain(new ModuleService(_server.Runtime).List(), m => m.ModuleName == "AwModule");

        var (status, created, _) = await Upload(_server.Client(json: true), url, zip, "AwModule");
        Assert.Equal(HttpStatusCode.Created, status);
        Assert.Equal("3.2.1", created.GetProperty("d").GetProperty("ModuleVersion").GetString());
        var module = new ModuleService(_server.Runtime).Get("AwModule");
        Assert.Equal(created.GetProperty("d").GetProperty("ModuleID").GetGuid(), module.ModuleID);

        // Atom client: the next version.
        using var atom = _server.Client();
        using var content = new ByteArrayContent(zip);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/zip");
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = content };
        request.Headers.Add("Slug", "AwModule");
        using var response = await atom.SendAsync(request);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(module.StoreVersion + 1, new ModuleService(_server.Runtime).Get("AwModule").StoreVersion);

        // Bad requests: nothing is stored.
        AssertJsonError(HttpStatusCode.BadRequest, "ModuleNameRequired", await Upload(_server.Client(json: true), url, zip, null));
        AssertJsonError(HttpStatusCode.BadRequest, "ModuleFileInvalid", await Upload(_server.Client(json: true), url, Encoding.UTF8.GetBytes("not a zip"), "AwJunk"));
        AssertJsonError(HttpStatusCode.BadRequest, "InvalidRequestBody", await Upload(_server.Client(json: true), url, Array.Empty<byte>(), "AwJunk"));
        Assert.DoesNotContain(new ModuleService(_server.Runtime).List(), m => m.ModuleName == "AwJunk");
    }

    private static async Task<(HttpStatusCode Status, System.Text.Json.JsonElement Json, HttpResponseMessage Response)> Upload(
        HttpClient client, string url, byte[] zip, string? slug)
    {
        using (client)
        {
            using var content = new ByteArrayContent(zip);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/zip");
            using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = content };
            request.Headers.Accept.ParseAdd("application/json;odata=verbose");
            if (slug is not null)
                request.Headers.Add("Slug", slug);
            var response = await client.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            return (response.StatusCode, text.Length == 0 ? default : System.Text.Json.JsonDocument.Parse(text).RootElement.Clone(), response);
        }
    }

    private static byte[] ModuleZip(string name, string version)
    {
        using var stream = new MemoryStream();
        using (var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true))
        {
            void Add(string path, string text)
            {
                using var writer = new StreamWriter(zip.CreateEntry(path).Open());
                writer.Write(text);
            }
            Add($"{name}/{name}.psm1", "function Get-Aw { 'aw' }");
            Add($"{name}/{name}.psd1", $"@{{ RootModule = '{name}.psm1'; ModuleVersion = '{version}'; GUID = '{Guid.NewGuid()}'; FunctionsToExport = @('Get-Aw') }}");
        }
        return stream.ToArray();
    }

    /// <summary>An Atom entry with the given d: properties (an Atom client's POST, PUT or MERGE body).</summary>
    private static string AtomEntry(params (string Name, string Value)[] properties)
    {
        var d = string.Concat(properties.Select(p => $"<d:{p.Name}>{System.Security.SecurityElement.Escape(p.Value)}</d:{p.Name}>"));
        return "<entry xmlns=\"http://www.w3.org/2005/Atom\" xmlns:d=\"http://schemas.microsoft.com/ado/2007/08/dataservices\" "
            + "xmlns:m=\"http://schemas.microsoft.com/ado/2007/08/dataservices/metadata\"><content type=\"application/xml\">"
            + $"<m:properties>{d}</m:properties></content></entry>";
    }
}
