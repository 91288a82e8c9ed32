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

    public BranchCode(ScriptBlock literal)
    {
        _master = (ScriptBlockAst)literal.Ast.Copy();
        Anchor = literal.Ast.Extent;
    }

    /// <summary>Where the literal stands in the job's script.</summary>
    public IScriptExtent Anchor { get; }

    /// <summary>A script block of the branch's own, for the runspace of the calling thread.</summary>
    public ScriptBlock Compile() => ((ScriptBlockAst)_master.Copy()).GetScriptBlock();
}

/// <summary>One branch or item to run: its code, and for foreach -parallel the item and its variable's name.</summary>
internal sealed record BranchWork(BranchCode Code, string? ItemName, object? Item);
