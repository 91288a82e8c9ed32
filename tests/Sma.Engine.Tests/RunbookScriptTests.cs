using System.Management.Automation.Language;
using Sma.Engine.Execution;
using Sma.Engine.Execution.Resume;
using Xunit;

namespace Sma.Engine.Tests;

/// <summary>
/// The text a job runs (DESIGN §4.8): where a checkpoint stands, what a resume skips and enters, and that the runbook's
/// lines never move. ResumeTests runs these texts for real.
/// </summary>
public class RunbookScriptTests
{
    private const string Source = """
        param([string]$Name = 'x')
        function Helper { Checkpoint-Workflow }
        $count = 0
        Checkpoint-Workflow
        foreach ($i in 1..3) { $count++; Checkpoint-Workflow }
        if ($true) { Helper }
        class Thing { [int]$N }
        "done $count"
        """;

    // Many shapes at once, for the line and parse checks below.
    private const string Shapes = """
        using namespace System.Text
        <# help #>
        [CmdletBinding()]
        param(
            [Parameter()] [ValidateRange(1, 10)] [int] $Count = 2 # trailing
        )
        trap { "trapped $_"; continue }
        function Step([int] $n) { try { Checkpoint-Workflow } finally { 'cleanup' } }
        $text = @"
        a here-string
        "@
        :outer foreach ($i in 1..$Count) { # loop
            if ($i -eq 1) { 'one' } elseif ($i -eq 2) {
                Checkpoint-Workflow
            } else { "other"; Step $i }
            switch -Regex ($i) { 1 { 'a' } two { 'b'; Checkpoint-Workflow } default { 'c'; continue outer } }
            try { 'try'; Checkpoint-Workflow } catch [System.IO.IOException] { Checkpoint-Workflow } catch { 'any' } finally { Checkpoint-Workflow }
            for ($j = 0; $j -lt 2; $j++) { "j$j"; Checkpoint-Workflow }
            while ($false) { Checkpoint-Workflow }
            do { Checkpoint-Workflow } until ($true)
            1..2 | ForEach-Object { Checkpoint-Workflow }
        }
        'end'; Checkpoint-Workflow
        """;

    private static PathTracker Tracker(RunbookScript script) => new(script.LoopCount);

    private static int OffsetOf(string text, string find, int occurrence = 1)
    {
        var at = -1;
        for (var n = 0; n < occurrence; n++)
            at = text.IndexOf(find, at + 1, StringComparison.Ordinal);
        Assert.True(at >= 0, $"'{find}' not found");
        return at;
    }

    /// <summary>The running text has the source's lines, each one the source line with text inserted into it.</summary>
    private static void AssertSameLines(string source, RunbookScript script)
    {
        Parser.ParseInput(script.Text, out _, out var errors);
        Assert.True(errors.Length == 0, $"{errors.FirstOrDefault()?.Message}\n{script}");
        var original = source.Split('\n');
        var running = script.Text.Split('\n');
        Assert.Equal(original.Length, running.Length);
        for (var i = 0; i < original.Length; i++)
            Assert.True(IsSubsequence(original[i], running[i]), $"line {i + 1} changed:\n{original[i]}\n{running[i]}");
    }

    private static bool IsSubsequence(string part, string whole)
    {
        var at = 0;
        foreach (var c in whole)
            if (at < part.Length && part[at] == c)
                at++;
        return at == part.Length;
    }

    /// <summary>Every point a checkpoint in <see cref="Shapes"/> can record.</summary>
    public static IEnumerable<object[]> ShapePoints()
    {
        var tree = new StaticTree(Parser.ParseInput(Shapes, out _, out _), RunbookScript.DefaultHelperCommands);
        foreach (var site in tree.Sites)
        {
            var steps = site.Path();
            // loops on the way at their second element
            var withPositions = steps.Select((s, i) => i < steps.Count - 1 && site.Chain()[i].LoopId >= 0 ? s with { Position = 1 } : s).ToList();
            yield return new object[] { new ResumePoint(TokenKind.End, withPositions, After: site.CheckpointCommand is not null).ToJson() };
            yield return new object[] { new ResumePoint(TokenKind.End, withPositions, After: false, Call: 1).ToJson() };
        }
    }

    [Fact]
    public void A_runbook_without_checkpoints_runs_its_source_unchanged()
    {
        const string plain = "param($x)\nforeach ($i in 1..3) { try { $i } finally { 'f' } }\nfunction F { 'f' }\nF";
        Assert.Same(plain, RunbookScript.ForStart(plain).Text);
    }

    [Fact]
    public void Only_what_leads_to_a_checkpoint_is_rewritten()
    {
        const string text = "foreach ($a in 1..3) { $a }\nforeach ($b in 1..3) { Checkpoint-Workflow }\nwhile ($false) { 'w' }";
        var lines = RunbookScript.ForStart(text).Text.Split('\n');
        Assert.Equal("foreach ($a in 1..3) { $a }", lines[0]);
        Assert.Equal("foreach ($b in $__SmaPath.Loop(0,(1..3))) { Checkpoint-Workflow -SmaSite 0 }", lines[1]);
        Assert.Equal("while ($false) { 'w' }", lines[2]);
    }

    [Fact]
    public void Rewriting_for_a_fresh_run_keeps_every_line()
    {
        AssertSameLines(Shapes, RunbookScript.ForStart(Shapes));
        AssertSameLines(Source, RunbookScript.ForStart(Source));
    }

    [Theory]
    [MemberData(nameof(ShapePoints))]
    public void Rewriting_for_a_resume_keeps_every_line(string point)
    {
        var script = RunbookScript.ForResume(Shapes, ResumePoint.FromJson(point));
        Assert.False(script.StartsOver, point);
        AssertSameLines(Shapes, script);
    }

    [Fact]
    public void A_top_level_checkpoint_resumes_after_itself()
    {
        var script = RunbookScript.ForStart(Source);
        var (point, loops) = script.PointOfSite(0, after: true, Tracker(script)); // site 0: the top-level Checkpoint-Workflow
        Assert.Equal(new[] { new PathStep(2) }, point.Steps); // 0: the function, 1: $count = 0
        Assert.True(point.After);
        Assert.Empty(loops);
        Assert.Equal("after the checkpoint on line 4", script.Describe(point));
    }

    [Fact]
    public void A_checkpoint_in_a_loop_resumes_inside_the_loop_at_its_element()
    {
        var script = RunbookScript.ForStart(Source);
        var tracker = Tracker(script);
        var walk = tracker.Loop(0, new[] { 1, 2, 3 }).GetEnumerator();
        walk.MoveNext();
        walk.MoveNext(); // at the second element
        var (point, loops) = script.PointOfSite(1, after: true, tracker);
        Assert.Equal(new[] { new PathStep(3, 0, 1), new PathStep(1) }, point.Steps);
        Assert.Equal(new object?[] { 2, 3 }, loops[0]); // the elements from the current one on
        Assert.Equal("after the checkpoint on line 5 (iteration 2 of the foreach on line 5)", script.Describe(point));
    }

    [Fact]
    public void A_checkpoint_in_a_called_function_runs_the_calling_statement_again()
    {
        var script = RunbookScript.ForStart(Source);
        var (point, _) = script.PointAt(OffsetOf(script.Text, "Helper }"), 1, Tracker(script));
        Assert.Equal(new[] { new PathStep(4, 0), new PathStep(0) }, point.Steps);
        Assert.False(point.After);
        Assert.Equal(1, point.Call);
        Assert.StartsWith("at line 6, running that statement again", script.Describe(point));
    }

    [Fact]
    public void A_foreach_that_captured_nothing_runs_again_as_a_whole()
    {
        const string text = "foreach ($x in 1..2) { & $cmd }";
        var script = RunbookScript.ForStart(text);
        var (point, _) = script.PointAt(OffsetOf(script.Text, "& $cmd"), 1, Tracker(script)); // the loop never started
        Assert.Equal(new[] { new PathStep(0) }, point.Steps);
    }

    [Fact]
    public void A_resume_keeps_param_and_definitions_restores_first_and_skips_to_the_path()
    {
        var script = RunbookScript.ForResume(Source, new ResumePoint(TokenKind.End, new[] { new PathStep(3, 0, 1), new PathStep(1) }, After: true));
        var lines = script.Text.Split('\n');
        Assert.Equal("param([string]$Name = 'x');$__SmaJob.Restore($ExecutionContext.SessionState);", lines[0]);
        // Definitions always run; what comes before the path is skipped while resuming, its text where it was.
        Assert.Equal("function Helper { Checkpoint-Workflow };if(-not $__SmaResume){", lines[1]);
        Assert.Equal("$count = 0", lines[2]);
        Assert.Equal("Checkpoint-Workflow -SmaSite 0}", lines[3]);
        Assert.Equal(
            "foreach ($i in ($__SmaResume ? $__SmaPath.Rewalk(0) : $__SmaPath.Loop(0,(1..3)))) {if(-not $__SmaResume){ $count++; Checkpoint-Workflow -SmaSite 1}else{$__SmaResume=$null} }",
            lines[4]);
        Assert.Equal("if ($true) {$__SmaPath.Site(2); Helper }", lines[5]); // after the path: as written
        Assert.Equal("class Thing { [int]$N }", lines[6]);
        Assert.Single(Parser.ParseInput(script.Text, out _, out _).FindAll(a => a is TypeDefinitionAst, false));
    }

    [Fact]
    public void Positions_in_a_resumed_run_map_back_to_the_source()
    {
        var script = RunbookScript.ForResume(Source, new ResumePoint(TokenKind.End, new[] { new PathStep(4, 0), new PathStep(0) }, After: false, Call: 1));
        var tracker = Tracker(script);
        Assert.Equal(new[] { new PathStep(4, 0), new PathStep(0) }, script.PointAt(OffsetOf(script.Text, "Helper }"), 2, tracker).Point.Steps);
        // In a loop that has not walked in this run (as if a foreign call had checkpointed there): the loop again.
        Assert.Equal(new[] { new PathStep(3) }, script.PointAt(OffsetOf(script.Text, "$count++"), 1, tracker).Point.Steps);
    }

    [Fact]
    public void A_checkpoint_from_before_resume_paths_resumes_at_its_top_level_statement()
    {
        var script = RunbookScript.ForResume(Source, ResumePoint.Legacy(4));
        Assert.False(script.StartsOver);
        Assert.Equal(new[] { new PathStep(4) }, script.Resume!.Steps);
        Assert.False(script.Resume.After);
        var lines = script.Text.Split('\n');
        Assert.EndsWith("}};$__SmaResume=$null;", lines[4]); // statements 1-3 skipped, the flag cleared before statement 4
        Assert.Equal("if ($true) {$__SmaPath.Site(2); Helper }", lines[5]);
        Assert.Equal("at top-level statement 5 (line 6), as saved by an earlier version", script.Describe(script.Resume));
        AssertSameLines(Source, script);

        var pastTheEnd = RunbookScript.ForResume(Source, ResumePoint.Legacy(7)); // the last statement was a checkpoint
        Assert.Equal(new[] { new PathStep(6) }, pastTheEnd.Resume!.Steps);
        Assert.True(pastTheEnd.Resume.After);

        const string named = "param($a)\nbegin { $x = 1 }\nprocess { Checkpoint-Workflow }\nend { 'e' }";
        var old = RunbookScript.ForResume(named, ResumePoint.Legacy(1));
        Assert.True(old.StartsOver); // named blocks started over before resume paths existed
        Assert.Equal(RunbookScript.ForStart(named).Text, old.Text);
    }

    [Fact]
    public void Runbooks_with_named_blocks_resume_inside_their_block()
    {
        const string named = "param($a)\nbegin { $x = 1; Checkpoint-Workflow }\nprocess { 'p'; Checkpoint-Workflow }\nend { 'e' }";
        var script = RunbookScript.ForResume(named, new ResumePoint(TokenKind.Process, new[] { new PathStep(1) }, After: true));
        var lines = script.Text.Split('\n');
        Assert.Equal("begin {$__SmaJob.Restore($ExecutionContext.SessionState);if(-not $__SmaResume){ $x = 1; Checkpoint-Workflow -SmaSite 0} }", lines[1]);
        Assert.Equal("process {if(-not $__SmaResume){ 'p'; Checkpoint-Workflow -SmaSite 1}else{$__SmaResume=$null} }", lines[2]);
        Assert.Equal("end { 'e' }", lines[3]);
    }

    [Fact]
    public void A_point_that_does_not_fit_the_source_starts_over()
    {
        var script = RunbookScript.ForResume(Source, new ResumePoint(TokenKind.End, new[] { new PathStep(2, 0), new PathStep(0) }, After: true));
        Assert.True(script.StartsOver);
        Assert.Null(script.Resume);
        Assert.Equal(RunbookScript.ForStart(Source).Text, script.Text);
    }

    [Fact]
    public void Helper_calls_mark_their_statement_and_script_blocks_handed_to_them_are_off_the_path()
    {
        // What the workflow translator writes for parallel { } inside a loop: plain PowerShell 7.
        const string translated = """
            foreach ($vm in $VMs) {
                Invoke-SmaWorkflowParallel (Get-Variable) @({ Checkpoint-Workflow; New-Vm $vm }; { 'two' })
                "created $vm"
            }
            """;
        var script = RunbookScript.ForStart(translated);
        var lines = script.Text.Split('\n');
        Assert.Equal("foreach ($vm in $__SmaPath.Loop(0,($VMs))) {$__SmaPath.Site(0,$ExecutionContext.SessionState);", lines[0]);
        Assert.Contains("{ Checkpoint-Workflow; New-Vm $vm }", lines[1]); // inside the helper's script block: as written
        AssertSameLines(translated, script);

        // A checkpoint the helper takes from another thread belongs to the statement that marked itself last.
        var tracker = Tracker(script);
        var walk = tracker.Loop(0, new[] { "a", "b" }).GetEnumerator();
        walk.MoveNext();
        tracker.Site(0);
        var (point, loops) = script.PointOfSite(tracker.LastMark!.Site, after: false, tracker);
        Assert.Equal(new[] { new PathStep(0, 0, 0), new PathStep(0) }, point.Steps);
        Assert.Equal(new object?[] { "a", "b" }, loops[0]);
    }

    [Fact]
    public void Commands_defined_outside_the_runbook_can_be_declared_as_checkpointing()
    {
        const string text = "foreach ($vm in $VMs) { New-ChildVm $vm }";
        Assert.Same(text, RunbookScript.ForStart(text).Text); // nothing here checkpoints, as far as the text shows
        var calls = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "New-ChildVm" }; // an inline child runbook
        Assert.Equal("foreach ($vm in $__SmaPath.Loop(0,($VMs))) {$__SmaPath.Site(0); New-ChildVm $vm }",
            RunbookScript.ForStart(text, calls: calls).Text);
    }

    [Fact]
    public void The_resume_path_is_stored_as_json_and_read_back()
    {
        var point = new ResumePoint(TokenKind.Process, new[] { new PathStep(2, 1, 4), new PathStep(0, 3), new PathStep(7) }, After: false, Call: 2);
        var back = ResumePoint.FromJson(point.ToJson());
        Assert.Equal(point.Block, back.Block);
        Assert.Equal(point.Steps, back.Steps);
        Assert.Equal(point.After, back.After);
        Assert.Equal(point.Call, back.Call);
        Assert.Throws<FormatException>(() => ResumePoint.FromJson("{\"block\":\"End\"}"));
        Assert.Throws<FormatException>(() => ResumePoint.FromJson("not json"));
    }

    [Fact]
    public void Offsets_map_back_through_insertions_and_replacements()
    {
        const string text = "switch ($x) { abc { Checkpoint-Workflow } }";
        var script = RunbookScript.ForResume(text, new ResumePoint(TokenKind.End, new[] { new PathStep(0, 0, 0), new PathStep(0) }, After: true));
        Assert.Contains("($__SmaResume ? {$true} : 'abc')", script.Text); // a bare word clause is quoted
        var tracker = Tracker(script);
        Assert.Equal(new[] { new PathStep(0) }, script.PointAt(OffsetOf(script.Text, "'abc'"), 1, tracker).Point.Steps);
        AssertSameLines(text, script);
    }
}
