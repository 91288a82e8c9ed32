using System.Management.Automation.Language;
using Sma.Engine.Workflows;
using Xunit;

namespace Sma.Engine.Tests;

/// <summary>The Workflow translator (DESIGN §11): text in, PowerShell 7 script out, every statement on its own line.</summary>
public class WorkflowTranslatorTests
{
    /// <summary>Translates, and checks what every translation must be: valid PowerShell 7, deterministic, lines kept.</summary>
    private static string Translate(string source, string? name = null, string? fileName = null)
    {
        var translation = WorkflowTranslator.Translate(source, name, fileName, name ?? fileName ?? "Test")
                          ?? throw new Xunit.Sdk.XunitException("not recognised as Workflow source");
        var text = translation.Text;
        Parser.ParseInput(text, out _, out var errors);
        Assert.True(errors.Length == 0, $"not valid PowerShell 7: {string.Join("; ", errors.Select(e => $"line {e.Extent.StartLineNumber}: {e.Message}"))}\n{text}");
        Assert.Equal(text, WorkflowTranslator.Translate(source, name, fileName, name ?? fileName ?? "Test")!.Text);
        AssertLinesKept(source, text);
        return text;
    }

    /// <summary>Every command name and string of the source is on the same line of the translation.</summary>
    private static void AssertLinesKept(string source, string text)
    {
        var original = source.ReplaceLineEndings("\n").Split('\n');
        var translated = text.ReplaceLineEndings("\n").Split('\n');
        Assert.Equal(original.Length, translated.Length);
        Parser.ParseInput(source, out var tokens, out _);
        foreach (var token in tokens)
        {
            var kept = (token.TokenFlags & TokenFlags.CommandName) != 0 && token.Kind != TokenKind.InlineScript
                       || token.Kind is TokenKind.StringLiteral or TokenKind.StringExpandable && !token.Text.Contains('\n');
            if (!kept || token.Text.Contains("$Using:", StringComparison.OrdinalIgnoreCase) || token.Text.Contains("$Workflow:", StringComparison.OrdinalIgnoreCase))
                continue;
            var line = token.Extent.StartLineNumber;
            Assert.True(translated[line - 1].Contains(token.Text, StringComparison.Ordinal),
                $"'{token.Text}' left line {line}:\n{translated[line - 1]}\n--- translation ---\n{text}");
        }
    }

    private static SmaException Refused(string source, string? name = null) =>
        Assert.Throws<SmaException>(() => WorkflowTranslator.Translate(source, name, null, name ?? "Test"));

    private static string Line(string text, int line) => text.ReplaceLineEndings("\n").Split('\n')[line - 1];

    /// <summary>A line with runs of spaces made one: where removed parameters leave blanks does not matter.</summary>
    private static string Squashed(string text, int line) =>
        System.Text.RegularExpressions.Regex.Replace(Line(text, line).Trim(), " {2,}", " ");

    [Fact]
    public void A_script_is_not_workflow_source()
    {
        Assert.Null(WorkflowTranslator.Translate("param($x)\nfunction f { 'workflow' }\n\"workflow $x\"", null, "f", "f"));
    }

    [Fact]
    public void The_entry_body_becomes_the_script_with_its_param_block_and_attributes()
    {
        var text = Translate("""
            <# .SYNOPSIS A runbook. #>
            #requires -Version 3
            workflow Deploy-App
            {
                [CmdletBinding()]
                [OutputType([string])]
                param([Parameter(Mandatory = $true)] [string] $Name, [int] $Count = 2)
                $x = [int]::Parse('5')
                "deploying $Name $x"
            }
            # SIG # Begin signature block
            # MIIFuQYJKoZIhvcNAQcCoIIFqjCCBaYCAQExCzAJBgUrDgMCGgUAMGkGCisGAQQB
            # SIG # End signature block
            """);
        var script = Parser.ParseInput(text, out _, out _);
        Assert.NotNull(script.ParamBlock);
        Assert.Equal(new[] { "Name", "Count" }, script.ParamBlock!.Parameters.Select(p => p.Name.VariablePath.UserPath));
        Assert.Equal(2, script.ParamBlock.Attributes.Count);
        Assert.DoesNotContain("workflow", text.Split('\n')[2], StringComparison.OrdinalIgnoreCase);
        Assert.Equal(2, script.EndBlock.Statements.Count);
        Assert.Equal(8, script.EndBlock.Statements[0].Extent.StartLineNumber);
    }

    [Fact]
    public void The_entry_is_named_by_Name_else_by_the_file_else_the_only_workflow()
    {
        const string two = "workflow First { 'first' }\nworkflow Second { 'second' }";
        Assert.Equal("Second", WorkflowTranslator.Translate(two, "Second", "First", "Second")!.EntryName);
        Assert.Equal("First", WorkflowTranslator.Translate(two, null, "First", "First")!.EntryName);
        Assert.Equal("Only", WorkflowTranslator.Translate("workflow Only { 1 }", null, "file-name", "file-name")!.EntryName);
        var unclear = Assert.Throws<SmaException>(() => WorkflowTranslator.Translate(two, null, "Neither", "Neither"));
        Assert.Equal("WorkflowEntryNotFound", unclear.ErrorId);
        Assert.Contains("'First', 'Second'", unclear.Message);
    }

    [Fact]
    public void Other_workflows_of_the_file_become_functions_and_the_param_block_still_opens_the_script()
    {
        var text = Translate("""
            workflow Get-Double
            {
                param([int] $N)
                $N * 2
            }
            workflow Main
            {
                param(
                    [int] $Value = 4  # the input
                )
                Get-Double -N $Value
                Get-Later
            }
            workflow Get-Later { 'later' }
            """, "Main");
        var script = Parser.ParseInput(text, out _, out _);
        Assert.Equal("Value", script.ParamBlock!.Parameters.Single().Name.VariablePath.UserPath);
        Assert.StartsWith("param(", Line(text, 1).TrimStart());
        Assert.Contains("function Get-Double", Line(text, 1));
        Assert.Contains("function Get-Later", Line(text, 14));
        // Get-Later is defined after the entry's statements: defined up front, as Workflow compiled it.
        Assert.Contains("$__SmaWorkflow.DefineFunctions(", Line(text, 11));
    }

    [Fact]
    public void Nested_workflows_become_functions_and_functions_stay()
    {
        var text = Translate("""
            workflow Outer
            {
                workflow Inner { param($A) "inner $A" }
                function Helper { param($B) "helper $B" }
                Inner -A 1
                Helper 2
            }
            """);
        Assert.Contains("function Inner", Line(text, 3));
        Assert.Contains("function Helper", Line(text, 4));
        Assert.DoesNotContain("DefineFunctions", text); // defined before any statement: nothing to hoist
    }

    [Fact]
    public void Parallel_branches_are_script_blocks_and_Sequence_runs_in_place()
    {
        var text = Translate("""
            workflow Par
            {
                $total = 0
                Parallel
                {
                    Get-Process -Id $PID
                    Sequence {
                        $a = 1
                        "seq $a"
                    }
                }
                Sequence { 'alone' }
            }
            """);
        Assert.Equal("Invoke-SmaWorkflowParallel (Get-Variable) @(", Line(text, 4).Trim());
        Assert.Equal("", Line(text, 5).Trim()); // the '{' went into the line above
        Assert.Equal("{Get-Process -Id $PID}", Line(text, 6).Trim());
        Assert.Equal("{if ($true) {", Line(text, 7).Trim());
        Assert.Equal("}}", Line(text, 10).Trim());
        Assert.Equal(")", Line(text, 11).Trim());
        Assert.Equal("if ($true) { 'alone' }", Line(text, 12).Trim());
    }

    [Fact]
    public void Foreach_parallel_becomes_a_call_with_its_items_throttle_and_body()
    {
        var text = Translate("""
            workflow Each
            {
                $vms = 'a', 'b'
                foreach -parallel -throttlelimit 5 ($vm in $vms)
                {
                    "vm $vm"
                }
                foreach -parallel ($i in 1..3) { $i }
            }
            """);
        Assert.Equal("Invoke-SmaWorkflowForEach (Get-Variable) 'vm' ($vms) (5", Line(text, 4).Trim());
        Assert.Equal(") {", Line(text, 5).Trim());
        Assert.Contains("Invoke-SmaWorkflowForEach (Get-Variable) 'i' (1..3) ($null) { $i }", Line(text, 8));
    }

    [Fact]
    public void InlineScript_runs_in_a_child_scope_with_Using_values_handed_in()
    {
        var text = Translate("""
            workflow Inline
            {
                $name = 'x'
                $items = 1, 2
                $r = InlineScript {
                    "$Using:name has $($Using:items.Count)"
                    $using:items[0]
                    Invoke-Command -ScriptBlock { $Using:name }
                    Start-ThreadJob { $using:name } | Receive-Job -Wait
                }
                InlineScript { 'no usings' }
            }
            """);
        Assert.Equal("$r = & {param($__SmaUsing)", Line(text, 5).Trim());
        Assert.Contains("\"$($__SmaUsing['name']) has $($__SmaUsing['items'].Count)\"", Line(text, 6));
        Assert.Contains("$__SmaUsing['items'][0]", Line(text, 7));
        Assert.Contains("Invoke-Command -ScriptBlock { $Using:name }", Line(text, 8)); // PowerShell's own $Using:
        Assert.Contains("Start-ThreadJob { $using:name }", Line(text, 9));
        Assert.Equal("} @{ 'name' = ${name}; 'items' = ${items}; }", Line(text, 10).Trim());
        Assert.Equal("& { 'no usings' }", Line(text, 11).Trim());
    }

    [Fact]
    public void InlineScript_with_PSComputerName_runs_through_the_remoting_helper()
    {
        var text = Translate("""
            workflow Remote
            {
                $c = 'srv1'
                InlineScript { hostname; $Using:c } -PSComputerName $c, srv2 -PSCredential $cred -PSRequiredModules Az.Accounts
            }
            """);
        var line = Line(text, 4);
        Assert.Contains("Invoke-SmaWorkflowRemote -Activity 'InlineScript' -Line 4 -ScriptBlock {param($__SmaUsing) Import-Module -Name ('Az.Accounts') -ErrorAction Stop; ", line);
        Assert.Contains("-Using @{ 'c' = ${c}; }", line);
        Assert.Contains("-PSComputerName:($c, 'srv2')", line);
        Assert.Contains("-PSCredential:($cred)", line);
    }

    [Fact]
    public void An_activity_with_PSComputerName_evaluates_its_arguments_in_the_job()
    {
        var text = Translate("""
            workflow Remote
            {
                Get-Service -Name $svc -PSComputerName $servers
            }
            """);
        Assert.Equal(
            "Invoke-SmaWorkflowRemote -Activity 'Get-Service' -Line 3 -ScriptBlock {param($__SmaUsing) ${svc} = $__SmaUsing['svc']; " +
            "Get-Service -Name $svc } -Using @{ 'svc' = ${svc}; } -PSComputerName:($servers)",
            Squashed(text, 3));
    }

    [Fact]
    public void Workflow_variables_in_branches_go_through_the_shared_scope_and_updates_are_atomic()
    {
        var text = Translate("""
            workflow Shared
            {
                $count = 0
                $Workflow:count = 1
                foreach -parallel ($i in 1..3) {
                    $Workflow:count += $i
                    $Workflow:last = $i
                    "now $Workflow:count"
                    $Workflow:count++
                }
            }
            """);
        Assert.Equal("${count} = 1", Line(text, 4).Trim());
        Assert.Equal("$__SmaWorkflowScope.Enter(); try { $__SmaWorkflowScope['count'] += $i } finally { $__SmaWorkflowScope.Exit() }", Line(text, 6).Trim());
        Assert.Equal("$__SmaWorkflowScope['last'] = $i", Line(text, 7).Trim());
        Assert.Equal("\"now $($__SmaWorkflowScope['count'])\"", Line(text, 8).Trim());
        Assert.Equal("$__SmaWorkflowScope.Enter(); try { $__SmaWorkflowScope['count']++ } finally { $__SmaWorkflowScope.Exit() }", Line(text, 9).Trim());
    }

    [Fact]
    public void PSPersist_checkpoints_after_the_statement()
    {
        var text = Translate("""
            workflow Persist
            {
                $d = Get-Date -PSPersist $true
                Get-Date -PSPersist:$false
                Get-Date -PSPersist $wanted
                Get-Date -PSPersist
            }
            """);
        Assert.Equal("$d = Get-Date ; Checkpoint-Workflow", Squashed(text, 3));
        Assert.Equal("Get-Date", Squashed(text, 4));
        Assert.Equal("Get-Date ; if ($wanted) { Checkpoint-Workflow }", Squashed(text, 5));
        Assert.Equal("Get-Date ; Checkpoint-Workflow", Squashed(text, 6));
    }

    [Fact]
    public void PSPersistPreference_checkpoints_after_each_activity_while_it_is_on()
    {
        var text = Translate("""
            workflow Pref
            {
                $PSPersistPreference = $true
                Get-Date
                $x = 1
                $PSPersistPreference = $false
            }
            """);
        Assert.Equal("Get-Date; if ($PSPersistPreference) { Checkpoint-Workflow }", Line(text, 4).Trim());
        Assert.Equal("$x = 1", Line(text, 5).Trim());
    }

    [Fact]
    public void Retries_and_timeouts_wrap_the_pipeline_other_activity_parameters_are_dropped_with_a_note()
    {
        var text = Translate("""
            workflow Common
            {
                $r = Get-Content -Path $p -PSActionRetryCount 3 -PSActionRetryIntervalSec 2 -PSActionRunningTimeoutSec 30
                Get-Date -PSDisableSerialization $true -PSConnectionRetryCount 2 -MergeErrorToOutput $true
                Get-Item -Path $p -DisplayName 'Read the file'
            }
            """);
        Assert.Equal(
            "$r = Invoke-SmaWorkflowActivity @{ Activity = 'Get-Content'; Line = 3; PSActionRetryCount = (3); PSActionRetryIntervalSec = (2); " +
            "PSActionRunningTimeoutSec = (30) } {Get-Content -Path $p }",
            Squashed(text, 3));
        var line4 = Squashed(text, 4);
        Assert.StartsWith("Write-Verbose '-PSDisableSerialization of Get-Date at line 4 was ignored:", line4);
        Assert.Contains("Write-Verbose '-PSConnectionRetryCount of Get-Date at line 4 was ignored: without -PSComputerName", line4);
        Assert.EndsWith("Get-Date 2>&1", line4);
        Assert.Equal(
            "$__SmaActivityArgs1 = Get-SmaWorkflowActivityArgs 'Get-Item' 5 @{ 'DisplayName' = ('Read the file') }; Get-Item -Path $p @__SmaActivityArgs1",
            Line(text, 5).Trim());
    }

    [Fact]
    public void A_nested_workflow_that_declares_an_activity_name_as_its_own_parameter_keeps_it()
    {
        var text = Translate("""
            workflow Outer
            {
                workflow Label { param([string] $DisplayName) "label $DisplayName" }
                Label -DisplayName 'mine'
            }
            """);
        Assert.Equal("Label -DisplayName 'mine'", Line(text, 4).Trim());
    }

    [Fact]
    public void Script_outside_the_workflows_is_refused_naming_its_line()
    {
        var error = Refused("workflow Test-X\n{\n    'x'\n}\n\nMeasure-Command { Test-X }\n");
        Assert.Equal("WorkflowScriptOutsideWorkflow", error.ErrorId);
        Assert.Contains("line 6", error.Message);
        Assert.Contains("Measure-Command { Test-X }", error.Message);
        Assert.Equal("WorkflowScriptOutsideWorkflow", Refused("param($a)\nworkflow W { 1 }").ErrorId);
    }

    [Theory]
    [InlineData("workflow W {\n  function F {\n    parallel { 1 }\n  }\n}", "parallel", 3)]
    [InlineData("workflow W {\n  InlineScript {\n    sequence { 1 }\n  }\n}", "sequence", 3)]
    [InlineData("workflow W {\n  1..2 | ForEach-Object {\n    foreach -parallel ($i in 1) { $i }\n  }\n}", "foreach -parallel", 3)]
    public void Workflow_keywords_outside_workflow_code_are_refused_naming_their_line(string source, string keyword, int line)
    {
        var error = Refused(source);
        Assert.Equal("WorkflowKeywordOutsideWorkflow", error.ErrorId);
        Assert.Contains($"'{keyword}' at line {line}", error.Message);
    }

    [Fact]
    public void Workflow_keywords_in_a_plain_script_are_refused_naming_their_line()
    {
        var error = Assert.Throws<SmaException>(() => Sma.Engine.Services.RunbookSource.Parse("Plain", "'a'\nparallel {\n  'b'\n}"));
        Assert.Equal("WorkflowKeywordOutsideWorkflow", error.ErrorId);
        Assert.Contains("line 2", error.Message);
    }

    [Theory]
    [InlineData("workflow W {\n  InlineScript {\n    param($a) $a\n  }\n}", "a param block in an InlineScript", 3)]
    [InlineData("workflow W {\n  InlineScript { 1 } 'extra'\n}", "after the InlineScript's script block", 2)]
    [InlineData("workflow W {\n  workflow Inner { 1 }\n  Inner -PSComputerName srv1\n}", "-PSComputerName on the call to 'Inner'", 3)]
    [InlineData("workflow W {\n  $x | Get-Item -PSComputerName srv1\n}", "-PSComputerName on Get-Item, which takes pipeline input", 2)]
    public void Unsupported_shapes_are_refused_naming_their_line(string source, string what, int line)
    {
        var error = Refused(source);
        Assert.Equal("WorkflowUnsupportedShape", error.ErrorId);
        Assert.Contains(what, error.Message);
        Assert.Contains($"at line {line}", error.Message);
    }

    [Fact]
    public void Syntax_errors_other_than_workflow_ones_are_syntax_errors()
    {
        var error = Refused("workflow W {\n  $x = (1 +\n}");
        Assert.Equal("RunbookSyntaxError", error.ErrorId);
        Assert.DoesNotContain("Workflow is not supported", error.Message);
    }

    [Fact]
    public void A_byte_order_mark_comments_and_windows_line_breaks_are_fine()
    {
        var path = Path.Combine(Path.GetTempPath(), $"Crlf-{Guid.NewGuid():n}.ps1");
        File.WriteAllText(path, "# comment\r\nworkflow Crlf\r\n{\r\n    param([string] $A)\r\n    \"a $A\"\r\n}\r\n", new System.Text.UTF8Encoding(true));
        try
        {
            var text = Translate(Sma.Engine.Services.RunbookSource.ReadFile(path));
            Assert.Contains("\"a $A\"", Line(text, 5));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
