using System.Management.Automation.Language;
using Sma.Engine.Services;

namespace Sma.Engine.Workflows;

/// <summary>
/// A runbook file that defines PowerShell Workflows, parsed by PowerShell 7's parser (which still builds the whole
/// workflow tree and only adds an error saying it cannot run it). Checks what may stand in such a file and picks the
/// workflow the runbook runs (the entry): the one named like the runbook, else the one named like the file, else
/// the only one. The other workflows and functions of the file are helpers the entry can call.
/// </summary>
internal sealed class WorkflowFile
{
    private WorkflowFile(string source, ScriptBlockAst ast, Token[] tokens, IReadOnlyList<FunctionDefinitionAst> workflows)
    {
        Source = source;
        Ast = ast;
        Tokens = tokens;
        Workflows = workflows;
    }

    public string Source { get; }
    public ScriptBlockAst Ast { get; }
    public Token[] Tokens { get; }

    /// <summary>The workflows defined at the top of the file, in source order.</summary>
    public IReadOnlyList<FunctionDefinitionAst> Workflows { get; }

    /// <summary>
    /// The parsed file when <paramref name="source"/> defines a workflow; null for a plain script. Syntax errors
    /// (other than "workflows cannot run here") and script outside the workflows are reported for
    /// <paramref name="runbookName"/>.
    /// </summary>
    public static WorkflowFile? TryParse(string source, string runbookName)
    {
        var ast = Parser.ParseInput(source, out var tokens, out var errors);
        if (!ast.FindAll(a => a is FunctionDefinitionAst { IsWorkflow: true }, true).Any())
            return null;

        var real = errors.Where(e => !IsWorkflowOnly(ast, e)).ToList();
        if (real.FirstOrDefault(e => WorkflowKeyword(tokens, e) is not null) is { } misplaced)
            throw SmaErrors.WorkflowKeywordOutsideWorkflow(runbookName, WorkflowKeyword(tokens, misplaced)!, misplaced.Extent.StartLineNumber);
        if (real.Count > 0)
            throw RunbookSource.SyntaxError(runbookName, real);

        CheckTopLevel(ast, runbookName);
        var workflows = ast.EndBlock.Statements.OfType<FunctionDefinitionAst>().Where(f => f.IsWorkflow).ToList();
        if (workflows.Count == 0)
        {
            // A workflow nested in something else at the top (a function): that is script outside the workflows.
            var outer = ast.EndBlock.Statements.First(s => s.Find(a => a is FunctionDefinitionAst { IsWorkflow: true }, true) is not null);
            throw SmaErrors.WorkflowScriptOutsideWorkflow(runbookName, outer.Extent.StartLineNumber, outer.Extent.Text);
        }
        CheckKeywordPlacement(ast, runbookName);
        return new WorkflowFile(source, ast, tokens, workflows);
    }

    /// <summary>
    /// The entry workflow: the one named <paramref name="preferredName"/>, else the one named like the file, else the
    /// only one.
    /// </summary>
    public FunctionDefinitionAst Entry(string? preferredName, string? fileBaseName, string runbookName)
    {
        foreach (var name in new[] { preferredName, fileBaseName })
        {
            if (name is not null && Workflows.FirstOrDefault(w => w.Name.Equals(name, StringComparison.OrdinalIgnoreCase)) is { } named)
                return named;
        }
        if (Workflows.Count == 1)
            return Workflows[0];
        throw SmaErrors.WorkflowEntryNotFound(preferredName ?? fileBaseName ?? runbookName, Workflows.Select(w => w.Name).ToList());
    }

    /// <summary>The errors PowerShell 7 adds only because it cannot run workflows.</summary>
    private static bool IsWorkflowOnly(ScriptBlockAst ast, ParseError error)
    {
        if (error.ErrorId == "WorkflowNotSupportedInPowerShellCore")
            return true;
        // foreach -parallel: valid in a workflow's own statements.
        return error.ErrorId == "KeywordParameterReservedForFutureUse"
               && ast.Find(a => a is ForEachStatementAst f && f.Extent.StartOffset == error.Extent.StartOffset, true) is { } loop
               && WorkflowCode.IsWorkflowStatement(loop);
    }

    /// <summary>The Workflow keyword a parser error is about, if it is one (Parallel or Sequence outside a workflow).</summary>
    internal static string? WorkflowKeyword(Token[] tokens, ParseError error)
    {
        if (error.ErrorId == "KeywordParameterReservedForFutureUse")
            return "foreach -parallel";
        if (error.ErrorId != "UnexpectedKeyword")
            return null;
        var token = tokens.FirstOrDefault(t => t.Extent.StartOffset == error.Extent.StartOffset);
        return token?.Kind is TokenKind.Parallel or TokenKind.Sequence ? token.Text : null;
    }

    /// <summary>Only definitions may stand outside the workflows: workflows, functions, classes.</summary>
    private static void CheckTopLevel(ScriptBlockAst ast, string runbookName)
    {
        if (ast.ParamBlock is { } param)
            throw SmaErrors.WorkflowScriptOutsideWorkflow(runbookName, param.Extent.StartLineNumber, param.Extent.Text);
        foreach (var block in new[] { ast.DynamicParamBlock, ast.BeginBlock, ast.ProcessBlock })
        {
            if (block is not null)
                throw SmaErrors.WorkflowScriptOutsideWorkflow(runbookName, block.Extent.StartLineNumber, block.Extent.Text);
        }
        if (ast.EndBlock.Traps is { Count: > 0 } traps)
            throw SmaErrors.WorkflowScriptOutsideWorkflow(runbookName, traps[0].Extent.StartLineNumber, traps[0].Extent.Text);
        foreach (var statement in ast.EndBlock.Statements)
        {
            if (statement is not FunctionDefinitionAst and not TypeDefinitionAst)
                throw SmaErrors.WorkflowScriptOutsideWorkflow(runbookName, statement.Extent.StartLineNumber, statement.Extent.Text);
        }
    }

    /// <summary>
    /// Parallel, Sequence and foreach -parallel belong to a workflow's own statements. The parser accepts them in
    /// any script block inside a workflow (an InlineScript, a ForEach-Object block), where Windows PowerShell could
    /// never run them.
    /// </summary>
    private static void CheckKeywordPlacement(ScriptBlockAst ast, string runbookName)
    {
        var misplaced = ast.FindAll(a => a is BlockStatementAst || WorkflowCode.IsParallelForEach(a), true)
            .Where(a => !WorkflowCode.IsWorkflowStatement(a))
            .OrderBy(a => a.Extent.StartOffset)
            .FirstOrDefault();
        if (misplaced is null)
            return;
        var keyword = misplaced is BlockStatementAst block ? block.Kind.Text : "foreach -parallel";
        throw SmaErrors.WorkflowKeywordOutsideWorkflow(runbookName, keyword, misplaced.Extent.StartLineNumber);
    }
}
