using System.Collections;
using System.IO.Compression;
using System.Management.Automation;
using System.Text;
using Sma.Engine.Execution;
using Sma.Engine.Model;
using Sma.Engine.Modules;
using Sma.Engine.Security;
using Sma.Engine.Services;
using Sma.Engine.Store;
using Xunit;

namespace Sma.Engine.Tests;

public class AssetTests : RuntimeTestBase
{
    private AssetService Assets => new(Runtime);

    private static SmaException Refused(Action action) => Assert.Throws<SmaException>(action);

    [Fact]
    public void Variables_keep_their_type_and_encryption()
    {
        Assets.SetVariable("Count", 1, "how many", encrypted: null, force: false);
        Assets.SetVariable("count", 2L, null, null, false); // a long that fits is an Int too
        var count = Assets.GetVariable("COUNT");
        Assert.Equal("Count", count.Name);
        Assert.Equal(2, count.Value);
        Assert.Equal("how many", count.Description);

        Assert.Equal("VariableTypeMismatch", Refused(() => Assets.SetVariable("Count", "two", null, null, false)).ErrorId);
        Assert.Equal("VariableEncryptionFixed", Refused(() => Assets.SetVariable("Count", 3, null, true, false)).ErrorId);
        Assert.Equal(2, Assets.GetVariable("Count").Value);
        Assert.Equal("two", Assets.SetVariable("Count", "two", null, null, force: true).Value);

        var secret = Assets.SetVariable("Pin", "1234", null, encrypted: true, force: false);
        Assert.True(secret.IsEncrypted);
        Assert.Null(secret.Value);
        Assert.Equal("InvalidVariableValue", Refused(() => Assets.SetVariable("List", new object[] { 1 }, null, null, false)).ErrorId);
        Assert.Equal("InvalidVariableValue", Refused(() => Assets.SetVariable("Nothing", null, null, null, false)).ErrorId);
        Assert.Equal("InvalidAssetName", Refused(() => Assets.SetVariable(" lead", 1, null, null, false)).ErrorId);
        Assert.Equal(new[] { "Count", "Pin" }, Assets.ListVariables().Select(v => v.Name));
    }

    [Fact]
    public void A_job_gets_decrypted_values_and_the_store_never_holds_them_in_clear()
    {
        Assets.SetVariable("Pin", "pin-5551234", null, encrypted: true, force: false);
        Assets.SetCredential("Admin", new PSCredential("root", new System.Net.NetworkCredential("", "cred-pw-98765").SecurePassword), null);
        var runbook = Import("Reader", """
            $pin = Get-AutomationVariable Pin
            $pw = (Get-AutomationPSCredential Admin).GetNetworkCredential().Password
            "pin $pin, pw $pw"
            Checkpoint-Workflow
            throw "failed with $pw"
            """);
        var job = Wait(Jobs.Start(runbook, null, Temp.Folder).JobId);
        Assert.Equal("Failed", job.JobStatus);
        Assert.Equal("pin ********, pw ********", Assert.Single(Jobs.Output(job.JobId, StreamType.Output, null)).StreamText);
        Assert.StartsWith("failed with ********", job.StatusDetails);
        Runtime.Writer.Flush(TimeSpan.FromSeconds(10));
        var bytes = Directory.GetFiles(Temp.Folder, "sma.db*").SelectMany(File.ReadAllBytes).ToArray();
        var content = Encoding.Latin1.GetString(bytes);
        foreach (var secret in new[] { "pin-5551234", "cred-pw-98765" })
        {
            Assert.DoesNotContain(secret, content);
            Assert.DoesNotContain(Encoding.Latin1.GetString(Encoding.Unicode.GetBytes(secret)), content);
        }
    }

    [Fact]
    public void Connections_are_checked_against_their_type()
    {
        var made = Assets.NewConnection("Box", "generic", new Hashtable { ["Port"] = "22", ["Password"] = "p" }, "ssh");
        Assert.Equal("Generic", made.ConnectionTypeName);
        Assert.Equal(22, made.ConnectionFieldValues["port"]);
        Assert.Equal(SmaConnection.Masked, made.ConnectionFieldValues["Password"]);
        Assert.Equal("ConnectionAlreadyExists", Refused(() => Assets.NewConnection("BOX", "Generic", null, null)).ErrorId);
        Assert.Equal("ConnectionTypeNotFound", Refused(() => Assets.NewConnection("Other", "Nope", null, null)).ErrorId);
        Assert.Equal("UnknownConnectionField", Refused(() => Assets.SetConnectionField("Box", "Colour", "red")).ErrorId);
        Assert.Equal("InvalidConnectionFieldValue", Refused(() => Assets.SetConnectionField("Box", "Port", "lots")).ErrorId);
        Assert.Null(Assets.SetConnectionField("Box", "Port", null).ConnectionFieldValues["Port"]);
        var secrets = new List<object?>();
        var read = Assets.ReadConnection("Box", secrets.Add);
        Assert.Equal("p", read["Password"]);
        Assert.Equal(new object?[] { "p" }, secrets);
    }

    [Fact]
    public void Job_secrets_mask_text_and_encrypt_values_that_hold_them()
    {
        using var store = Temp.Open();
        var codec = new ValueCodec(() => SecretProtector.ForKeyFile(Path.Combine(Temp.Folder, "k.key")));
        var secrets = new JobSecrets(Guid.NewGuid(), store, codec);
        Assert.False(secrets.Any);
        secrets.Add(new Hashtable { ["a"] = "s3cr3t", ["b"] = "s3cr3t-longer", ["c"] = "ab", ["d"] = true });
        Assert.True(secrets.Any);
        Assert.Equal("x ******** y ******** ab True", secrets.MaskText("x s3cr3t-longer y s3cr3t ab True"));

        var (text, xml, encrypted) = secrets.Protect("plain", PSSerializer.Serialize("has ab inside"), null);
        Assert.Equal("plain", text); // too short to mask in text...
        Assert.Null(xml);            // ...but the value holding it is encrypted
        Assert.Contains("has ab inside", codec.DecodeXml(null, encrypted));
        var untouched = PSSerializer.Serialize("nothing here");
        Assert.Equal(untouched, secrets.Protect("t", untouched, null).ValueXml);

        var odd = new JobSecrets(Guid.NewGuid(), store, codec);
        odd.Add("a&b<c>_x41\"d");
        Assert.True(odd.HoldsSecret(PSSerializer.Serialize(new Hashtable { ["k"] = "a&b<c>_x41\"d" })));
        Assert.True(odd.HoldsSecret("<S>a&amp;b&lt;c&gt;_x41&quot;d</S>")); // as FastCliXml escapes it
    }

    [Fact]
    public void Module_packages_accept_SMAs_layouts_and_refuse_what_is_not_a_module()
    {
        var sma = Zip("Tools.zip", ("Tools/Tools.psd1", "@{ ModuleVersion = '2.1.0'; Description = 'tools' }"), ("Tools/Tools.psm1", "function Get-T { }"));
        var package = ModulePackage.Read(sma).Write;
        Assert.Equal(("Tools", "2.1.0", "tools"), (package.Name, package.ModuleVersion, package.Description));
        Assert.Equal(new[] { "Tools.psd1", "Tools.psm1" }, Entries(package.Content));

        var flat = ModulePackage.Read(Zip("Flat.zip", ("Flat.psm1", "function Get-F { }"), ("lib/x.txt", "x"))).Write;
        Assert.Equal(new[] { "Flat.psm1", "lib/x.txt" }, Entries(flat.Content));

        var versioned = ModulePackage.Read(Zip("Saved.zip", ("Saved/1.0.0/Saved.psd1", "@{ ModuleVersion = '1.0.0' }"))).Write;
        Assert.Equal("Saved", versioned.Name);
        Assert.Equal(new[] { "Saved.psd1" }, Entries(versioned.Content));

        Assert.Equal("ModuleManifestMissing", Refused(() => ModulePackage.Read(Zip("Empty.zip", ("readme.txt", "no module")))).ErrorId);
        Assert.Equal("ModuleFileInvalid", Refused(() => ModulePackage.Read(Zip("Evil.zip", ("Evil.psm1", ""), ("../outside.ps1", "")))).ErrorId);
        Assert.Equal("ModuleFileNotFound", Refused(() => ModulePackage.Read(Path.Combine(Temp.Folder, "none.zip"))).ErrorId);
    }

    [Theory]
    [InlineData("[]", "not a JSON object")]
    [InlineData("{ \"ConnectionFields\": [] }", "ConnectionTypeName is missing")]
    [InlineData("{ \"ConnectionTypeName\": \"T\" }", "ConnectionFields is missing")]
    [InlineData("{ \"ConnectionTypeName\": \"T\", \"ConnectionFields\": [ { \"Name\": \"A\", \"TypeName\": \"System.Uri\" } ] }", "TypeName 'System.Uri'")]
    [InlineData("{ \"ConnectionTypeName\": \"T\", \"ConnectionFields\": [ { \"Name\": \"A\" }, { \"name\": \"a\" } ] }", "listed twice")]
    [InlineData("{ \"ConnectionTypeName\": \"T\", \"ConnectionFields\": [ { \"Name\": \"A\", \"IsOptional\": \"yes\" } ] }", "IsOptional of field 'A'")]
    [InlineData("{ not json", "not valid JSON")]
    public void Connection_type_files_are_checked(string json, string why)
    {
        var error = Refused(() => ConnectionTypeFile.Parse("X-Automation.json", json));
        Assert.Equal("ConnectionTypeFileInvalid", error.ErrorId);
        Assert.Contains(why, error.Message);
    }

    [Fact]
    public void A_connection_type_in_use_keeps_its_module()
    {
        var modules = new ModuleService(Runtime);
        var type = new ConnectionTypeDefinition("Api", new[] { new ConnectionFieldDefinition("Key", "System.String", true, false) });
        var first = modules.Import(new ModuleWrite("ApiTools", "1.0", null, new byte[] { 1 }, "aa", type));
        Assets.NewConnection("Prod", "Api", new Hashtable { ["Key"] = "k" }, null);
        Assert.Equal("ConnectionTypeExists", Refused(() => modules.Import(new ModuleWrite("Other", null, null, new byte[] { 2 }, "bb", type))).ErrorId);
        Assert.Equal("ModuleConnectionTypeInUse", Refused(() => modules.Import(new ModuleWrite("ApiTools", "2.0", null, new byte[] { 3 }, "cc", null))).ErrorId);
        Assert.Equal("ModuleConnectionTypeInUse", Refused(() => modules.Remove(first)).ErrorId);
        Assert.Equal(1, modules.Get("ApiTools").StoreVersion);
        Assert.Equal("ModuleNotFound", Refused(() => modules.Get("Other")).ErrorId); // refused: nothing was stored

        var second = modules.Import(new ModuleWrite("ApiTools", "2.0", null, new byte[] { 3 }, "cc", type));
        Assert.Equal(2, second.StoreVersion);
        Assert.Equal("Api", Assets.GetConnection("Prod").ConnectionTypeName);
        Assets.RemoveConnection("Prod");
        modules.Remove(second);
        Assert.DoesNotContain("Api", Assets.ListConnectionTypes().Select(t => t.Name));
        Assert.Equal(new[] { "Generic" }, Assets.ListConnectionTypes().Select(t => t.Name));
    }

    private string Zip(string name, params (string Path, string Text)[] files)
    {
        var path = Path.Combine(Temp.Folder, name);
        using var zip = ZipFile.Open(path, ZipArchiveMode.Create);
        foreach (var (entryPath, text) in files)
        {
            using var writer = new StreamWriter(zip.CreateEntry(entryPath).Open());
            writer.Write(text);
        }
        return path;
    }

    private static string[] Entries(byte[] content)
    {
        using var zip = new ZipArchive(new MemoryStream(content));
        return zip.Entries.Select(e => e.FullName).OrderBy(n => n, StringComparer.Ordinal).ToArray();
    }
}
