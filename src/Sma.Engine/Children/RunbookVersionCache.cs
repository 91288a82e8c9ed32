using System.Collections.Concurrent;
using System.Management.Automation.Language;
using Sma.Engine.Model;
using Sma.Engine.Store;

namespace Sma.Engine.Children;

/// <summary>A runbook version's run text, and the names it calls.</summary>
internal sealed record ParsedRunbookVersion(string RunbookName, string Text, IReadOnlyDictionary<string, int> Calls)
{
    /// <summary>
    /// A fresh parse of the text, with the runbook's name as its file name, so error positions and stack traces
    /// inside it read "At Child:3 char:5". Fresh for each job: compiling annotates the tree, so concurrent jobs must
    /// not share one.
    /// </summary>
    public ScriptBlockAst Parse()
    {
        var ast = Parser.ParseInput(Text, RunbookName, out _, out var errors);
        // Published versions parsed cleanly when imported; say where if this text does not (the job cannot start).
        return errors.Length == 0 ? ast : throw new System.Management.Automation.ParseException(errors);
    }
}

/// <summary>
/// Runbook versions' run texts and calls, read and parsed once per process: versions never change, and every start
/// of a runbook would otherwise read and parse the same texts again.
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
        var text = RunText(definition);
        var parsed = new ParsedRunbookVersion(definition.RunbookName, text, RunbookCalls.Of(Parser.ParseInput(text, out _, out _)));
        if (Parsed.Count >= Capacity)
            Parsed.Clear();
        return Parsed[versionId] = parsed;
    }

    /// <summary>The text a worker runs for a version: a Workflow source's PowerShell 7 translation, else the source.</summary>
    internal static string RunText(RunbookDefinition definition) => definition.Translated ?? definition.Content;
}
