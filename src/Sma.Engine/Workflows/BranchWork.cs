using System.Management.Automation;
using System.Management.Automation.Language;

namespace Sma.Engine.Workflows;

/// <summary>
/// The code of a branch: a copy of the script block literal of the job's script that holds it, made on the job's
/// thread when the block starts. A branch compiles a copy of this copy in its own runspace: the job's own script
/// block objects are never run elsewhere, no tree is compiled by two threads (compiling annotates it), and the
/// extents are the original ones, so positions are the runbook's own lines. Copying costs far less than parsing.
/// </summary>
internal sealed class BranchCode
{
    private readonly ScriptBlockAst _master;

    private readonly HashSet<int> _finalCheckpoints = new(); // offsets of checkpoint commands the branch ends with

    public BranchCode(ScriptBlock literal)
    {
        _master = (ScriptBlockAst)literal.Ast.Copy();
        Anchor = literal.Ast.Extent;
        if (_master is { ParamBlock: null, BeginBlock: null, ProcessBlock: null, EndBlock: { } end })
            AddFinalCheckpoints(end.Statements);
    }

    /// <summary>Where the literal stands in the job's script.</summary>
    public IScriptExtent Anchor { get; }

    /// <summary>
    /// True when a checkpoint taken with <paramref name="callStack"/> is the last statement the branch runs (its
    /// body ends with Checkpoint-Workflow or Suspend-Workflow — written so, or as -PSPersist on its last activity —
    /// also at the end of a Sequence or an if): once it is saved, nothing of the branch is left to do.
    /// </summary>
    public bool EndsAt(object[] callStack)
    {
        if (_finalCheckpoints.Count == 0)
            return false;
        var text = Anchor.StartScriptPosition.GetFullScript();
        foreach (var frame in callStack.Select(f => f is PSObject p ? p.BaseObject : f).OfType<CallStackFrame>())
        {
            if (frame.Position is { } position && _finalCheckpoints.Contains(position.StartOffset)
                && position.StartScriptPosition.GetFullScript() == text)
                return true;
        }
        return false;
    }

    private void AddFinalCheckpoints(IReadOnlyList<StatementAst> statements)
    {
        switch (statements.Count > 0 ? statements[^1] : null)
        {
            case PipelineAst { PipelineElements: [CommandAst command] } when command.GetCommandName() is { } name
                && (name.Equals("Checkpoint-Workflow", StringComparison.OrdinalIgnoreCase) || name.Equals("Suspend-Workflow", StringComparison.OrdinalIgnoreCase)):
                _finalCheckpoints.Add(command.Extent.StartOffset);
                break;
            case IfStatementAst branches: // Sequence { } is translated to if ($true) { }
                foreach (var clause in branches.Clauses)
                    AddFinalCheckpoints(clause.Item2.Statements);
                if (branches.ElseClause is { } otherwise)
                    AddFinalCheckpoints(otherwise.Statements);
                break;
        }
    }

    /// <summary>
    /// A script block of the branch's own, for the runspace of the calling thread. Its statements get a
    /// <c>trap { break }</c> after their own traps, so any terminating error no try/catch or trap of the branch handles
    /// ends the branch, as the workflow's own trap ends the workflow (also one PowerShell ends only the statement
    /// with, such as 1 + "abc"). The trap is part of the body rather than a wrapper that calls it, so the body stays
    /// the outermost frame and Write-Error names the branch's own line, not the wrapper's call.
    /// </summary>
    public ScriptBlock Compile() => WithEndingTrap((ScriptBlockAst)_master.Copy()).GetScriptBlock();

    private static readonly TrapStatementAst EndingTrap = Parser.ParseInput("trap { break }", out _, out _)
        .EndBlock.Traps[0];

    private static ScriptBlockAst WithEndingTrap(ScriptBlockAst body)
    {
        if (body is not { ParamBlock: null, BeginBlock: null, ProcessBlock: null, DynamicParamBlock: null, EndBlock: { } end })
            return body; // not the shape of a translated branch: run as it is
        var statements = end.Statements.Select(s => (StatementAst)s.Copy());
        var traps = (end.Traps ?? Enumerable.Empty<TrapStatementAst>()).Select(t => (TrapStatementAst)t.Copy())
            .Append((TrapStatementAst)EndingTrap.Copy());
        var block = new NamedBlockAst(end.Extent, end.BlockKind, new StatementBlockAst(end.Extent, statements, traps), end.Unnamed);
        return new ScriptBlockAst(body.Extent, body.UsingStatements.Select(u => (UsingStatementAst)u.Copy()),
            body.Attributes.Select(a => (AttributeAst)a.Copy()), null, null, null, block, null);
    }
}

/// <summary>One branch or item to run: its code, and for foreach -parallel the item and its variable's name.</summary>
internal sealed record BranchWork(BranchCode Code, string? ItemName, object? Item);
