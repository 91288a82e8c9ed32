using System.Management.Automation.Language;

namespace Sma.Engine.Workflows;

/// <summary>Where a node of a workflow file stands: in a workflow's own statements, in a parallel branch, in an InlineScript.</summary>
internal static class WorkflowCode
{
    /// <summary>The body of a workflow definition.</summary>
    public static bool IsWorkflowBody(Ast ast) => ast is ScriptBlockAst { Parent: FunctionDefinitionAst { IsWorkflow: true } };

    /// <summary>The nearest script block around <paramref name="ast"/> (not itself).</summary>
    public static ScriptBlockAst? EnclosingScriptBlock(Ast ast)
    {
        for (var node = ast.Parent; node is not null; node = node.Parent)
        {
            if (node is ScriptBlockAst block)
                return block;
        }
        return null;
    }

    /// <summary>A statement (or part of one) of a workflow's own body — not of an InlineScript or other script block.</summary>
    public static bool IsWorkflowStatement(Ast ast) => EnclosingScriptBlock(ast) is { } block && IsWorkflowBody(block);

    public static bool IsParallelForEach(Ast ast) => ast is ForEachStatementAst loop && (loop.Flags & ForEachFlags.Parallel) != 0;

    public static bool IsParallelBlock(Ast ast) => ast is BlockStatementAst { Kind.Kind: TokenKind.Parallel };

    /// <summary>
    /// Inside a branch of a Parallel block or the body of a foreach -parallel, within the same workflow body: code that
    /// runs in a runspace of its own, where workflow variables change only through $Workflow:.
    /// </summary>
    public static bool InBranch(Ast ast)
    {
        for (Ast? child = ast, node = ast.Parent; node is not null; child = node, node = node.Parent)
        {
            if (node is ScriptBlockAst)
                return false;
            if (IsParallelBlock(node) && child == ((BlockStatementAst)node).Body)
                return true;
            if (IsParallelForEach(node) && child == ((ForEachStatementAst)node).Body)
                return true;
        }
        return false;
    }

    /// <summary>The InlineScript activity: a command whose name is the InlineScript keyword, in workflow code.</summary>
    public static bool IsInlineScript(CommandAst command) =>
        command.CommandElements[0] is StringConstantExpressionAst { StringConstantType: StringConstantType.BareWord } name
        && name.Value.Equals("InlineScript", StringComparison.OrdinalIgnoreCase)
        && IsWorkflowStatement(command);

    private static readonly HashSet<string> RemoteBlockCommands = new(StringComparer.OrdinalIgnoreCase)
    {
        "Invoke-Command", "icm", "Start-Job", "sajb", "Start-ThreadJob",
    };

    /// <summary>
    /// A script block handed to a command that gives $Using: its own meaning (Invoke-Command, Start-Job,
    /// Start-ThreadJob, ForEach-Object -Parallel): $Using: inside it is left alone.
    /// </summary>
    public static bool IsRemoteBlock(ScriptBlockExpressionAst block)
    {
        if (block.Parent is not CommandAst command || command.GetCommandName() is not { } name)
            return false;
        if (RemoteBlockCommands.Contains(name))
            return true;
        return name is "ForEach-Object" or "foreach" or "%"
               && command.CommandElements.OfType<CommandParameterAst>().Any(p => "Parallel".StartsWith(p.ParameterName, StringComparison.OrdinalIgnoreCase) && p.ParameterName.Length >= 2);
    }

    /// <summary>How deep <paramref name="ast"/> is in the tree: orders edits at the same offset.</summary>
    public static int Depth(Ast ast)
    {
        var depth = 0;
        for (var node = ast.Parent; node is not null; node = node.Parent)
            depth++;
        return depth;
    }

    /// <summary>The statement of a statement list (a block body) that contains <paramref name="ast"/>.</summary>
    public static StatementAst ListStatement(Ast ast)
    {
        for (Ast? node = ast; node is not null; node = node.Parent)
        {
            if (node is StatementAst statement && node.Parent is StatementBlockAst or NamedBlockAst)
                return statement;
        }
        throw new InvalidOperationException("A workflow node outside any statement list.");
    }
}
