using Sma.Engine.Model;
using Xunit;
using Xunit.Abstractions;

namespace Sma.Engine.Tests;

/// <summary>
/// Resuming at any nesting (DESIGN §4.8), run for real: each runbook runs once straight through, and once with every
/// Checkpoint-Workflow turned into Suspend-Workflow and the job resumed after each suspension. A resume that went
/// back too far repeats output, one that skipped too far loses it: both runs must write exactly the same records.
/// </summary>
public class ResumeTests : RuntimeTestBase
{
    private readonly ITestOutputHelper _log;

    public ResumeTests(ITestOutputHelper log) => _log = log;

    private sealed record Outcome(string Status, List<string> Output, List<string> Errors, int Suspensions, Guid JobId);

    private Outcome Run(string source, RunbookType type = RunbookType.Script, int maxResumes = 100)
    {
        var runbook = Import("R" + Guid.NewGuid().ToString("N")[..12], source, type);
        var id = Jobs.Start(runbook, null, Temp.Folder).JobId;
        var suspensions = 0;
        Job job;
        while ((job = Wait(id)).JobStatus == "Suspended" && suspensions < maxResumes)
        {
            suspensions++;
            Jobs.Resume(id);
        }
        var output = Jobs.Output(id, StreamType.Output, null).Select(r => r.StreamText).ToList();
        var errors = Jobs.Output(id, StreamType.Error, null).Select(r => r.StreamText).ToList();
        return new Outcome(job.JobStatus, output, errors, suspensions, id);
    }

    /// <summary>Straight through, then suspended at every checkpoint: the same records, nothing repeated or lost.</summary>
    private Outcome SameAsUninterrupted(string source, int suspensions, RunbookType type = RunbookType.Script)
    {
        var straight = Run(source, type);
        Assert.True(straight.Status == "Completed", $"{straight.Status}: {Jobs.Get(straight.JobId).JobException}");
        Assert.Equal(0, straight.Suspensions);
        var resumed = Run(source.Replace("Checkpoint-Workflow", "Suspend-Workflow", StringComparison.Ordinal), type);
        _log.WriteLine(string.Join("\n", resumed.Output));
        foreach (var h in Jobs.History(resumed.JobId).Where(h => h.ToStatus == "Running"))
            _log.WriteLine(h.Details ?? "");
        Assert.Equal(straight.Errors, resumed.Errors);
        Assert.Equal(straight.Output, resumed.Output);
        Assert.True(resumed.Status == "Completed", $"{resumed.Status}: {Jobs.Get(resumed.JobId).JobException}");
        Assert.Equal(suspensions, resumed.Suspensions);
        return resumed;
    }

    [Fact]
    public void Nested_foreach_loops_resume_at_the_inner_and_outer_positions()
    {
        SameAsUninterrupted("""
            $total = 0
            foreach ($i in 1..3) {
                "outer $i"
                foreach ($j in 'a', 'b') {
                    "inner $i$j"
                    $total++
                    Checkpoint-Workflow
                }
                Checkpoint-Workflow
                "after inner $i"
            }
            "total $total"
            """, suspensions: 9);
    }

    [Fact]
    public void The_collection_of_a_foreach_is_evaluated_once()
    {
        var outcome = SameAsUninterrupted("""
            $evaluations = 0
            function Get-Items { $global:evaluations++; 'x', 'y', 'z' }
            foreach ($item in Get-Items) {
                "item $item"
                Checkpoint-Workflow
            }
            "evaluated $evaluations"
            """, suspensions: 3);
        Assert.Equal("evaluated 1", outcome.Output[^1]);
    }
    [Fact]
    public void Labelled_break_and_continue_keep_working()
    {
        SameAsUninterrupted("""
            :outer foreach ($i in 1..4) {
                foreach ($j in 1..3) {
                    if ($j -eq 2 -and $i -eq 1) { continue outer }
                    if ($i -eq 3) { break outer }
                    "i$i j$j"
                    Checkpoint-Workflow
                }
                "end of $i"
            }
            $n = 0
            :spin while ($true) {
                $n++
                switch ($n) { 3 { break spin } }
                "n $n"
                Checkpoint-Workflow
            }
            "done $n"
            """, suspensions: 6);
    }

    [Fact]
    public void For_while_do_while_and_do_until_continue_at_the_next_step()
    {
        SameAsUninterrupted("""
            for ($i = 0; $i -lt 3; $i++) { "for $i"; Checkpoint-Workflow; "for after $i" }
            $k = 0
            while ($k -lt 2) { $k++; "while $k"; Checkpoint-Workflow }
            $d = 0
            do { $d++; "do $d"; Checkpoint-Workflow } while ($d -lt 2)
            $u = 0
            do { $u++; "until $u"; Checkpoint-Workflow } until ($u -ge 2)
            "end"
            """, suspensions: 9);
    }

    [Fact]
    public void A_for_skips_its_initializer_and_the_test_it_passed_on_resume()
    {
        var outcome = SameAsUninterrupted("""
            $inits = 0; $tests = 0
            for ($i = $(++$inits; 0); $(++$tests; $i -lt 2); $i++) { "i $i"; Checkpoint-Workflow }
            $w = 0
            while ($(++$tests; $w -lt 2)) { $w++; Checkpoint-Workflow; "w $w" }
            "inits $inits tests $tests"
            """, suspensions: 4);
        Assert.Equal("inits 1 tests 6", outcome.Output[^1]);
    }

    [Fact]
    public void If_elseif_else_bodies_resume_without_testing_their_conditions_again()
    {
        var outcome = SameAsUninterrupted("""
            $evaluated = 0
            foreach ($x in 1..3) {
                if ($(++$evaluated; $x -eq 1)) { "first $x"; Checkpoint-Workflow; "first after" }
                elseif ($(++$evaluated; $x -eq 2)) { "second $x"; Checkpoint-Workflow }
                else {
                    "else $x"
                    if ($x -eq 3) { Checkpoint-Workflow; "nested if" }
                    "else after"
                }
            }
            "evaluated $evaluated"
            """, suspensions: 3);
        Assert.Equal("evaluated 5", outcome.Output[^1]);
    }

    [Fact]
    public void Switch_clauses_resume_for_the_same_element_then_the_next_ones()
    {
        var outcome = SameAsUninterrupted("""
            $global:tested = 0
            switch (1, 2, 3, 4, 2) {
                2 { "two $_"; Checkpoint-Workflow; "two after $_" }
                { $global:tested++; $_ -ge 2 } { "ge2 $_"; Checkpoint-Workflow }
                4 { "four, stop"; break }
                default { "default $_"; Checkpoint-Workflow }
            }
            "tested $tested"
            switch -Wildcard ('alpha', 'beta') {
                a* { "starts with a: $_"; Checkpoint-Workflow }
                *a { "ends with a: $_"; Checkpoint-Workflow; continue }
                *t* { "has t: $_" }
            }
            switch -Regex ('k1=v1', 'k2=v2') {
                '^(\w+)=(\w+)$' { $key = $matches[1]; Checkpoint-Workflow; "pair $key=$($matches[2])" }
            }
            """, suspensions: 10);
        Assert.Contains("tested 4", outcome.Output);
    }

    [Fact]
    public void Try_catch_and_finally_bodies_resume_after_the_checkpoint()
    {
        SameAsUninterrupted("""
            foreach ($n in 1..2) {
                try {
                    "try $n"
                    Checkpoint-Workflow
                    if ($n -eq 2) { throw [System.IO.FileNotFoundException]::new("missing $n") }
                    "try after $n"
                }
                catch [System.IO.FileNotFoundException] {
                    "caught $n"
                    Checkpoint-Workflow
                    "caught after ${n}: $($_.Exception.GetType().Name)"
                }
                catch {
                    "other"
                }
                finally {
                    "finally $n"
                    Checkpoint-Workflow
                    "finally after $n"
                }
            }
            try { throw 'plain' } catch { "catch-all"; Checkpoint-Workflow; "catch-all after" }
            "end"
            """, suspensions: 6);
    }

    [Fact]
    public void A_trap_still_handles_errors_after_a_resume()
    {
        SameAsUninterrupted("""
            trap { "trapped: $($_.Exception.Message)"; continue }
            foreach ($i in 1..3) {
                "item $i"
                Checkpoint-Workflow
                if ($i -eq 2) { throw "boom $i" }
                "after $i"
            }
            "end"
            """, suspensions: 2); // the trap's continue goes on after the loop, a statement of the trap's own scope
    }

    [Fact]
    public void Checkpoints_one_after_another_and_last_in_a_loop_body()
    {
        SameAsUninterrupted("""
            Checkpoint-Workflow
            Checkpoint-Workflow
            'between'
            foreach ($i in 1..2) { "i $i"; Checkpoint-Workflow; Checkpoint-Workflow }
            'end'; Checkpoint-Workflow
            """, suspensions: 7);
    }

    [Fact]
    public void Param_blocks_with_attributes_using_statements_classes_and_functions_are_there_after_a_resume()
    {
        SameAsUninterrupted("""
            using namespace System.Text
            [CmdletBinding()]
            param(
                [Parameter()] [ValidateRange(1, 10)] [int] $Count = 2
            )
            class Greeter { static [string] Hello([string] $name) { return "hello $name" } }
            function Format-Item([int] $n) { "item #$n of $Count" }
            foreach ($i in 1..$Count) {
                Format-Item $i
                Checkpoint-Workflow
                [Greeter]::Hello([StringBuilder]::new().Append('x').Append($i).ToString())
            }
            """, suspensions: 2);
    }

    [Fact]
    public void Begin_process_and_end_blocks_resume_in_the_right_block()
    {
        SameAsUninterrupted("""
            param()
            begin { 'begin'; Checkpoint-Workflow; 'begin after' }
            process { 'process'; Checkpoint-Workflow }
            end {
                foreach ($i in 1..2) { "end $i"; Checkpoint-Workflow }
                'end after'
            }
            """, suspensions: 4);
    }

    [Fact]
    public void A_workflow_runbook_resumes_the_same_way()
    {
        SameAsUninterrupted("""
            foreach ($vm in 'vm1', 'vm2', 'vm3') {
                "create $vm"
                Checkpoint-Workflow
            }
            """, suspensions: 3, RunbookType.Workflow);
    }

    [Fact]
    public void A_checkpoint_inside_a_function_runs_the_calling_statement_again_in_the_same_iteration()
    {
        var outcome = Run("""
            function Step($n) { "step $n start"; Suspend-Workflow; "step $n end" }
            foreach ($i in 1..2) { "loop $i"; Step $i }
            "end"
            """);
        Assert.Equal("Completed", outcome.Status);
        Assert.Equal(2, outcome.Suspensions);
        Assert.Equal(new[]
        {
            "loop 1", "step 1 start", "step 1 start", "step 1 end",
            "loop 2", "step 2 start", "step 2 start", "step 2 end", "end",
        }, outcome.Output);
    }

    [Fact]
    public void A_checkpoint_in_a_script_block_handed_to_a_command_runs_that_statement_again()
    {
        var outcome = Run("""
            foreach ($i in 1..2) {
                "loop $i"
                1..2 | ForEach-Object { "fe $i.$_"; Suspend-Workflow }
            }
            """);
        Assert.Equal("Completed", outcome.Status);
        Assert.Equal(4, outcome.Suspensions);
        // Each run again replays the items before the suspension it resumed from, and suspends at no earlier one.
        Assert.Equal(new[]
        {
            "loop 1", "fe 1.1", "fe 1.1", "fe 1.2", "fe 1.1", "fe 1.2",
            "loop 2", "fe 2.1", "fe 2.1", "fe 2.2", "fe 2.1", "fe 2.2",
        }, outcome.Output);
    }

    [Fact]
    public void A_dynamic_call_is_off_the_static_path_but_keeps_the_loop_position()
    {
        var outcome = Run("""
            function Invoke-Work($n) { "work $n"; Suspend-Workflow }
            $work = 'Invoke-Work' # restored values are deserialized: a command name survives, a script block would not
            foreach ($i in 1..3) { & $work $i; "done $i" }
            """);
        Assert.Equal("Completed", outcome.Status);
        Assert.Equal(3, outcome.Suspensions);
        Assert.Equal(new[] { "work 1", "work 1", "done 1", "work 2", "work 2", "done 2", "work 3", "work 3", "done 3" }, outcome.Output);
    }
    [Fact]
    public void Strict_mode_switch_over_a_file_and_an_endless_for_resume_too()
    {
        var lines = Path.Combine(Temp.Folder, "lines.txt");
        File.WriteAllLines(lines, new[] { "alpha", "beta", "gamma" });
        SameAsUninterrupted($$"""
            Set-StrictMode -Version Latest
            $count = 0
            switch -Wildcard -File '{{lines}}' {
                '*a' { "ends in a: $_"; Checkpoint-Workflow }
                'g*' { "starts with g: $_" }
            }
            for (;;) {
                $count++
                if ($count -gt 2) { break }
                "count $count"
                Checkpoint-Workflow
            }
            "end $count"
            """, suspensions: 5);
    }
    [Fact]
    public void A_script_block_dot_sourced_in_place_is_a_statement_block()
    {
        SameAsUninterrupted("""
            foreach ($i in 1..2) {
                . {
                    "in block $i"
                    $seen = "seen $i"
                    Checkpoint-Workflow
                    "block after $i, $seen"
                }
            }
            """, suspensions: 2);
    }
    [Fact]
    public void A_statement_run_again_inside_a_marked_statement_replays_only_its_own_checkpoints()
    {
        // The if's condition and its body both checkpoint through calls: the resume goes through the if (which marks
        // itself) into Step, and Step's Suspend-Workflow it resumed from must not suspend a second time.
        var outcome = Run("""
            function Ready { Checkpoint-Workflow; $true }
            function Step($n) { "step $n"; Suspend-Workflow; "step $n end" }
            if (Ready) { Step 1; Step 2 }
            "end"
            """);
        Assert.Equal("Completed", outcome.Status);
        Assert.Equal(2, outcome.Suspensions);
        Assert.Equal(new[] { "step 1", "step 1", "step 1 end", "step 2", "step 2", "step 2 end", "end" }, outcome.Output);
    }
}
