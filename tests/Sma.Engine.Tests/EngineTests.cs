using System.Collections;
using Sma.Engine.Model;
using Sma.Engine.Services;
using Sma.Engine.Store;
using Xunit;

namespace Sma.Engine.Tests;

public class EngineTests : RuntimeTestBase
{
    private Job Run(string name, string source, IDictionary? parameters = null)
    {
        var job = Jobs.Start(Import(name, source), parameters, Temp.Folder);
        return Wait(job.JobId);
    }

    private Job WaitFor(Guid id, string status)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (DateTime.UtcNow < deadline)
        {
            var job = Jobs.Get(id);
            if (job.JobStatus == status)
                return job;
            Thread.Sleep(20);
        }
        throw new TimeoutException($"job {id} never reached {status}; it is {Jobs.Get(id).JobStatus}");
    }

    private List<JobStreamRecord> Output(Guid id, StreamType? type = null) => Jobs.Output(id, type, null).ToList();

    [Fact]
    public void A_job_runs_to_Completed_and_records_output_in_order_with_utc_times()
    {
        var job = Run("Counter", "1..5 | ForEach-Object { \"line $_\" }; Get-Date | Out-Null");
        Assert.Equal("Completed", job.JobStatus);
        var output = Output(job.JobId, StreamType.Output);
        Assert.Equal(Enumerable.Range(1, 5).Select(i => $"line {i}"), output.Select(o => o.StreamText));
        Assert.Equal(Enumerable.Range(1, 5).Select(i => (long)i), output.Select(o => o.StreamRecordId));
        Assert.All(output, o => Assert.Equal(DateTimeKind.Utc, o.StreamTime.Kind));
        Assert.True(output.Zip(output.Skip(1)).All(p => p.First.StreamTime <= p.Second.StreamTime));
        Assert.Equal(new[] { "Queued", "Starting", "Running", "Completed" }, Jobs.History(job.JobId).Select(h => h.ToStatus));
    }

    [Fact]
    public void Records_of_all_kinds_keep_the_order_they_were_written_in()
    {
        var job = Run("Mixed", "'o1'; Write-Warning 'w1'; Write-Error 'e1'; Write-Information 'i1'; Write-Host 'h1'; 'o2'");
        Assert.Equal("Completed", job.JobStatus);
        Assert.Equal(1, job.ErrorCount);
        Assert.Equal(1, job.WarningCount);
        var all = Output(job.JobId);
        Assert.Equal(new[] { "Output", "Warning", "Error", "Information", "Information", "Output" }, all.Select(r => r.StreamTypeName));
        Assert.Equal(new[] { "o1", "w1" }, all.Take(2).Select(r => r.StreamText));
        Assert.StartsWith("e1", all[2].StreamText);
        Assert.Equal(new[] { "i1", "h1", "o2" }, all.Skip(3).Select(r => r.StreamText));
    }

    [Fact]
    public void Output_objects_come_back_as_objects()
    {
        var job = Run("Objects", "[pscustomobject]@{ Name = 'a'; Size = 42 }; 7");
        var output = Output(job.JobId, StreamType.Output);
        dynamic first = output[0].Value!;
        Assert.Equal("a", (string)first.Name);
        Assert.Equal(42, (int)first.Size);
        Assert.Equal(7, output[1].Value);
    }

    [Fact]
    public void Parameters_are_checked_stored_and_bound_by_value()
    {
        var runbook = Import("Params", "param([Parameter(Mandatory)][string]$Name, [int]$Count = 1, [hashtable]$Options) \"$Name x$Count $($Options.Color)\"");
        var job = Jobs.Start(runbook, new Hashtable { ["name"] = "Ann", ["Count"] = "3", ["Options"] = new Hashtable { ["Color"] = "red" } }, null);
        Assert.Equal(new[] { "Name", "Count", "Options" }, job.JobParameters.Keys.Cast<string>());
        Assert.Equal("Ann", job.JobParameters["NAME"]);
        job = Wait(job.JobId);
        Assert.Equal("Completed", job.JobStatus);
        Assert.Equal("Ann x3 red", Assert.Single(Output(job.JobId)).StreamText);
    }

    [Theory]
    [InlineData("Unknown", "UnknownParameter")]
    [InlineData("Missing", "MissingMandatoryParameter")]
    [InlineData("BadType", "InvalidParameterValue")]
    public void Bad_parameters_create_no_job(string kind, string errorId)
    {
        var runbook = Import("Strict" + kind, "param([Parameter(Mandatory)][int]$Count) $Count");
        var parameters = kind switch
        {
            "Unknown" => new Hashtable { ["Count"] = 1, ["Extra"] = 2 },
            "Missing" => new Hashtable(),
            _ => new Hashtable { ["Count"] = "twelve" },
        };
        var error = Assert.Throws<SmaException>(() => Jobs.Start(runbook, parameters, null));
        Assert.Equal(errorId, error.ErrorId);
        Assert.Empty(Jobs.Query(new JobQuery()));
    }

    [Fact]
    public void A_terminating_error_fails_a_script_job_with_details()
    {
        var job = Run("Thrower", "'before'\nthrow 'boom'\n'after'");
        Assert.Equal("Failed", job.JobStatus);
        Assert.Contains("boom", job.StatusDetails);
        Assert.DoesNotContain('\n', job.StatusDetails!);
        Assert.Contains("line 2", job.StatusDetails);
        Assert.Contains("boom", job.JobException);
        Assert.Contains("At line:2", job.JobException);
        Assert.Contains("stack trace", job.JobException, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(new[] { "before" }, Output(job.JobId, StreamType.Output).Select(o => o.StreamText));
    }

    [Fact]
    public void Non_terminating_errors_are_counted_and_the_job_goes_on()
    {
        var job = Run("Careless", "Get-Item /no/such/path; Write-Error 'two'; 'still here'");
        Assert.Equal("Completed", job.JobStatus);
        Assert.Equal(2, job.ErrorCount);
        Assert.Equal("still here", Assert.Single(Output(job.JobId, StreamType.Output)).StreamText);
    }

    [Theory]
    [InlineData("exit 0; 'not reached'", "Completed")]
    [InlineData("'x'; exit 7", "Failed")]
    public void Exit_codes_decide_the_outcome(string source, string status)
    {
        var job = Run("Exit" + status, source);
        Assert.Equal(status, job.JobStatus);
        if (status == "Failed")
            Assert.Contains("7", job.StatusDetails);
        Assert.DoesNotContain(Output(job.JobId), o => o.StreamText == "not reached");
    }

    [Fact]
    public void A_prompt_fails_the_job_at_once_instead_of_hanging()
    {
        var job = Run("Prompter", "$name = Read-Host 'Your name'; \"hello $name\"");
        Assert.Equal("Failed", job.JobStatus);
        Assert.Contains("Read-Host", job.StatusDetails);
        Assert.DoesNotContain(Output(job.JobId), o => o.StreamText.StartsWith("hello"));
    }

    [Fact]
    public void A_job_starts_in_the_given_location_with_Continue_as_error_preference()
    {
        var job = Run("Where", "(Get-Location).Path; $ErrorActionPreference");
        Assert.Equal(new[] { Temp.Folder, "Continue" }, Output(job.JobId).Select(o => o.StreamText));
    }

    [Fact]
    public void Each_job_gets_a_fresh_runspace()
    {
        Run("Definer", "function Leak { 'leaked' }; $global:leaked = 1");
        var job = Run("Probe", "[bool](Get-Command Leak -ErrorAction Ignore); [bool]$global:leaked");
        Assert.Equal(new[] { "False", "False" }, Output(job.JobId).Select(o => o.StreamText));
    }

    [Fact]
    public void Stop_ends_a_running_job_Stopped()
    {
        var job = Jobs.Start(Import("Forever", "'started'; while ($true) { Start-Sleep -Milliseconds 20 }"), null, null);
        WaitFor(job.JobId, "Running");
        Jobs.Stop(job.JobId);
        job = Wait(job.JobId);
        Assert.Equal("Stopped", job.JobStatus);
        Assert.Equal(new[] { "Queued", "Starting", "Running", "Stopping", "Stopped" }, Jobs.History(job.JobId).Select(h => h.ToStatus));
    }

    [Fact]
    public void Stopping_a_final_job_is_refused_and_changes_nothing()
    {
        var job = Run("Quick", "'done'");
        var error = Assert.Throws<SmaException>(() => Jobs.Stop(job.JobId));
        Assert.Equal("InvalidJobStateTransition", error.ErrorId);
        Assert.Equal("Completed", Jobs.Get(job.JobId).JobStatus);
    }

    [Fact]
    public void Jobs_beyond_the_throttle_wait_Queued()
    {
        var gate = Path.Combine(Temp.Folder, "gate");
        var runbook = Import("Gated", $"while (-not (Test-Path '{gate}')) {{ Start-Sleep -Milliseconds 20 }}; 'through'");
        Runtime.EmbeddedWorker.ThrottleLimit = 1;
        var first = Jobs.Start(runbook, null, null);
        WaitFor(first.JobId, "Running");
        var second = Jobs.Start(runbook, null, null);
        Thread.Sleep(300); // several worker polls: the second job must still be waiting
        Assert.Equal("Queued", Jobs.Get(second.JobId).Status);
        File.WriteAllText(gate, "");
        Assert.Equal("Completed", Wait(first.JobId).JobStatus);
        Assert.Equal("Completed", Wait(second.JobId).JobStatus);
    }
}
