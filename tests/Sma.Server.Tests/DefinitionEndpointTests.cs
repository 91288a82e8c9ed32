using System.Net;
using Sma.Engine.Model;
using Sma.Engine.Scheduling;
using Sma.Engine.Services;
using Sma.Engine.Store;
using static Sma.Server.Tests.Http;

namespace Sma.Server.Tests;

/// <summary>
/// What Get-SmaRunbookDefinition -Translated and -Children and Get-SmaScheduleHistory read through the service: a
/// version's translated text (RunbookVersions(guid'…')/GetTranslatedContent), a job's pinned child versions in the
/// order they were resolved (Jobs(guid'…')/ChildRunbooks) and the schedule occurrences (ScheduleOccurrences/GetHistory).
/// Atom and JSON; a reader may read them; unknown ids and bad arguments are OData errors.
/// </summary>
[Collection("server")]
public sealed class DefinitionEndpointTests
{
    private const string Unknown = "0a0a0a0a-1111-2222-3333-444444444444";
    private readonly ServerFixture _server;

    public DefinitionEndpointTests(ServerFixture server) => _server = server;

    [Fact]
    public async Task A_workflow_versions_translation_is_read_in_both_forms_and_a_scripts_is_its_source()
    {
        var runbooks = new RunbookService(_server.Runtime);
        var workflow = runbooks.Find("Def-Flow") ?? runbooks.Create("Def-Flow",
            "workflow Def-Flow {\n    param([string] $Name)\n    Checkpoint-Workflow\n    \"hi $Name\"\n}\n", null, null, null, publish: true);
        var expected = runbooks.GetDefinition(workflow.PublishedRunbookVersionID!.Value, translated: true).Content;
        Assert.NotEqual(runbooks.GetDefinition(workflow.PublishedRunbookVersionID!.Value).Content, expected);
        var url = $"{_server.Root}RunbookVersions(guid'{workflow.PublishedRunbookVersionID}')/GetTranslatedContent";

        var (status, json, _) = await _server.Client("reader", json: true).GetJson(url);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(expected, json.GetProperty("d").GetProperty("GetTranslatedContent").GetString());
        var (atomStatus, xml, _) = await _server.Client("reader").GetXml(url);
        Assert.Equal(HttpStatusCode.OK, atomStatus);
        Assert.Equal(expected, xml.Root!.Value.Replace("\r\n", "\n"));
        Assert.Equal("GetTranslatedContent", xml.Root.Name.LocalName);

        var script = _server.Runbook("Def-Script", "'plain'");
        var (_, plain, _) = await _server.Client("reader", json: true).GetJson(
            $"{_server.Root}RunbookVersions(guid'{script.PublishedRunbookVersionID}')/GetTranslatedContent");
        Assert.Equal("'plain'", plain.GetProperty("d").GetProperty("GetTranslatedContent").GetString());

        var (_, metadata, _) = await _server.Client("reader").GetXml($"{_server.Root}$metadata");
        Assert.Contains(metadata.Descendants().Where(e => e.Name.LocalName == "FunctionImport"),
            f => (string?)f.Attribute("Name") == "GetTranslatedContent" && (string?)f.Attribute("IsBindable") == "true");
    }

    [Fact]
    public async Task The_translation_refuses_an_unknown_version_and_a_write()
    {
        AssertJsonError(HttpStatusCode.NotFound, "ResourceNotFound",
            await _server.Client(json: true).GetJson($"{_server.Root}RunbookVersions(guid'{Unknown}')/GetTranslatedContent"));
        AssertXmlError(HttpStatusCode.NotFound, "ResourceNotFound",
            await _server.Client().GetXml($"{_server.Root}RunbookVersions(guid'{Unknown}')/GetTranslatedContent"));
        var script = _server.Runbook("Def-Script", "'plain'");
        AssertJsonError(HttpStatusCode.MethodNotAllowed, "MethodNotAllowed", await _server.Client("reader", json: true).Json(HttpMethod.Post,
            $"{_server.Root}RunbookVersions(guid'{script.PublishedRunbookVersionID}')/GetTranslatedContent", "{}"));
        // A set function is not a bound one: without a key it is no resource.
        AssertXmlError(HttpStatusCode.NotFound, "ResourceNotFound", await _server.Client().GetXml($"{_server.Root}RunbookVersions/GetTranslatedContent"));
    }

    [Fact]
    public async Task A_jobs_child_runbooks_are_read_in_resolution_order_in_both_forms()
    {
        var kid2 = _server.Runbook("Def-Kid2", "'kid2'");
        var kid1 = _server.Runbook("Def-Kid1", "Def-Kid2; 'kid1'");
        var top = _server.Runbook("Def-Top", "Def-Kid1; 'top'");
        var job = new JobService(_server.Runtime).Start(top, null, null, "admin");
        await WaitForJob(_server.Client(), _server.Root, job.JobId);
        var expected = new RunbookService(_server.Runtime).GetChildDefinitions(job.JobId);
        Assert.Equal(2, expected.Count);
        var url = $"{_server.Root}Jobs(guid'{job.JobId}')/ChildRunbooks";

        var (status, json, _) = await _server.Client("reader", json: true).GetJson(url + "?$expand=RunbookVersion");
        Assert.Equal(HttpStatusCode.OK, status);
        var entries = json.GetProperty("d").GetProperty("results").EnumerateArray().ToList();
        Assert.Equal(expected.Select(d => d.RunbookName), entries.Select(e => e.GetProperty("RunbookName").GetString()));
        Assert.Equal(expected.Select(d => d.RunbookVersion.RunbookVersionID.ToString()), entries.Select(e => e.GetProperty("RunbookVersionID").GetString()));
        Assert.Equal(new[] { 0, 1 }, entries.Select(e => e.GetProperty("Position").GetInt32()));
        Assert.Equal(kid1.PublishedRunbookVersionID.ToString(),
            entries[0].GetProperty("RunbookVersion").GetProperty("RunbookVersionID").GetString());

        var (atomStatus, atom, _) = await _server.Client("reader").GetXml(url);
        Assert.Equal(HttpStatusCode.OK, atomStatus);
        Assert.Equal(new[] { kid1.PublishedRunbookVersionID.ToString(), kid2.PublishedRunbookVersionID.ToString() },
            Entries(atom).Select(e => Properties(e)["RunbookVersionID"].Value));

        // Each child links to its version, whose media is the source the job ran.
        var (_, one, _) = await _server.Client("reader").GetXml($"{_server.Root}JobChildRunbooks(JobID=guid'{job.JobId}',Position=1)");
        Assert.Equal("Def-Kid2", Properties(one.Root!)["RunbookName"].Value);
        var source = await _server.Client("reader").GetStringAsync($"{_server.Root}JobChildRunbooks(JobID=guid'{job.JobId}',Position=1)/RunbookVersion/$value");
        Assert.Equal("'kid2'", source);
    }

    [Fact]
    public async Task Child_runbooks_of_an_unknown_job_or_the_set_itself_are_refused()
    {
        AssertJsonError(HttpStatusCode.NotFound, "ResourceNotFound",
            await _server.Client("reader", json: true).GetJson($"{_server.Root}Jobs(guid'{Unknown}')/ChildRunbooks"));
        AssertXmlError(HttpStatusCode.NotFound, "ResourceNotFound",
            await _server.Client("reader").GetXml($"{_server.Root}JobChildRunbooks(JobID=guid'{Unknown}',Position=0)"));
        AssertXmlError(HttpStatusCode.BadRequest, "SetNotListable", await _server.Client().GetXml($"{_server.Root}JobChildRunbooks"));
        var plain = new JobService(_server.Runtime).Start(_server.Runbook("Def-Alone", "'alone'"), null, null, "admin");
        await WaitForJob(_server.Client(), _server.Root, plain.JobId);
        var (_, none, _) = await _server.Client(json: true).GetJson($"{_server.Root}Jobs(guid'{plain.JobId}')/ChildRunbooks");
        Assert.Empty(none.GetProperty("d").GetProperty("results").EnumerateArray());
        AssertJsonError(HttpStatusCode.MethodNotAllowed, "MethodNotAllowed",
            await _server.Client("reader", json: true).Json(HttpMethod.Post, $"{_server.Root}Jobs(guid'{plain.JobId}')/ChildRunbooks", "{}"));
    }

    [Fact]
    public async Task Schedule_history_is_read_newest_first_in_both_forms_and_narrowed_by_name()
    {
        var schedules = new ScheduleService(_server.Runtime);
        var runbook = _server.Runbook("Def-Scheduled", "'tick'");
        var due = DateTime.UtcNow.AddHours(3);
        due = new DateTime(due.Ticks - due.Ticks % TimeSpan.TicksPerSecond, DateTimeKind.Utc);
        if (schedules.Find("Def-Once") is null)
        {
            schedules.Create("Def-Once", schedules.Define(new ScheduleRequest
            {
                Name = "Def-Once", Type = ScheduleType.OneTimeSchedule, StartTime = due, TimeZone = "UTC",
            }), null);
            var link = schedules.Link(runbook, "Def-Once", null, null);
            // What a worker records for an occurrence it found too late to run (the store's own write).
            Assert.True(_server.Runtime.Store.RecordSkipped(new SkippedOccurrences(link.JobScheduleId, link.NextRun!.Value, null,
                OccurrenceOutcome.Missed, link.NextRun.Value, link.NextRun.Value, 1, "test-worker", "no worker was running")));
        }
        var expected = schedules.History("Def-Once", null, 100);
        var missed = Assert.Single(expected);

        var url = $"{_server.Root}ScheduleOccurrences/GetHistory?scheduleName='Def-Once'";
        var (status, json, _) = await _server.Client("reader", json: true).GetJson(url);
        Assert.Equal(HttpStatusCode.OK, status);
        var entry = Assert.Single(json.GetProperty("d").GetProperty("results").EnumerateArray());
        Assert.Equal(("Def-Once", "Def-Scheduled", "Missed", "test-worker", "1"),
            (entry.GetProperty("ScheduleName").GetString(), entry.GetProperty("RunbookName").GetString(), entry.GetProperty("Outcome").GetString(),
                entry.GetProperty("Worker").GetString(), entry.GetProperty("Count").GetString()));
        Assert.Equal(JsonValueKindNull, entry.GetProperty("JobID").ValueKind);

        var (atomStatus, atom, _) = await _server.Client("reader").GetXml(url + "&runbookName='Def-Scheduled'&first=5");
        Assert.Equal(HttpStatusCode.OK, atomStatus);
        var properties = Properties(Assert.Single(Entries(atom)));
        Assert.Equal(missed.OccurrenceTime, DateTime.Parse(properties["OccurrenceTime"].Value, null, System.Globalization.DateTimeStyles.AssumeUniversal | System.Globalization.DateTimeStyles.AdjustToUniversal));
        Assert.Equal(missed.Details, properties["Details"].Value);

        var (_, metadata, _) = await _server.Client("reader").GetXml($"{_server.Root}$metadata");
        var function = metadata.Descendants().Single(e => e.Name.LocalName == "FunctionImport" && (string?)e.Attribute("Name") == "GetHistory");
        Assert.Equal(new[] { "scheduleName", "runbookName", "first" },
            function.Elements().Where(e => e.Name.LocalName == "Parameter").Select(e => (string?)e.Attribute("Name")));

        // Every schedule's history (no names), at most first rows.
        var (_, all, _) = await _server.Client("reader", json: true).GetJson($"{_server.Root}ScheduleOccurrences/GetHistory?first=1");
        Assert.Single(all.GetProperty("d").GetProperty("results").EnumerateArray());
    }

    private const System.Text.Json.JsonValueKind JsonValueKindNull = System.Text.Json.JsonValueKind.Null;

    [Fact]
    public async Task Schedule_history_refuses_unknown_names_and_bad_arguments()
    {
        AssertJsonError(HttpStatusCode.NotFound, "ScheduleNotFound",
            await _server.Client("reader", json: true).GetJson($"{_server.Root}ScheduleOccurrences/GetHistory?scheduleName='Def-NoSuch'"));
        AssertXmlError(HttpStatusCode.NotFound, "RunbookNotFound",
            await _server.Client("reader").GetXml($"{_server.Root}ScheduleOccurrences/GetHistory?runbookName='Def-NoSuch'"));
        AssertJsonError(HttpStatusCode.BadRequest, "InvalidParameter",
            await _server.Client(json: true).GetJson($"{_server.Root}ScheduleOccurrences/GetHistory?first=0"));
        AssertXmlError(HttpStatusCode.BadRequest, "InvalidParameter",
            await _server.Client().GetXml($"{_server.Root}ScheduleOccurrences/GetHistory?first=many"));
        AssertXmlError(HttpStatusCode.BadRequest, "SetNotListable", await _server.Client().GetXml($"{_server.Root}ScheduleOccurrences"));
        AssertJsonError(HttpStatusCode.MethodNotAllowed, "MethodNotAllowed",
            await _server.Client(json: true).Json(HttpMethod.Post, $"{_server.Root}ScheduleOccurrences/GetHistory", "{}"));
    }
}
