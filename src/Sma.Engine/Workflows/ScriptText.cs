using System.Management.Automation;
using System.Management.Automation.Language;

namespace Sma.Engine.Workflows;

/// <summary>
/// Code from the job's script, run again elsewhere (a branch runspace, a hoisted definition) with its original
/// positions: the same text is parsed again, or a copy of it in which everything but the wanted ranges is blanked
/// (line breaks kept), so every line and column is the one the runbook's author sees.
/// </summary>
internal static class ScriptText
{
    /// <summary>The whole text a script block was parsed from, and where in it the block stands.</summary>
    public static (string Text, int Start, int End) Locate(Ast ast) =>
        (ast.Extent.StartScriptPosition.GetFullScript() ?? ast.Extent.Text, ast.Extent.StartOffset, ast.Extent.EndOffset);

    /// <summary><paramref name="text"/> with everything outside <paramref name="keep"/> replaced by spaces, line breaks kept.</summary>
    public static string Masked(string text, IEnumerable<(int Start, int End)> keep)
    {
        var chars = new char[text.Length];
        for (var i = 0; i < text.Length; i++)
            chars[i] = text[i] is '\n' or '\r' ? text[i] : ' ';
        foreach (var (start, end) in keep)
            text.CopyTo(start, chars, start, end - start);
        return new string(chars);
    }

    /// <summary>
    /// Scripts that define <paramref name="functions"/> where they were defined: one masked copy of each source text,
    /// with definitions nested in another copied definition in a later copy (they exist only once the outer runs).
    /// </summary>
    public static List<string> DefinitionScripts(IEnumerable<FunctionInfo> functions)
    {
        var ranges = new List<(string Text, int Start, int End)>();
        foreach (var function in functions)
        {
            var ast = function.ScriptBlock?.Ast;
            if (ast is FunctionDefinitionAst)
                ranges.Add(Locate(ast));
        }
        var scripts = new List<string>();
        foreach (var group in ranges.Distinct().GroupBy(r => r.Text))
        {
            var pending = group.Select(r => (r.Start, r.End)).ToList();
            while (pending.Count > 0)
            {
                var outer = pending.Where(r => !pending.Any(o => o != r && o.Start <= r.Start && o.End >= r.End)).ToList();
                scripts.Add(Masked(group.Key, outer));
                pending = pending.Except(outer).ToList();
            }
        }
        return scripts;
    }
}
