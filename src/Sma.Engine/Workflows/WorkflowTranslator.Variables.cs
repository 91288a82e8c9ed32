using System.Management.Automation.Language;

namespace Sma.Engine.Workflows;

/// <summary>$Using:, $Workflow: and $PSPersistPreference.</summary>
internal sealed partial class WorkflowTranslator
{
    /// <summary>Where a $Using: reference reads from.</summary>
    private enum UsingContext
    {
        /// <summary>In a script block for Invoke-Command, Start-Job, Start-ThreadJob: PowerShell's own $Using:.</summary>
        PowerShell,

        /// <summary>In an InlineScript: the value handed to it when it started ($__SmaUsing['x']).</summary>
        InlineScript,

        /// <summary>In the workflow's own statements (a parallel branch): the workflow variable itself.</summary>
        Workflow,
    }

    private void TranslateUsing(UsingExpressionAst usingExpression)
    {
        var (context, _) = UsingContextOf(usingExpression);
        if (context == UsingContext.PowerShell)
            return;
        var variable = UsingVariable(usingExpression);
        if (variable is null)
            return;
        var name = UsingName(variable);
        string text;
        if (context == UsingContext.Workflow)
            text = Braced(name);
        else
            text = variable.Parent is ExpandableStringExpressionAst || usingExpression.Parent is ExpandableStringExpressionAst
                ? $"$($__SmaUsing[{Quoted(name)}])"
                : $"$__SmaUsing[{Quoted(name)}]";
        _edits.Replace(variable.Extent.StartOffset, variable.Extent.EndOffset, text);
    }

    /// <summary>The names an InlineScript's $Using: references read, in order of first use.</summary>
    private List<string> InlineUsings(ScriptBlockExpressionAst block) =>
        block.FindAll(a => a is UsingExpressionAst, true).Cast<UsingExpressionAst>()
            .Where(u => UsingContextOf(u) is (UsingContext.InlineScript, var owner) && owner == block)
            .Select(UsingVariable).OfType<VariableExpressionAst>().Select(UsingName)
            .Distinct(StringComparer.OrdinalIgnoreCase).ToList();

    /// <summary>
    /// Walks out from a $Using: reference: a script block handed to Invoke-Command and the like keeps PowerShell's
    /// meaning; an InlineScript's body reads what the InlineScript was handed; the workflow's own code reads the variable.
    /// </summary>
    private static (UsingContext, ScriptBlockExpressionAst?) UsingContextOf(UsingExpressionAst usingExpression)
    {
        for (var node = usingExpression.Parent; node is not null; node = node.Parent)
        {
            if (node is ScriptBlockExpressionAst block)
            {
                if (WorkflowCode.IsRemoteBlock(block))
                    return (UsingContext.PowerShell, null);
                if (block.Parent is CommandAst command && WorkflowCode.IsInlineScript(command) && command.CommandElements[1] == block)
                    return (UsingContext.InlineScript, block);
            }
            if (WorkflowCode.IsWorkflowBody(node))
                return (UsingContext.Workflow, null);
            if (node is FunctionDefinitionAst)
                return (UsingContext.PowerShell, null);
        }
        return (UsingContext.PowerShell, null);
    }

    /// <summary>The $Using:name variable of a using expression (its path is the bare name; the text has the prefix).</summary>
    private static VariableExpressionAst? UsingVariable(UsingExpressionAst usingExpression) =>
        usingExpression.Find(a => a is VariableExpressionAst v
                                  && (v.Extent.Text.StartsWith("$using:", StringComparison.OrdinalIgnoreCase)
                                      || v.Extent.Text.StartsWith("${using:", StringComparison.OrdinalIgnoreCase)), true)
            as VariableExpressionAst;

    private static string UsingName(VariableExpressionAst variable) => Unqualified(variable.VariablePath.UserPath);

    private static string Unqualified(string path) => path[(path.IndexOf(':') + 1)..];

    /// <summary>
    /// $Workflow:x in a parallel branch reads and writes the workflow's variable through $__SmaWorkflowScope (shared by
    /// all branches, applied to the workflow's scope); elsewhere in workflow code it is simply ${x}.
    /// </summary>
    private void TranslateWorkflowVariable(VariableExpressionAst variable)
    {
        var name = Unqualified(variable.VariablePath.UserPath);
        string text;
        if (!WorkflowCode.InBranch(variable))
            text = Braced(name);
        else
            text = variable.Parent is ExpandableStringExpressionAst
                ? $"$($__SmaWorkflowScope[{Quoted(name)}])"
                : $"$__SmaWorkflowScope[{Quoted(name)}]";
        _edits.Replace(variable.Extent.StartOffset, variable.Extent.EndOffset, text);
    }

    /// <summary>
    /// In a branch, '$Workflow:x += $y' (or any assignment to $Workflow:x that reads a $Workflow: variable) reads and
    /// writes as one step, as the single-threaded Workflow scheduler did: concurrent items never lose an update.
    /// </summary>
    private void MakeAtomic(AssignmentStatementAst assignment)
    {
        if (assignment.Left is not VariableExpressionAst left || !IsWorkflowDrive(left) || !WorkflowCode.IsWorkflowStatement(assignment))
            return;
        var readsWorkflow = assignment.Right.Find(a => a is VariableExpressionAst v && IsWorkflowDrive(v), true) is not null;
        if (assignment.Operator == TokenKind.Equals && !readsWorkflow)
            return;
        if (assignment.Parent is StatementBlockAst or NamedBlockAst)
            Lock(assignment);
    }

    /// <summary>'$Workflow:x++' in a branch: one atomic step as well.</summary>
    private void MakeAtomic(UnaryExpressionAst unary)
    {
        if (unary.Child is not VariableExpressionAst variable || !IsWorkflowDrive(variable) || !WorkflowCode.IsWorkflowStatement(unary))
            return;
        if (unary.TokenKind is not (TokenKind.PlusPlus or TokenKind.MinusMinus or TokenKind.PostfixPlusPlus or TokenKind.PostfixMinusMinus))
            return;
        Lock(WorkflowCode.ListStatement(unary));
    }

    private readonly HashSet<StatementAst> _locked = new();

    private void Lock(StatementAst statement)
    {
        if (!_locked.Add(statement))
            return;
        var depth = WorkflowCode.Depth(statement);
        _edits.Insert(statement.Extent.StartOffset, "$__SmaWorkflowScope.Enter(); try { ", EditOrder.Before(depth) + 0.4);
        _edits.Insert(statement.Extent.EndOffset, " } finally { $__SmaWorkflowScope.Exit() }", EditOrder.After(depth) - 0.9);
    }

    /// <summary>
    /// $PSPersistPreference = $true: Workflow checkpointed after every activity while it was on. When the workflow uses
    /// it, each statement that runs a command is followed by a checkpoint while the preference is $true.
    /// </summary>
    private void TranslatePersistPreference()
    {
        var used = _file.Ast.FindAll(a => a is VariableExpressionAst v
                                          && v.VariablePath.UserPath.Equals("PSPersistPreference", StringComparison.OrdinalIgnoreCase)
                                          && WorkflowCode.IsWorkflowStatement(v), true).Any();
        if (!used)
            return;
        var statements = _file.Ast.FindAll(a => a is StatementAst { Parent: StatementBlockAst or NamedBlockAst } && WorkflowCode.IsWorkflowStatement(a), true)
            .Cast<StatementAst>().Where(IsActivityStatement);
        foreach (var statement in statements)
        {
            _edits.Insert(statement.Extent.EndOffset, "; if ($PSPersistPreference) { Checkpoint-Workflow }",
                EditOrder.After(WorkflowCode.Depth(statement)) - 0.6);
        }
    }

    /// <summary>A statement that runs a command (an activity): a pipeline with one, or an assignment of one.</summary>
    private static bool IsActivityStatement(StatementAst statement)
    {
        var pipeline = statement switch
        {
            PipelineAst p => p,
            AssignmentStatementAst { Right: PipelineAst p } => p,
            _ => null,
        };
        return pipeline?.PipelineElements.OfType<CommandAst>().Any(c => c.GetCommandName() is not { } name
            || !(name.Equals("Checkpoint-Workflow", StringComparison.OrdinalIgnoreCase) || name.Equals("Suspend-Workflow", StringComparison.OrdinalIgnoreCase))) == true;
    }
}
