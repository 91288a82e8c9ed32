using System.Management.Automation.Language;
using Sma.Engine.Execution;
using Xunit;

namespace Sma.Engine.Tests;

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

    private static int OffsetOf(RunbookScript script, string text, int occurrence = 1)
    {
        var at = -1;
        for (var n = 0; n < occurrence; n++)
            at = script.Text.IndexOf(text, at + 1, StringComparison.Ordinal);
        Assert.True(at >= 0, $"'{text}' not found");
        return at;
    }

    [Fact]
    public void A_fresh_start_runs_the_source_as_it_is()
    {
        Assert.Equal(Source, RunbookScript.ForStart(Source).Text);
    }

    [Fact]
    public void A_top_level_checkpoint_resumes_at_the_next_statement()
    {
        var script = RunbookScript.ForStart(Source);
        // statement 2 is the top-level Checkpoint-Workflow (0: function, 1: $count = 0)
        Assert.Equal(3, script.ResumeIndexFor(OffsetOf(script, "Checkpoint-Workflow", 2)));
    }

    [Fact]
    public void A_checkpoint_in_a_loop_re_runs_the_loop()
    {
        var script = RunbookScript.ForStart(Source);
        Assert.Equal(3, script.ResumeIndexFor(OffsetOf(script, "Checkpoint-Workflow", 3)));
    }

    [Fact]
    public void A_checkpoint_in_a_called_function_re_runs_the_calling_statement()
    {
        var script = RunbookScript.ForStart(Source);
        Assert.Equal(4, script.ResumeIndexFor(OffsetOf(script, "Helper }")));
    }

    [Fact]
    public void A_resume_keeps_param_replays_definitions_restores_then_runs_the_rest()
    {
        var script = RunbookScript.ForResume(Source, 4);
        var ast = Parser.ParseInput(script.Text, out _, out var errors);
        Assert.Empty(errors);
        Assert.NotNull(ast.ParamBlock);
        var statements = ast.EndBlock.Statements;
        Assert.IsType<FunctionDefinitionAst>(statements[0]);
        Assert.Contains("Restore", statements[1].Extent.Text);
        Assert.StartsWith("if ($true)", statements[2].Extent.Text);
        Assert.IsType<TypeDefinitionAst>(statements[3]);
        Assert.DoesNotContain("$count = 0", script.Text);
        Assert.DoesNotContain("foreach", script.Text);
    }

    [Fact]
    public void Positions_in_a_resumed_run_map_back_to_the_original_statements()
    {
        var script = RunbookScript.ForResume(Source, 3);
        Assert.Equal(3, script.ResumeIndexFor(OffsetOf(script, "$count++")));
        Assert.Equal(4, script.ResumeIndexFor(OffsetOf(script, "Helper }")));
        Assert.Equal(3, script.ResumeIndexFor(OffsetOf(script, "Restore"))); // not a runbook statement: where this run began
    }

    [Fact]
    public void Definitions_after_the_resume_point_are_not_replayed_twice()
    {
        var script = RunbookScript.ForResume(Source, 2);
        Assert.Single(Parser.ParseInput(script.Text, out _, out _).FindAll(a => a is TypeDefinitionAst, false));
    }

    [Fact]
    public void Runbooks_with_named_blocks_start_over()
    {
        const string named = "param($a)\nbegin { $x = 1 }\nprocess { Checkpoint-Workflow }\nend { 'e' }";
        var script = RunbookScript.ForResume(named, 1);
        Assert.False(script.Splittable);
        Assert.Equal(named, script.Text);
        Assert.Equal(0, script.ResumeIndexFor(named.IndexOf("Checkpoint", StringComparison.Ordinal)));
    }
}
