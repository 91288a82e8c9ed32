using System.Management.Automation.Language;
using Sma.Engine.Services;

namespace Sma.Engine.Children;

/// <summary>
/// The commands a runbook calls by a literal name that could be a runbook's (letters, digits, '-' and '_'), less the
/// functions the runbook defines itself: those shadow a runbook of the same name. Dynamic calls (<c>&amp; $name</c>)
/// are not seen, so they never run a child. Each name maps to the line of its first call, so an error about the call
/// (a cycle) can name it; a translated workflow keeps every line where it was, so that is the source's line too.
/// </summary>
internal static class RunbookCalls
{
    public static IReadOnlyDictionary<string, int> Of(ScriptBlockAst ast)
    {
        var defined = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var function in ast.FindAll(a => a is FunctionDefinitionAst, searchNestedScriptBlocks: true).Cast<FunctionDefinitionAst>())
            defined.Add(WithoutScope(function.Name));

        var calls = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        foreach (var command in ast.FindAll(a => a is CommandAst, searchNestedScriptBlocks: true).Cast<CommandAst>())
        {
            if (command.GetCommandName() is { } name && RunbookSource.IsValidName(name) && !defined.Contains(name))
                calls.TryAdd(name, command.Extent.StartLineNumber); // FindAll walks in source order: the first call wins
        }
        return calls;
    }

    /// <summary><c>function global:Foo</c> defines Foo.</summary>
    private static string WithoutScope(string name)
    {
        var colon = name.IndexOf(':');
        return colon >= 0 ? name[(colon + 1)..] : name;
    }
}
