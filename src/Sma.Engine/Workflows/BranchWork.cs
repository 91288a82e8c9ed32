using System.Management.Automation;
using System.Management.Automation.Language;

namespace Sma.Engine.Workflows;

/// <summary>
/// One branch or item to run: the script block literal in the job's script that holds its code (located again by
/// position in a fresh parse of the same text, in the branch's own runspace), and for foreach -parallel the item.
/// </summary>
internal sealed record BranchWork(string Text, int Start, int End, IScriptExtent Anchor, string? ItemName, object? Item)
{
    /// <summary>The name the text was parsed under (an inline child runbook's), so positions read as in the job.</summary>
    public string? File => string.IsNullOrEmpty(Anchor.File) ? null : Anchor.File;

    public static BranchWork Of(ScriptBlock block, string? itemName, object? item)
    {
        // The literal's own Ast is read here, on the job's thread; the branch never touches the job's objects.
        var (text, start, end) = ScriptText.Locate(block.Ast);
        return new BranchWork(text, start, end, block.Ast.Extent, itemName, item);
    }
}
