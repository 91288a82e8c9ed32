using Sma.Engine.Model;
using Sma.Engine.Services;
using Sma.Engine.Store;
using Xunit;

namespace Sma.Engine.Tests;

/// <summary>The two vocabularies of job statuses (DESIGN §4.3) and the runbook name rule.</summary>
public class NamesTests
{
    [Theory]
    [InlineData(JobStatus.Queued, "New")]
    [InlineData(JobStatus.Starting, "Activating")]
    [InlineData(JobStatus.Running, "Running")]
    [InlineData(JobStatus.Completed, "Completed")]
    [InlineData(JobStatus.Failed, "Failed")]
    [InlineData(JobStatus.Stopping, "Stopping")]
    [InlineData(JobStatus.Stopped, "Stopped")]
    [InlineData(JobStatus.Suspending, "Suspending")]
    [InlineData(JobStatus.Suspended, "Suspended")]
    [InlineData(JobStatus.Resuming, "Resuming")]
    public void Service_names_are_SMA_s_and_both_vocabularies_parse(JobStatus status, string serviceName)
    {
        Assert.Equal(serviceName, JobStatusNames.ServiceName(status));
        Assert.Equal(status, JobStatusNames.Parse(serviceName.ToUpperInvariant()));
        Assert.Equal(status, JobStatusNames.Parse(status.ToString().ToLowerInvariant()));
        var job = new Job { State = status };
        Assert.Equal(serviceName, job.JobStatus);
        Assert.Equal(status.ToString(), job.Status);
    }

    [Theory]
    [InlineData("")]
    [InlineData("3")]
    [InlineData("Queued,Running")]
    [InlineData("Blocked")]
    public void Anything_else_is_not_a_status(string name) => Assert.False(JobStatusNames.TryParse(name, out _));

    [Theory]
    [InlineData("Deploy-App_2")]
    [InlineData("Überprüfung")]
    [InlineData("Проверка-диска")]
    [InlineData("備份")]
    [InlineData("Café")]
    public void Runbook_names_may_use_letters_of_any_language(string name) => RunbookSource.CheckName(name);

    [Theory]
    [InlineData("Bob's")]
    [InlineData("two words")]
    [InlineData("a/b")]
    [InlineData("a\\b")]
    [InlineData("1st")]
    [InlineData("-x")]
    [InlineData("quote\"d")]
    [InlineData("Name\n")]
    [InlineData("x.ps1")]
    public void Quotes_spaces_and_path_characters_are_refused(string name) =>
        Assert.Equal("InvalidRunbookName", Assert.Throws<SmaException>(() => RunbookSource.CheckName(name)).ErrorId);

    [Fact]
    public void Names_beyond_ASCII_are_found_and_kept_unique_in_any_case()
    {
        using var temp = new TempStore();
        using var store = temp.Open();
        var created = store.CreateRunbook(new NewRunbook("Überprüfung", RunbookType.Script, "'x'", null, null, Publish: true));
        Assert.Equal(created.RunbookID, store.FindRunbook("überPRÜFUNG")!.RunbookID);
        Assert.Equal("RunbookAlreadyExists", Assert.Throws<SmaException>(() =>
            store.CreateRunbook(new NewRunbook("ÜBERPRÜFUNG", RunbookType.Script, "'y'", null, null, Publish: true))).ErrorId);
        Assert.Null(store.FindRunbook("Uberprufung"));
    }
}
