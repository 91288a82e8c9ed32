using System.Net;
using Sma.Engine.Services;
using static Sma.Server.Tests.Http;

namespace Sma.Server.Tests;

/// <summary>
/// The job and administration endpoints the module's remote cmdlets use: a job's history through its link, a job
/// deleted once it has ended (an administrator's change), the admin configuration (an operator reads it, an
/// administrator changes it) and the runbook workers (read only). Atom and JSON; refusals in OData's error shape.
/// </summary>
[Collection("server")]
public sealed class AdminEndpointTests
{
    private readonly ServerFixture _server;

    public AdminEndpointTests(ServerFixture server) => _server = server;

    [Fact]
    public async Task A_jobs_history_is_read_through_its_link_in_order_in_both_forms()
    {
        var runbook = _server.Runbook("Ad-History", "'one'; Write-Warning 'two'");
        var job = new JobService(_server.Runtime).Start(runbook, null, null, "admin");
        await WaitForJob(_server.Client(), _server.Root, job.JobId);
        var expected = new JobService(_server.Runtime).FullHistory(job.JobId).ToList();

        var (status, json, _) = await _server.Client("reader", json: true).GetJson($"{_server.Root}Jobs(guid'{job.JobId}')/JobHistory");
        Assert.Equal(HttpStatusCode.OK, status);
        var entries = json.GetProperty("d").GetProperty("results").EnumerateArray().ToList();
        Assert.Equal(expected.Select(r => r.RecordType), entries.Select(e => e.GetProperty("RecordType").GetString()));
        Assert.Equal(expected.Select(r => r.Text), entries.Select(e => e.GetProperty("Text").GetString()));
        Assert.Equal(Enumerable.Range(0, expected.Count), entries.Select(e => e.GetProperty("Position").GetInt32()));

        var (atomStatus, atom, _) = await _server.Client("reader").GetXml($"{_server.Root}Jobs(guid'{job.JobId}')/JobHistory");
        Assert.Equal(HttpStatusCode.OK, atomStatus);
        Assert.Equal(expected.Select(r => r.Status ?? ""), Entries(atom).Select(e => Properties(e)["Status"].Value));
        var (_, one, _) = await _server.Client("reader").GetXml($"{_server.Root}JobHistory(JobID=guid'{job.JobId}',Position=1)");
        Assert.Equal(expected[1].Text, Properties(one.Root!)["Text"].Value);

        AssertJsonError(HttpStatusCode.NotFound, "ResourceNotFound",
            await _server.Client(json: true).GetJson($"{_server.Root}Jobs(guid'0a0a0a0a-1111-2222-3333-444444444444')/JobHistory"));
        AssertXmlError(HttpStatusCode.BadRequest, "SetNotListable", await _server.Client().GetXml($"{_server.Root}JobHistory"));
    }

    [Fact]
    public async Task A_job_is_deleted_by_an_administrator_once_it_has_ended()
    {
        var jobs = new JobService(_server.Runtime);
        var runbook = _server.Runbook("Ad-Delete", "'bye'");
        var job = jobs.Start(runbook, null, null, "admin");
        await WaitForJob(_server.Client(), _server.Root, job.JobId);
        var url = $"{_server.Root}Jobs(guid'{job.JobId}')";

        AssertJsonError(HttpStatusCode.Forbidden, "AccessDenied", await _server.Client("operator", json: true).Json(HttpMethod.Delete, url));
        AssertXmlError(HttpStatusCode.Forbidden, "AccessDenied", await _server.Client("reader").Xml(HttpMethod.Delete, url));
        Assert.Equal(job.JobId, jobs.Get(job.JobId).JobId);

        Assert.Equal(HttpStatusCode.NoContent, (await _server.Client().Xml(HttpMethod.Delete, url)).Status);
        AssertJsonError(HttpStatusCode.NotFound, "ResourceNotFound", await _server.Client(json: true).Json(HttpMethod.Delete, url));
        Assert.Empty(jobs.Query(new Sma.Engine.Store.JobQuery { RunbookId = runbook.RunbookID }));

        // A job that has not ended stays: 409 with the engine's own error.
        var sleeper = jobs.Start(_server.Runbook("Ad-Sleeper", "Start-Sleep -Seconds 600"), null, null, "admin");
        try
        {
            AssertJsonError(HttpStatusCode.Conflict, "JobNotFinished",
                await _server.Client(json: true).Json(HttpMethod.Delete, $"{_server.Root}Jobs(guid'{sleeper.JobId}')"));
            Assert.Equal(sleeper.JobId, jobs.Get(sleeper.JobId).JobId);
        }
        finally
        {
            jobs.Stop(sleeper.JobId, "admin");
        }
    }

    [Fact]
    public async Task The_admin_configuration_is_read_by_an_operator_and_changed_by_an_administrator()
    {
        var settings = new AdminConfigurationService(_server.Runtime);
        var before = settings.Get();
        var url = $"{_server.Root}AdminConfigurations(guid'00000000-0000-0000-0000-000000000000')";
        try
        {
            var (status, json, _) = await _server.Client("operator", json: true).GetJson(url);
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.Equal(before.PurgeJobsOlderThanCountDays, json.GetProperty("d").GetProperty("PurgeJobsOlderThanCountDays").GetInt32());
            AssertXmlError(HttpStatusCode.Forbidden, "AccessDenied", await _server.Client("reader").GetXml(url));
            AssertJsonError(HttpStatusCode.Forbidden, "AccessDenied", await _server.Client("operator", json: true).Json(HttpMethod.Put, url, "{\"PurgeJobsOlderThanCountDays\":9}"));
            Assert.Equal(before.PurgeJobsOlderThanCountDays, settings.Get().PurgeJobsOlderThanCountDays);

            Assert.Equal(HttpStatusCode.NoContent, (await _server.Client(json: true).Json(HttpMethod.Put, url, "{\"PurgeJobsOlderThanCountDays\":9}")).Status);
            Assert.Equal(9, settings.Get().PurgeJobsOlderThanCountDays);
            var atom = "<entry xmlns=\"http://www.w3.org/2005/Atom\" xmlns:d=\"http://schemas.microsoft.com/ado/2007/08/dataservices\" "
                + "xmlns:m=\"http://schemas.microsoft.com/ado/2007/08/dataservices/metadata\"><content type=\"application/xml\"><m:properties>"
                + "<d:MaxJobRecords>777</d:MaxJobRecords></m:properties></content></entry>";
            Assert.Equal(HttpStatusCode.NoContent, (await _server.Client().Xml(HttpMethod.Put, url, atom, "application/atom+xml")).Status);
            Assert.Equal(777, settings.Get().MaxJobRecords);

            // Bad values change nothing.
            AssertJsonError(HttpStatusCode.BadRequest, "InvalidAdminConfigurationValue", await _server.Client(json: true).Json(HttpMethod.Put, url, "{\"PurgeJobsOlderThanCountDays\":0,\"MaxJobRecords\":5}"));
            AssertJsonError(HttpStatusCode.BadRequest, "InvalidPropertyValue", await _server.Client(json: true).Json(HttpMethod.Put, url, "{\"MaxJobRecords\":\"lots\"}"));
            AssertXmlError(HttpStatusCode.BadRequest, "NoAdminSettingGiven", await _server.Client().Xml(HttpMethod.Put, url, "{\"Other\":1}"));
            AssertJsonError(HttpStatusCode.BadRequest, "PropertyNotWritable", await _server.Client(json: true).Json(HttpMethod.Put, url, "{\"StorePath\":\"/elsewhere.db\"}"));
            Assert.Equal(9, settings.Get().PurgeJobsOlderThanCountDays);
            Assert.Equal(777, settings.Get().MaxJobRecords);
        }
        finally
        {
            settings.Set(before.PurgeJobsOlderThanCountDays, before.MaxJobRecords);
        }
    }

    [Fact]
    public async Task The_runbook_workers_are_listed_read_only()
    {
        // A job run makes sure the server's worker has registered.
        var job = new JobService(_server.Runtime).Start(_server.Runbook("Ad-Workers", "'w'"), null, null, "admin");
        await WaitForJob(_server.Client(), _server.Root, job.JobId);
        var expected = new WorkerService(_server.Runtime).List();
        var (status, json, _) = await _server.Client("reader", json: true).GetJson($"{_server.Root}RunbookWorkers");
        Assert.Equal(HttpStatusCode.OK, status);
        var names = json.GetProperty("d").GetProperty("results").EnumerateArray().Select(e => e.GetProperty("Name").GetString()).Order().ToList();
        Assert.Equal(expected.Select(w => w.Name).Order(), names);
        Assert.NotEmpty(names);

        var (atomStatus, atom, _) = await _server.Client("reader").GetXml($"{_server.Root}RunbookWorkers");
        Assert.Equal(HttpStatusCode.OK, atomStatus);
        Assert.All(Entries(atom), e => Assert.False(string.IsNullOrEmpty(Properties(e)["LastHeartbeat"].Value)));
        AssertJsonError(HttpStatusCode.MethodNotAllowed, "MethodNotAllowed",
            await _server.Client(json: true).Json(HttpMethod.Post, $"{_server.Root}RunbookWorkers", "{\"Name\":\"x\"}"));
        var key = expected[0].IncarnationId.Replace("'", "''");
        AssertJsonError(HttpStatusCode.MethodNotAllowed, "MethodNotAllowed",
            await _server.Client(json: true).Json(HttpMethod.Delete, $"{_server.Root}RunbookWorkers('{key}')"));
    }

    [Fact]
    public async Task A_runbook_is_linked_to_a_schedule_with_typed_values_and_unlinked_by_an_administrator()
    {
        var runbook = _server.Runbook("Ad-Linked", "param([int] $Count, [string] $Name) \"$Name x$Count\"");
        var schedules = new ScheduleService(_server.Runtime);
        schedules.Create("Ad-Nightly", schedules.Define(new Sma.Engine.Scheduling.ScheduleRequest
        {
            Name = "Ad-Nightly", Type = Sma.Engine.Model.ScheduleType.CronSchedule, Cron = "0 2 * * *", TimeZone = "UTC",
        }), null);
        var url = _server.Root + "JobSchedules";
        var body = $"{{\"RunbookID\":\"{runbook.RunbookID}\",\"ScheduleName\":\"Ad-Nightly\",\"Parameters\":{{\"Count\":\"3\",\"Name\":\"n\"}}}}";

        AssertJsonError(HttpStatusCode.Forbidden, "AccessDenied", await _server.Client("operator", json: true).Json(HttpMethod.Post, url, body));
        Assert.Empty(schedules.Links("Ad-Linked", null));

        var (status, created, _) = await _server.Client(json: true).Json(HttpMethod.Post, url, body);
        Assert.Equal(HttpStatusCode.Created, status);
        var link = Assert.Single(schedules.Links("Ad-Linked", null));
        Assert.Equal(3, link.Parameters["Count"]);
        Assert.Equal("{\"Count\":3,\"Name\":\"n\"}", created.GetProperty("d").GetProperty("Parameters").GetString());

        var (atomStatus, atom, _) = await _server.Client("reader").GetXml($"{url}(guid'{link.JobScheduleId}')");
        Assert.Equal(HttpStatusCode.OK, atomStatus);
        Assert.Equal("Ad-Nightly", Properties(atom.Root!)["ScheduleName"].Value);

        // Bad requests: no link.
        AssertJsonError(HttpStatusCode.Conflict, "RunbookAlreadyScheduled", await _server.Client(json: true).Json(HttpMethod.Post, url, body));
        schedules.Unlink("Ad-Linked", "Ad-Nightly");
        AssertJsonError(HttpStatusCode.BadRequest, "InvalidParameterValue", await _server.Client(json: true).Json(HttpMethod.Post, url,
            body.Replace("\"3\"", "\"three\"")));
        AssertXmlError(HttpStatusCode.BadRequest, "UnknownParameter", await _server.Client().Xml(HttpMethod.Post, url,
            body.Replace("\"Name\":", "\"Colour\":")));
        AssertJsonError(HttpStatusCode.NotFound, "ScheduleNotFound", await _server.Client(json: true).Json(HttpMethod.Post, url,
            body.Replace("Ad-Nightly", "Ad-Nothing")));
        AssertJsonError(HttpStatusCode.BadRequest, "InvalidRequestBody", await _server.Client(json: true).Json(HttpMethod.Post, url,
            body.Replace("{\"Count\":\"3\",\"Name\":\"n\"}", "\"[oops\"")));
        Assert.Empty(schedules.Links("Ad-Linked", null));

        // DELETE by an administrator only.
        var again = schedules.LinkWithText(runbook, "Ad-Nightly", Array.Empty<KeyValuePair<string, string?>>());
        var entry = $"{url}(guid'{again.JobScheduleId}')";
        AssertXmlError(HttpStatusCode.Forbidden, "AccessDenied", await _server.Client("reader").Xml(HttpMethod.Delete, entry));
        Assert.Single(schedules.Links("Ad-Linked", null));
        Assert.Equal(HttpStatusCode.NoContent, (await _server.Client().Xml(HttpMethod.Delete, entry)).Status);
        Assert.Empty(schedules.Links("Ad-Linked", null));
        AssertJsonError(HttpStatusCode.NotFound, "ResourceNotFound", await _server.Client(json: true).Json(HttpMethod.Delete, entry));
    }

    [Fact]
    public async Task The_job_summary_counts_status_changes_per_slice_for_a_reader()
    {
        var runbook = _server.Runbook("Ad-Summary", "'s'");
        var job = new JobService(_server.Runtime).Start(runbook, null, null, "admin");
        await WaitForJob(_server.Client(), _server.Root, job.JobId);
        var now = DateTime.UtcNow;
        var expected = new DashboardService(_server.Runtime).Summarize(SummaryRange.LastHours(3, now), "Ad-Summary");
        var at = $"datetime'{now:yyyy-MM-ddTHH:mm:ss}Z'";

        var (status, json, _) = await _server.Client("reader", json: true).GetJson(
            $"{_server.Root}JobSummaries/Summarize?hours=3&runbookName='Ad-Summary'&now={at}");
        Assert.Equal(HttpStatusCode.OK, status);
        var rows = json.GetProperty("d").GetProperty("results").EnumerateArray().ToList();
        Assert.Equal(3, rows.Count);
        Assert.Equal(expected.Select(r => r.Completed), rows.Select(r => r.GetProperty("Completed").GetInt32()));
        Assert.True(rows.Sum(r => r.GetProperty("Completed").GetInt32()) >= 1);

        var (atomStatus, atom, _) = await _server.Client("reader").GetXml($"{_server.Root}JobSummaries/Summarize?days=2&now={at}");
        Assert.Equal(HttpStatusCode.OK, atomStatus);
        Assert.Equal(2, Entries(atom).Count());

        AssertJsonError(HttpStatusCode.BadRequest, "InvalidParameter", await _server.Client(json: true).GetJson($"{_server.Root}JobSummaries/Summarize?hours=0"));
        AssertXmlError(HttpStatusCode.BadRequest, "InvalidParameter", await _server.Client().GetXml($"{_server.Root}JobSummaries/Summarize?hours=2&days=2"));
        AssertJsonError(HttpStatusCode.NotFound, "RunbookNotFound",
            await _server.Client(json: true).GetJson($"{_server.Root}JobSummaries/Summarize?runbookName='Ad-Nothing'"));
        AssertJsonError(HttpStatusCode.BadRequest, "SetNotListable", await _server.Client(json: true).GetJson($"{_server.Root}JobSummaries"));
    }
}
