using System.Management.Automation.Language;
using System.Text;

namespace Sma.Engine.Workflows;

/// <summary>A workflow runbook translated to PowerShell 7 script: the entry workflow's name and the script's text.</summary>
public sealed record WorkflowTranslation(string EntryName, string Text);

/// <summary>
/// Translates Windows PowerShell Workflow source to a PowerShell 7 script by walking the tree PowerShell's parser
/// builds (DESIGN §11). Every edit is made in place — constructs are wrapped where they stand, text is inserted on
/// the lines it belongs to, no source line moves — so line numbers in errors, stack traces and checkpoints are the
/// original's. The entry workflow's body becomes the script (its param block the script's), other workflows become
/// functions, Parallel/Sequence/foreach -parallel/InlineScript and the activity common parameters become calls to
/// the commands every job runspace has (see <see cref="WorkflowCommands"/>). Deterministic: the same source always
/// gives the same text.
/// </summary>
internal sealed partial class WorkflowTranslator
{
    private readonly WorkflowFile _file;
    private readonly FunctionDefinitionAst _entry;
    private readonly string _runbook;
    private readonly TextEdits _edits;
    private readonly Dictionary<string, FunctionDefinitionAst> _ownCommands = new(StringComparer.OrdinalIgnoreCase);
    private int _argumentSets;

    private WorkflowTranslator(WorkflowFile file, FunctionDefinitionAst entry, string runbook)
    {
        _file = file;
        _entry = entry;
        _runbook = runbook;
        _edits = new TextEdits(file.Source);
        foreach (var definition in file.Ast.FindAll(a => a is FunctionDefinitionAst, true).Cast<FunctionDefinitionAst>())
            _ownCommands.TryAdd(definition.Name, definition);
    }

    /// <summary>
    /// The translation of <paramref name="source"/>, or null when it defines no workflow (a plain script). The entry is
    /// the workflow named <paramref name="preferredName"/>, else the one named <paramref name="fileBaseName"/>, else
    /// the only one. Errors name <paramref name="runbookName"/> and the line.
    /// </summary>
    public static WorkflowTranslation? Translate(string source, string? preferredName, string? fileBaseName, string runbookName)
    {
        var file = WorkflowFile.TryParse(source, runbookName);
        if (file is null)
            return null;
        var entry = file.Entry(preferredName, fileBaseName, runbookName);
        return new WorkflowTranslation(entry.Name, new WorkflowTranslator(file, entry, runbookName).Run());
    }

    private string Run()
    {
        TranslateDefinitions();
        foreach (var node in _file.Ast.FindAll(_ => true, true).OrderBy(a => a.Extent.StartOffset))
        {
            switch (node)
            {
                case BlockStatementAst block when WorkflowCode.IsWorkflowStatement(block):
                    TranslateBlock(block);
                    break;
                case ForEachStatementAst loop when WorkflowCode.IsParallelForEach(loop):
                    TranslateParallelForEach(loop);
                    break;
                case CommandAst command when WorkflowCode.IsWorkflowStatement(command):
                    TranslateCommand(command);
                    break;
                case UsingExpressionAst usingExpression:
                    TranslateUsing(usingExpression);
                    break;
                case VariableExpressionAst variable when IsWorkflowDrive(variable) && WorkflowCode.IsWorkflowStatement(variable):
                    TranslateWorkflowVariable(variable);
                    break;
                case AssignmentStatementAst assignment when WorkflowCode.InBranch(assignment):
                    MakeAtomic(assignment);
                    break;
                case UnaryExpressionAst unary when WorkflowCode.InBranch(unary):
                    MakeAtomic(unary);
                    break;
            }
        }
        TranslatePersistPreference();
        FlushWrappers();
        var text = _edits.Apply();
        Verify(text);
        return text;
    }

    /// <summary>
    /// The entry's header and closing brace go (its body is the script); other workflows become functions. When
    /// definitions precede the entry, its param block must still open the script: it moves, on one line, in front of
    /// the first of them. Function definitions that follow statements are defined up front, as Workflow did.
    /// </summary>
    private void TranslateDefinitions()
    {
        foreach (var workflow in _file.Ast.FindAll(a => a is FunctionDefinitionAst { IsWorkflow: true }, true).Cast<FunctionDefinitionAst>())
        {
            var start = workflow.Extent.StartOffset;
            if (workflow == _entry)
            {
                _edits.Replace(start, workflow.Body.Extent.StartOffset + 1, "");
                // In a workflow every terminating error ends the workflow (the job suspends), also one PowerShell
                // ends only the statement with (1 + "abc", a .NET method's exception): a trap of the script's scope
                // passes any error no try/catch handles on, from any depth. Where the closing brace was: it moves
                // no line of the body.
                _edits.Replace(workflow.Body.Extent.EndOffset - 1, workflow.Body.Extent.EndOffset, ";trap { break }");
                continue;
            }
            if (!workflow.Extent.Text.StartsWith("workflow", StringComparison.OrdinalIgnoreCase))
                throw Unsupported(workflow, "this workflow definition", "Write it as 'workflow Name { ... }'.");
            _edits.Replace(start, start + "workflow".Length, "function");
        }

        var first = _file.Ast.EndBlock.Statements[0];
        if (first != _entry && _entry.Body.ParamBlock is { } param)
            MoveParamBlock(param, first.Extent.StartOffset);

        HoistFunctions(_entry.Body, laterDefinitions: _file.Ast.EndBlock.Statements.Any(s => s.Extent.StartOffset > _entry.Extent.StartOffset));
        foreach (var nested in _file.Ast.FindAll(a => a is FunctionDefinitionAst { IsWorkflow: true } f && f != _entry, true))
            HoistFunctions(((FunctionDefinitionAst)nested).Body, laterDefinitions: false);
    }

    /// <summary>A script's param block comes first: moved before <paramref name="offset"/>, flattened to one line.</summary>
    private void MoveParamBlock(ParamBlockAst param, int offset)
    {
        var start = param.Attributes.Select(a => a.Extent.StartOffset).Append(param.Extent.StartOffset).Min();
        var end = param.Extent.EndOffset;
        var text = new StringBuilder(_file.Source[start..end]);
        foreach (var token in _file.Tokens.Where(t => t.Extent.StartOffset >= start && t.Extent.EndOffset <= end).Reverse())
        {
            var at = token.Extent.StartOffset - start;
            var length = token.Extent.EndOffset - token.Extent.StartOffset;
            switch (token.Kind)
            {
                case TokenKind.Comment when token.Text.StartsWith('#'):
                    text.Remove(at, length).Insert(at, token.Text.Contains("#>") ? "" : "<#" + token.Text[1..] + " #>");
                    break;
                case TokenKind.HereStringExpandable or TokenKind.HereStringLiteral:
                case TokenKind.StringLiteral or TokenKind.StringExpandable when token.Text.Contains('\n'):
                    throw Unsupported(param, $"the param block of workflow '{_entry.Name}' (a multi-line string, while " +
                                             "other definitions come before the workflow)",
                        $"Put workflow '{_entry.Name}' first in the file.");
                case TokenKind.LineContinuation:
                    text.Remove(at, length).Insert(at, " ");
                    break;
            }
        }
        var flat = text.ToString().Replace("\r\n", " ").Replace('\n', ' ').Replace('\r', ' ');
        _edits.Insert(offset, flat + " ", EditOrder.Before(-1));
        _edits.Replace(start, end, "");
    }

    /// <summary>
    /// Workflow compiled a workflow's nested functions and workflows before running it, so they could be called
    /// before their definition: such bodies define all their functions first (from a parse of the same text, so
    /// their lines stay the original's).
    /// </summary>
    private void HoistFunctions(ScriptBlockAst body, bool laterDefinitions)
    {
        var statements = body.EndBlock?.Statements;
        if (statements is null || statements.Count == 0)
            return;
        var firstCode = statements.TakeWhile(s => s is FunctionDefinitionAst).Count();
        var definitionAfterCode = statements.Skip(firstCode).Any(s => s is FunctionDefinitionAst);
        if (!definitionAfterCode && !laterDefinitions)
            return;
        _edits.Insert(statements[0].Extent.StartOffset,
            "$__SmaWorkflow.DefineFunctions($ExecutionContext.SessionState, {}); ", EditOrder.Before(-1));
    }

    /// <summary>
    /// Parallel { a; b } becomes Invoke-SmaWorkflowParallel (Get-Variable) @( {a}; {b} ): each statement a branch.
    /// Sequence { } becomes if ($true) { }: its statements run in order, where they stand.
    /// </summary>
    private void TranslateBlock(BlockStatementAst block)
    {
        if (block.Kind.Kind == TokenKind.Sequence)
        {
            _edits.Replace(block.Kind.Extent.StartOffset, block.Kind.Extent.EndOffset, "if ($true)");
            return;
        }
        if (block.Kind.Kind != TokenKind.Parallel)
            throw Unsupported(block, $"the '{block.Kind.Text}' block", "Use Parallel, Sequence or foreach -Parallel.");
        if (block.Body.Traps is { Count: > 0 })
            throw Unsupported(block.Body.Traps[0], "a trap directly in a Parallel block", "Put the trap inside a Sequence branch.");
        var body = block.Body.Extent;
        _edits.Replace(block.Extent.StartOffset, body.StartOffset + 1, "Invoke-SmaWorkflowParallel (Get-Variable) @(");
        _edits.Replace(body.EndOffset - 1, body.EndOffset, ")");
        foreach (var branch in block.Body.Statements)
        {
            var depth = WorkflowCode.Depth(branch);
            _edits.Insert(branch.Extent.StartOffset, "{", EditOrder.Before(depth));
            _edits.Insert(branch.Extent.EndOffset, "}", EditOrder.After(depth));
        }
    }

    /// <summary>
    /// foreach -parallel -throttlelimit N ($x in $items) { body } becomes
    /// Invoke-SmaWorkflowForEach (Get-Variable) 'x' ($items) (N) { body }.
    /// </summary>
    private void TranslateParallelForEach(ForEachStatementAst loop)
    {
        if (!WorkflowCode.IsWorkflowStatement(loop))
            return; // reported by WorkflowFile
        var condition = loop.Condition.Extent;
        var name = loop.Variable.VariablePath.UserPath.Replace("'", "''");
        var throttle = loop.ThrottleLimit?.Extent.Text ?? "$null";
        if (throttle.Contains('\n') || throttle.Contains('\r'))
            throw Unsupported(loop, "a -ThrottleLimit written over several lines", "Write it on one line.");
        _edits.Replace(loop.Extent.StartOffset, condition.StartOffset, $"Invoke-SmaWorkflowForEach (Get-Variable) '{name}' (");
        // The body's '{' must stay on the command's line: line breaks before it go inside the last parentheses.
        var gap = _file.Source[condition.EndOffset..loop.Body.Extent.StartOffset];
        var breaks = gap.Count(c => c == '\n');
        _edits.Replace(condition.EndOffset, loop.Body.Extent.StartOffset, $") ({throttle}{new string('\n', breaks)}) ");
    }

    private void Verify(string text)
    {
        Parser.ParseInput(text, out _, out var errors);
        if (errors.Length == 0)
            return;
        var line = errors[0].Extent.StartLineNumber;
        throw Sma.Engine.SmaErrors.WorkflowUnsupportedShape(_runbook, line, "the code",
            $"Its translation is not valid PowerShell 7 ({errors[0].Message}); rewrite the construct on that line, or " +
            "compare with Get-SmaRunbookDefinition -Translated of a similar runbook.");
    }

    private SmaException Unsupported(Ast at, string what, string hint) =>
        Sma.Engine.SmaErrors.WorkflowUnsupportedShape(_runbook, at.Extent.StartLineNumber, what, hint);

    private static bool IsWorkflowDrive(VariableExpressionAst variable) =>
        variable.VariablePath.DriveName is { } drive && drive.Equals("Workflow", StringComparison.OrdinalIgnoreCase);

    /// <summary>A variable reference that is safe anywhere, in code and in expandable strings.</summary>
    private static string Braced(string name) => "${" + name.Replace("`", "``").Replace("}", "`}") + "}";

    private static string Quoted(string text) => "'" + text.Replace("'", "''") + "'";
}
