using System.Collections.Concurrent;
using System.Management.Automation.Language;
using Sma.Engine.Model;
using Sma.Engine.Store;

namespace Sma.Engine.Children;

/// <summary>A runbook version's run text parsed with the runbook's name as its file name, and the names it calls.</summary>
internal sealed record ParsedRunbookVersion(string RunbookName, ScriptBlockAst Ast, IReadOnlySet<string> Calls);

/// <summary>
/// Parsed runbook versions, read and parsed once per process: versions never change, and a job start or a worker
/// running many jobs of the same runbooks would otherwise parse the same text each time.
/// </summary>
internal static class RunbookVersionCache
{
    private const int Capacity = 256;
    private static readonly ConcurrentDictionary<Guid, ParsedRunbookVersion> Parsed = new();

    /// <summary>The version; <see cref="SmaErrors.ChildRunbookVersionMissing"/> when the store no longer has it.</summary>
    public static ParsedRunbookVersion Get(IJobStore store, Guid versionId, string runbookName)
    {
        if (Parsed.TryGetValue(versionId, out var cached))
            return cached;
        var definition = store.GetDefinition(versionId) ?? throw SmaErrors.ChildRunbookVersionMissing(runbookName, versionId);
        // The file name is the runbook's name, so error positions and stack traces inside it read "At Child:3 char:5".
        var ast = Parser.ParseInput(RunText(definition), definition.RunbookName, out _, out _);
        var parsed = new ParsedRunbookVersion(definition.RunbookName, ast, RunbookCalls.Of(ast));
        if (Parsed.Count >= Capacity)
            Parsed.Clear();
        return Parsed[versionId] = parsed;
    }

    /// <summary>
    /// The text a worker runs for a version. The one place to change when Workflow versions carry translated
    /// PowerShell 7 text (DESIGN §11): then the translation when there is one, else the source.
    /// </summary>
    internal static string RunText(RunbookDefinition definition) => definition.Content;
}
