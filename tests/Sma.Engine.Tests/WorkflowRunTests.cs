using Sma.Engine.Model;
using Sma.Engine.Workflows;
using Xunit;

namespace Sma.Engine.Tests;

/// <summary>The parallel helper: translated workflows run as jobs, branches and items in runspaces of their own.</summary>
public class WorkflowRunTests : RuntimeTestBase
{
    private Runbook ImportWorkflow(string name, string source)
    {
        var path = Path.Combine(Temp.Folder, name + ".ps1");
        File.WriteAllText(path, source);
        var runbook = Runbooks.Import(path, null, null, null, null, publish: true);
        Assert.Equal("Workflow", runbook.RunbookType);
        return runbook;
    }

    private Job Run(Runbook runbook, bool verbose = false)
    {
        if (verbose)
            runbook = Runbooks.Configure(runbook, new Store.RunbookChanges { LogVerbose = true });
        return Wait(Jobs.Start(runbook, null, Temp.Folder).JobId);
    }

    private List<string> Records(Guid id, StreamType? type = null) =>
        Jobs.Output(id, type, null).Select(r => r.StreamText).ToList();

    private static string Quoted(string path) => "'" + path.Replace("'", "''") + "'";

    [Fact]
    public void Branches_run_at_the_same_time_each_waiting_for_the_others_marker()
    {
        var folder = Directory.CreateDirectory(Path.Combine(Temp.Folder, "markers")).FullName;
        var runbook = ImportWorkflow("Meet", $$"""
            workflow Meet
            {
                $folder = {{Quoted(folder)}}
                function Wait-Marker([string] $Name) {
                    $deadline = [datetime]::UtcNow.AddSeconds(60)
                    while (-not (Test-Path (Join-Path $folder $Name))) {
                        if ([datetime]::UtcNow -gt $deadline) { throw "marker $Name never came" }
                        Start-Sleep -Milliseconds 20
                    }
                }
                Parallel
                {
                    Sequence { New-Item -ItemType File (Join-Path $folder 'a') | Out-Null; Wait-Marker 'b'; 'a met b' }
                    Sequence { New-Item -ItemType File (Join-Path $folder 'b') | Out-Null; Wait-Marker 'a'; 'b met a' }
                }
                'both done'
            }
            """);
        var job = Run(runbook);
        Assert.Equal("Completed", job.JobStatus);
        var output = Records(job.JobId, StreamType.Output);
        Assert.Equal(new[] { "a met b", "b met a" }, output.Take(2).Order());
        Assert.Equal("both done", output[2]);
    }

    [Fact]
    public void Foreach_parallel_runs_up_to_its_throttle_limit_at_once_never_more()
    {
        var runbook = ImportWorkflow("Throttled", """
            workflow Throttled
            {
                $state = [hashtable]::Synchronized(@{ Running = 0; Max = 0 })
                foreach -parallel -throttlelimit 3 ($i in 1..9)
                {
                    [System.Threading.Monitor]::Enter($state.SyncRoot)
                    try { $state.Running++; if ($state.Running -gt $state.Max) { $state.Max = $state.Running } }
                    finally { [System.Threading.Monitor]::Exit($state.SyncRoot) }
                    # The first items wait until three run at once: they can only meet if they run concurrently.
                    $deadline = [datetime]::UtcNow.AddSeconds(60)
                    while ($state.Max -lt 3 -and [datetime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 10 }
                    [System.Threading.Monitor]::Enter($state.SyncRoot)
                    try { $state.Running-- } finally { [System.Threading.Monitor]::Exit($state.SyncRoot) }
                    "item $i"
                }
                "max $($state.Max)"
            }
            """);
        var job = Run(runbook);
        Assert.Equal("Completed", job.JobStatus);
        var output = Records(job.JobId, StreamType.Output);
        Assert.Equal(Enumerable.Range(1, 9).Select(i => $"item {i}").Order(), output.Take(9).Order());
        Assert.Equal("max 3", output[9]);
    }

    [Fact]
    public void Workflow_variables_change_only_through_Workflow_scope_and_concurrent_updates_are_not_lost()
    {
        var runbook = ImportWorkflow("Counting", """
            workflow Counting
            {
                $count = 0
                $copy = 'original'
                foreach -parallel ($i in 1..40)
                {
                    $Workflow:count += 1
                    $Workflow:count++
                    $copy = "changed by $i"
                    $Workflow:seen = 'created in a branch'
                }
                "count $count"
                "copy $copy"
                "seen $seen"
                Parallel { $Workflow:count = 100; $Workflow:other = 'x' }
                "count $count other $other"
            }
            """);
        var job = Run(runbook);
        Assert.Equal("Completed", job.JobStatus);
        Assert.Equal(new[] { "count 80", "copy original", "seen created in a branch", "count 100 other x" }, Records(job.JobId, StreamType.Output));
    }

    [Fact]
    public void Branch_records_reach_the_job_streams_as_the_logging_flags_say()
    {
        var runbook = ImportWorkflow("Streams", """
            workflow Streams
            {
                Parallel
                {
                    Sequence { Write-Warning 'warned'; Write-Verbose 'verbose'; Write-Error 'failed softly'; Write-Host 'host' }
                    Sequence { Write-Output 'out'; Write-Debug 'debug' }
                }
                'end'
            }
            """);
        var job = Run(runbook, verbose: true);
        Assert.Equal("Completed", job.JobStatus);
        Assert.Equal(1, job.ErrorCount);
        Assert.Equal(1, job.WarningCount);
        Assert.Equal(new[] { "verbose" }, Records(job.JobId, StreamType.Verbose));
        Assert.Empty(Records(job.JobId, StreamType.Debug)); // LogDebug is off
        Assert.Equal(new[] { "host" }, Records(job.JobId, StreamType.Information));
        Assert.Equal(new[] { "out", "end" }, Records(job.JobId, StreamType.Output));
        var ids = Jobs.Output(job.JobId, null, null).Select(r => r.StreamRecordId).ToList();
        Assert.Equal(Enumerable.Range(1, ids.Count).Select(i => (long)i), ids);
    }

    [Fact]
    public void A_terminating_error_in_a_branch_stops_the_others_and_suspends_the_job_naming_the_branch_line()
    {
        var gate = Path.Combine(Temp.Folder, "never");
        var runbook = ImportWorkflow("Failing", $$"""
            workflow Failing
            {
                Parallel
                {
                    Sequence { while (-not (Test-Path {{Quoted(gate)}})) { Start-Sleep -Milliseconds 20 }; 'slow done' }
                    Sequence {
                        'fast'
                        throw 'broken branch'
                    }
                }
                'after'
            }
            """);
        var job = Run(runbook);
        Assert.Equal("Suspended", job.JobStatus);
        Assert.Contains("broken branch", job.StatusDetails);
        Assert.Contains("(line 8,", job.StatusDetails);
        Assert.Contains("At line:8", job.JobException);
        Assert.Equal(new[] { "fast" }, Records(job.JobId, StreamType.Output));
    }

    [Fact]
    public void An_error_PowerShell_ends_only_the_statement_with_ends_the_workflow_in_a_branch_and_in_the_workflow_itself()
    {
        var runbook = ImportWorkflow("StatementErrors", """
            workflow StatementErrors
            {
                param([bool] $InBranch)
                if ($InBranch)
                {
                    Parallel { Sequence { 'branch'; 1 + "abc"; 'branch not reached' } }
                }
                try { [int]::Parse('x') } catch { 'caught by try' }
                Get-Item -Path '/no/such/item/here'
                'after a non-terminating error'
                1 + "abc"
                'not reached'
            }
            """);
        var job = Wait(Jobs.Start(runbook, new System.Collections.Hashtable { ["InBranch"] = true }, Temp.Folder).JobId);
        Assert.Equal("Suspended", job.JobStatus);
        Assert.True(job.StatusDetails!.Contains("(line 6,"), job.StatusDetails + "\n" + job.JobException);
        Assert.Equal(new[] { "branch" }, Records(job.JobId, StreamType.Output));

        job = Wait(Jobs.Start(runbook, null, Temp.Folder).JobId);
        Assert.Equal("Suspended", job.JobStatus);
        Assert.Contains("Cannot convert value \"abc\"", job.StatusDetails);
        Assert.Contains("(line 11,", job.StatusDetails);
        Assert.Equal(new[] { "caught by try", "after a non-terminating error" }, Records(job.JobId, StreamType.Output));
        Assert.Equal(1, job.ErrorCount);
    }

    [Fact]
    public void Branches_call_the_runbooks_functions_and_nested_workflows_and_see_Using_and_the_job_variables()
    {
        var runbook = ImportWorkflow("Helpers", """
            workflow Helpers
            {
                param([string] $Prefix = 'p')
                workflow Get-Twice { param([int] $N) $N * 2 }
                function Format-Item { param($Item) "$Prefix-$Item" }
                foreach -parallel ($i in 1..3) {
                    "$(Format-Item $i) twice $(Get-Twice -N $i) by $WorkflowCommandName $($PSPrivateMetadata.JobId.Guid.Length)"
                }
                $obj = InlineScript { [System.Text.StringBuilder]::new("live $Using:Prefix") }
                $obj.Append('!').ToString()
            }
            """);
        var job = Run(runbook);
        Assert.Equal("Completed", job.JobStatus);
        var output = Records(job.JobId, StreamType.Output);
        Assert.Equal(new[] { "p-1 twice 2 by Helpers 36", "p-2 twice 4 by Helpers 36", "p-3 twice 6 by Helpers 36" }, output.Take(3).Order());
        Assert.Equal("live p!", output[3]);
    }

    [Fact]
    public void Stopping_the_job_stops_its_running_branches()
    {
        var runbook = ImportWorkflow("Forever", """
            workflow Forever
            {
                foreach -parallel ($i in 1..4) { 'started'; while ($true) { Start-Sleep -Milliseconds 20 } }
            }
            """);
        var job = Jobs.Start(runbook, null, Temp.Folder);
        var deadline = DateTime.UtcNow + Patience;
        while (Records(job.JobId, StreamType.Output).Count < 4 && DateTime.UtcNow < deadline)
            Thread.Sleep(20);
        Jobs.Stop(job.JobId);
        Assert.Equal("Stopped", Wait(job.JobId).JobStatus);
    }

    [Fact]
    public void A_checkpoint_inside_an_item_is_taken_and_the_job_goes_on()
    {
        var runbook = ImportWorkflow("PersistItems", """
            workflow PersistItems
            {
                foreach -parallel ($i in 1..3) { Write-Output "item $i" -PSPersist $true }
                Checkpoint-Workflow
                'done'
            }
            """);
        var job = Run(runbook);
        Assert.Equal("Completed", job.JobStatus);
        Assert.Contains("done", Records(job.JobId, StreamType.Output));
    }

    [Fact]
    public void A_suspend_reaches_a_checkpoint_inside_an_item_and_the_job_resumes_from_the_statement_holding_the_block()
    {
        var gate = Path.Combine(Temp.Folder, "gate");
        var runbook = ImportWorkflow("SuspendInItem", $$"""
            workflow SuspendInItem
            {
                'before'
                foreach -parallel ($i in 1..2)
                {
                    while (-not (Test-Path {{Quoted(gate)}})) { Start-Sleep -Milliseconds 20 }
                    Checkpoint-Workflow
                    "item $i"
                }
                'after'
            }
            """);
        var job = Jobs.Start(runbook, null, Temp.Folder);
        var deadline = DateTime.UtcNow + Patience;
        while (Jobs.Get(job.JobId).JobStatus != "Running" && DateTime.UtcNow < deadline)
            Thread.Sleep(20);
        Assert.Equal("Suspending", Jobs.Suspend(job.JobId).JobStatus);
        File.WriteAllText(gate, "");
        Assert.Equal("Suspended", Wait(job.JobId).JobStatus);
        Assert.DoesNotContain("after", Records(job.JobId, StreamType.Output));
        Jobs.Resume(job.JobId);
        Assert.Equal("Completed", Wait(job.JobId).JobStatus);
        Assert.Equal("after", Records(job.JobId, StreamType.Output).Last());
    }

    [Fact]
    public void A_block_started_again_in_a_loop_of_a_nested_workflow_skips_on_resume_only_what_its_own_start_completed()
    {
        var markers = Directory.CreateDirectory(Path.Combine(Temp.Folder, "rounds")).FullName;
        var gate = Path.Combine(Temp.Folder, "rounds-gate");
        var runbook = ImportWorkflow("Rounds", $$"""
            workflow Rounds
            {
                workflow Invoke-Rounds
                {
                    foreach ($round in 1..2)
                    {
                        foreach -parallel -ThrottleLimit 1 ($item in 1..3)
                        {
                            New-Item -ItemType File -Path (Join-Path {{Quoted(markers)}} "r$round-i$item-$([guid]::NewGuid())") | Out-Null
                            if ($round -eq 2 -and $item -eq 2 -and -not (Test-Path {{Quoted(gate)}})) { Suspend-Workflow }
                            "round $round item $item"
                        }
                    }
                }
                Invoke-Rounds
                'end'
            }
            """);
        var job = Run(runbook);
        Assert.Equal("Suspended", job.JobStatus);
        File.WriteAllText(gate, "");
        Jobs.Resume(job.JobId);
        job = Wait(job.JobId);
        Assert.Equal("Completed", job.JobStatus);
        var ran = Directory.GetFiles(markers).Select(f => string.Join('-', Path.GetFileName(f).Split('-')[..2]))
            .GroupBy(n => n).OrderBy(g => g.Key).Select(g => $"{g.Key}={g.Count()}");
        // The nested workflow's call runs again (a checkpoint inside a function), so round 1 runs again; in round 2
        // the item completed before the checkpoint does not, however many times the block started before.
        Assert.Equal(new[] { "r1-i1=2", "r1-i2=2", "r1-i3=2", "r2-i1=1", "r2-i2=2", "r2-i3=1" }, ran);
        Assert.Equal("end", Records(job.JobId, StreamType.Output).Last());
    }

    [Fact]
    public void A_Parallel_block_inside_an_item_shares_the_workflow_variables_of_the_outermost_block()
    {
        var runbook = ImportWorkflow("Nested", """
            workflow Nested
            {
                $hits = 0
                foreach -parallel ($i in 1..4)
                {
                    Parallel
                    {
                        $Workflow:hits += 1
                        $Workflow:hits += 10
                    }
                }
                "hits $hits"
            }
            """);
        var job = Run(runbook);
        Assert.Equal("Completed", job.JobStatus);
        Assert.Equal(new[] { "hits 44" }, Records(job.JobId, StreamType.Output));
    }

    [Fact]
    public void A_null_output_is_a_record_with_no_value_in_a_script_and_in_a_branch()
    {
        var script = Import("NullScript", "$null\n@($null, 1)\n'end'");
        var job = Wait(Jobs.Start(script, null, Temp.Folder).JobId);
        Assert.Equal(0, job.ErrorCount);
        Assert.Equal(new[] { "", "", "1", "end" }, Records(job.JobId, StreamType.Output));
        Assert.Null(Jobs.Output(job.JobId, StreamType.Output, null).First().Value);

        var flow = ImportWorkflow("NullFlow", "workflow NullFlow {\n  Parallel { $null }\n  'end'\n}");
        job = Run(flow);
        Assert.Equal(0, job.ErrorCount);
        Assert.Equal(new[] { "", "end" }, Records(job.JobId, StreamType.Output));
    }

    [Fact]
    public void The_ledger_knows_completed_items_of_running_blocks_only_and_lives_in_the_resume_state()
    {
        var state = new Dictionary<string, object?>();
        var ledger = new ParallelLedger(k => state.GetValueOrDefault(k), (k, v) => state[k] = v);
        Assert.Equal(new object?[] { "a", "b", "c" }, ledger.Items("/4:5", new object?[] { "a", "b", "c" }));
        ledger.MarkDone("/4:5", 0);
        ledger.MarkDone("/4:5", 2);
        ledger.MarkDone("/4:5/2/7:9", 1);
        Assert.True(ledger.IsDone("/4:5", 2));
        Assert.False(ledger.IsDone("/4:5", 1));
        Assert.Equal(new[] { 0, 2 }, ledger.Snapshot()["/4:5"]);

        // What a checkpoint keeps, read back as a resumed run does: the same items (not those given now), the same done.
        var kept = System.Management.Automation.PSSerializer.Deserialize(
            System.Management.Automation.PSSerializer.Serialize(state[ParallelLedger.StateKey], 4));
        var restored = new ParallelLedger(_ => kept, (_, _) => { });
        Assert.True(restored.IsDone("/4:5/2/7:9", 1));
        Assert.True(restored.IsDone("/4:5", 2));
        Assert.False(restored.IsDone("/4:5", 1));
        Assert.Equal(new object?[] { "a", "b", "c" }, restored.Items("/4:5", new object?[] { "x" }));

        ledger.Forget("/4:5");
        Assert.Empty(ledger.Snapshot()); // a block that ended forgets its items, and its nested blocks'
        Assert.Null(state[ParallelLedger.StateKey]); // and the resume state no longer holds it
    }
}
