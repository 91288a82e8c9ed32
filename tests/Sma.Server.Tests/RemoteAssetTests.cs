using System.Collections;
using System.Net;
using System.Text.Json;
using Sma.Engine.Model;
using Sma.Engine.Scheduling;
using Sma.Engine.Services;
using static Sma.Server.Tests.Http;

namespace Sma.Server.Tests;

/// <summary>
/// What the module's remote asset and catalog cmdlets read and change through the service: variables deleted by their
/// key (an administrator's change, as creating and setting them is), connections with their field values (encrypted
/// ones never shown), schedules and runbook versions with everything the local objects carry.
/// </summary>
[Collection("server")]
public sealed class RemoteAssetTests
{
    private readonly ServerFixture _server;

    public RemoteAssetTests(ServerFixture server) => _server = server;

    [Fact]
    public async Task A_variable_is_deleted_by_an_administrator_only_and_a_missing_one_is_404()
    {
        var assets = new AssetService(_server.Runtime);
        var variable = assets.SetVariable("Web-Doomed", "bye", null, false, force: false);
        var url = $"{_server.Root}Variables(guid'{variable.VariableID}')";

        AssertJsonError(HttpStatusCode.Forbidden, "AccessDenied", await _server.Client("operator", json: true).Json(HttpMethod.Delete, url));
        AssertXmlError(HttpStatusCode.Forbidden, "AccessDenied", await _server.Client("reader").Xml(HttpMethod.Delete, url));
        Assert.Contains(assets.ListVariables(), v => v.Name == "Web-Doomed");

        Assert.Equal(HttpStatusCode.NoContent, (await _server.Client().Xml(HttpMethod.Delete, url)).Status);
        Assert.DoesNotContain(assets.ListVariables(), v => v.Name == "Web-Doomed");
        AssertJsonError(HttpStatusCode.NotFound, "ResourceNotFound", await _server.Client(json: true).Json(HttpMethod.Delete, url));
    }

    [Fact]
    public async Task A_connection_expands_its_field_values_in_order_with_an_encrypted_one_masked()
    {
        var assets = new AssetService(_server.Runtime);
        var connection = assets.NewConnection("Web-Conn", "Generic",
            new Hashtable { ["ComputerName"] = "db01", ["Port"] = 1433, ["Password"] = "never-shown-pw" }, "the db");
        using var client = _server.Client("operator", json: true);

        var (status, json, _) = await client.GetJson($"{_server.Root}Connections?$filter=Name eq 'Web-Conn'&$expand=ConnectionFieldValues");
        Assert.Equal(HttpStatusCode.OK, status);
        var entry = Assert.Single(json.GetProperty("d").GetProperty("results").EnumerateArray());
        var fields = entry.GetProperty("ConnectionFieldValues").GetProperty("results").EnumerateArray().ToList();
        Assert.Equal(new[] { "ComputerName", "Port", "Uri", "UserName", "Password" }, fields.Select(f => f.GetProperty("ConnectionFieldName").GetString()));
        var port = fields[1];
        Assert.Equal("1433", port.GetProperty("Value").GetString());
        Assert.Equal("System.Int32", port.GetProperty("Type").GetString());
        Assert.Equal(JsonValueKind.Null, fields[2].GetProperty("Value").ValueKind);
        Assert.True(fields[4].GetProperty("IsEncrypted").GetBoolean());
        Assert.Equal(SmaConnection.Masked, fields[4].GetProperty("Value").GetString());

        // Read through the link and by key, in Atom too: never the secret.
        var link = await client.GetStringAsync($"{_server.Root}Connections(guid'{connection.ConnectionID}')/ConnectionFieldValues");
        var byKey = await _server.Client("operator").GetStringAsync($"{_server.Root}ConnectionFieldValues(ConnectionName='Web-Conn',ConnectionFieldName='Password')");
        Assert.Contains("db01", link);
        Assert.Contains(SmaConnection.Masked, byKey);
        foreach (var text in new[] { json.GetRawText(), link, byKey })
            Assert.DoesNotContain("never-shown-pw", text);

        // Field values are an operator's to read, as connections are; and only through a connection.
        AssertXmlError(HttpStatusCode.Forbidden, "AccessDenied",
            await _server.Client("reader").GetXml($"{_server.Root}Connections(guid'{connection.ConnectionID}')/ConnectionFieldValues"));
        AssertJsonError(HttpStatusCode.BadRequest, "SetNotListable", await client.GetJson($"{_server.Root}ConnectionFieldValues"));
    }

    [Fact]
    public async Task A_schedule_carries_its_recurrence_days_and_whether_it_expired()
    {
        var schedules = new ScheduleService(_server.Runtime);
        var request = new ScheduleRequest
        {
            Name = "Web-Weekly",
            Type = ScheduleType.WeeklySchedule,
            StartTime = DateTime.UtcNow.AddDays(1),
            DaysOfWeek = new[] { DayOfWeek.Monday, DayOfWeek.Friday },
            TimeZone = "UTC",
        };
        var created = schedules.Create("Web-Weekly", schedules.Define(request), "weekly");
        var (_, json, _) = await _server.Client(json: true).GetJson($"{_server.Root}Schedules(guid'{created.ScheduleID}')");
        var d = json.GetProperty("d");
        Assert.Equal("WeeklySchedule", d.GetProperty("ScheduleType").GetString());
        Assert.Equal("Monday,Friday", d.GetProperty("DaysOfWeek").GetString());
        Assert.Equal(created.Recurrence, d.GetProperty("Recurrence").GetString());
        Assert.False(d.GetProperty("IsExpired").GetBoolean());
    }

    [Fact]
    public async Task A_runbook_version_names_its_runbook_also_after_the_runbook_is_removed()
    {
        var runbooks = new RunbookService(_server.Runtime);
        var runbook = runbooks.Create("Web-Versioned", "'v1'", RunbookType.Script, null, null, publish: true);
        var versionId = runbook.PublishedRunbookVersionID!.Value;
        var job = new JobService(_server.Runtime).Start(runbook, null, null, "admin"); // keeps the version after removal
        await WaitForJob(_server.Client(), _server.Root, job.JobId);
        runbooks.Remove(runbook);

        using var client = _server.Client(json: true);
        var (status, json, _) = await client.GetJson($"{_server.Root}RunbookVersions(guid'{versionId}')");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("Web-Versioned", json.GetProperty("d").GetProperty("RunbookName").GetString());
        Assert.Equal("'v1'", await client.GetStringAsync($"{_server.Root}RunbookVersions(guid'{versionId}')/$value"));
        var (_, list, _) = await client.GetJson($"{_server.Root}RunbookVersions?$filter=RunbookVersionID eq guid'{versionId}'");
        Assert.Equal("Web-Versioned", list.GetProperty("d").GetProperty("results")[0].GetProperty("RunbookName").GetString());
    }
}
