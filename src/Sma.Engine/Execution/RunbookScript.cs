using System.Collections.Concurrent;
using System.Management.Automation;
using System.Management.Automation.Language;
using System.Reflection;
using System.Text;
using Sma.Engine.Execution.Resume;

namespace Sma.Engine.Execution;

/// <summary>
/// A runbook's source and the text a job runs for it (DESIGN §4.8): the source itself when nothing in it can
/// checkpoint, else the source rewritten on its own lines (<see cref="RunbookRewriter"/>) so a checkpoint records
/// its exact place — statement path, loop positions — and a resumed run goes straight back there. Also maps
/// positions in the running text back to the source, so errors name the runbook's own lines and columns.
/// </summary>
internal sealed class RunbookScript
{
    /// <summary>
    /// Commands that take checkpoints from other threads through <see cref="JobContext.CheckpointWith"/> (what a
    /// translated workflow calls for Parallel, foreach -parallel and timed activities, whose code runs in runspaces of
    /// its own): statements calling them mark themselves so those checkpoints resume by running the statement again.
    /// </summary>
    public static readonly IReadOnlySet<string> DefaultHelperCommands =
        new HashSet<string>(Workflows.WorkflowCommands.Helpers, StringComparer.OrdinalIgnoreCase);

    private static readonly PropertyInfo? ScriptPositionProperty =
        typeof(InvocationInfo).GetProperty("ScriptPosition", BindingFlags.NonPublic | BindingFlags.Instance);

    private readonly StaticTree? _tree; // null when the source does not parse (PowerShell reports the error)
    private readonly OffsetMap _map;
    private readonly int[] _lineStarts;
    private readonly List<StaticStatement>? _resumeChain;

    private RunbookScript(string source, ResumePoint? resume, IReadOnlySet<string>? helpers, IReadOnlySet<string>? calls)
    {
        Source = source;
        _lineStarts = LineStarts(source);
        var ast = Parser.ParseInput(source, out var tokens, out var errors);
        if (errors.Length > 0)
        {
            (Text, _map) = (source, OffsetMap.Identity);
            StartsOver = resume is not null;
            return;
        }
        _tree = new StaticTree(ast, helpers ?? DefaultHelperCommands, calls);
        if (resume is not null)
        {
            resume = Fit(resume, _tree);
            _resumeChain = resume is null ? null : _tree.Follow(resume);
            StartsOver = _resumeChain is null;
            Resume = StartsOver ? null : resume;
        }
        (Text, _map) = _tree.AnyCheckpoint || _resumeChain is not null
            ? RunbookRewriter.Rewrite(source, ast, tokens, _tree, _resumeChain, Resume)
            : (source, OffsetMap.Identity);
    }

    /// <summary>The runbook's own source.</summary>
    public string Source { get; }

    /// <summary>The script text to run: the source, or the source rewritten on its own lines.</summary>
    public string Text { get; }

    /// <summary>Where this run resumes; null for a run from the start.</summary>
    public ResumePoint? Resume { get; }

    /// <summary>The site of the statement this run resumes at (-1 if it has none, or the run does not resume).</summary>
    public int ResumedSite => _resumeChain is { Count: > 0 } chain ? chain[^1].SiteId : -1;

    /// <summary>A resume whose checkpoint does not fit this source: the run starts over, as new.</summary>
    public bool StartsOver { get; }

    /// <summary>How many loops walk a captured collection (the size of the job's <see cref="PathTracker"/>).</summary>
    public int LoopCount => _tree?.Loops.Count ?? 0;

    // Fresh-start scripts hold no per-job state: jobs of one runbook version share one (PowerShell, too, caches the
    // compiled text), so a job start does not parse the source again. Bounded: cleared when it grows past a size.
    private static readonly ConcurrentDictionary<(string Source, IReadOnlySet<string> Helpers, string Calls), RunbookScript> Started = new();
    private const int CacheSize = 256;

    /// <summary>The text for a run from the start.</summary>
    /// <param name="source">The runbook's source (for a Workflow runbook, its translation).</param>
    /// <param name="helpers">Commands that checkpoint from other threads; null: <see cref="DefaultHelperCommands"/>.</param>
    /// <param name="calls">Commands defined outside the source that may checkpoint on the job's thread (inline child
    /// runbooks): calls to them are treated like calls to the runbook's own checkpointing functions — the loops
    /// around them keep their position, and a checkpoint inside runs the calling statement again.</param>
    public static RunbookScript ForStart(string source, IReadOnlySet<string>? helpers = null, IReadOnlySet<string>? calls = null)
    {
        // The calls by their names: each job makes its own set of its children's names.
        var key = (source, helpers ?? DefaultHelperCommands, CallsKey(calls));
        if (Started.TryGetValue(key, out var cached))
            return cached;
        if (Started.Count >= CacheSize)
            Started.Clear();
        return Started.GetOrAdd(key, k => new RunbookScript(k.Source, null, k.Helpers, calls));
    }

    private static string CallsKey(IReadOnlySet<string>? calls) =>
        calls is null || calls.Count == 0 ? "" : string.Join("\n", calls.Select(c => c.ToUpperInvariant()).Order(StringComparer.Ordinal));

    /// <summary>The text for a run resuming at <paramref name="point"/> (same arguments as <see cref="ForStart"/>).</summary>
    public static RunbookScript ForResume(string source, ResumePoint point, IReadOnlySet<string>? helpers = null, IReadOnlySet<string>? calls = null) =>
        new(source, point, helpers, calls);

    /// <summary>A legacy top-level index past the last statement means "nothing left": skip past the last one.</summary>
    private static ResumePoint? Fit(ResumePoint point, StaticTree tree)
    {
        if (!point.IsLegacy)
            return point;
        var block = tree.BlockOf(TokenKind.End);
        if (tree.Blocks.Count != 1 || block is null || block.Ast is NamedBlockAst { Unnamed: false })
            return null; // runbooks with named blocks started over before resume paths existed
        if (point.TopIndex < block.Statements.Count)
            return point;
        return block.Statements.Count == 0 ? null : new ResumePoint(TokenKind.End, new[] { new PathStep(block.Statements.Count - 1) }, After: true);
    }

    // ----- where a checkpoint stands -----

    /// <summary>A checkpoint at a site: a Checkpoint-Workflow statement (resume after it), a marked statement (run it again).</summary>
    public (ResumePoint Point, Dictionary<int, object?[]> Loops) PointOfSite(int site, bool after, PathTracker tracker)
    {
        if (_tree is null || site < 0 || site >= _tree.Sites.Count)
            return (Beginning(0), new());
        return Point(_tree.Sites[site].Chain(), after, 0, tracker);
    }

    /// <summary>
    /// A checkpoint taken inside a call (the <paramref name="call"/>th since the statement began): the innermost
    /// statement of the tree at <paramref name="textOffset"/>, to run again.
    /// </summary>
    public (ResumePoint Point, Dictionary<int, object?[]> Loops) PointAt(int textOffset, int call, PathTracker tracker)
    {
        if (_tree is null || textOffset < 0)
            return (Beginning(call), new());
        var chain = _tree.Containing(_map.ToSource(textOffset));
        return chain.Count == 0 ? (Beginning(call), new()) : Point(chain, after: false, call, tracker);
    }

    private ResumePoint Beginning(int call) =>
        new(_tree?.Blocks.FirstOrDefault()?.Block ?? TokenKind.End, new[] { new PathStep(0) }, After: false, call);

    /// <summary>
    /// The path to the chain's last statement, with the position of every walked loop on the way. A foreach/switch
    /// that walks no captured collection cannot be re-entered at an element: the path stops there and the loop runs
    /// again as a whole.
    /// </summary>
    private static (ResumePoint, Dictionary<int, object?[]>) Point(List<StaticStatement> chain, bool after, int call, PathTracker tracker)
    {
        var steps = new List<PathStep>();
        var loops = new Dictionary<int, object?[]>();
        for (var i = 0; i < chain.Count; i++)
        {
            var statement = chain[i];
            var last = i == chain.Count - 1;
            if (!last && statement.Ast is ForEachStatementAst or SwitchStatementAst)
            {
                if (tracker.Active(statement.LoopId) is not { Position: >= 0 } walk)
                {
                    steps.Add(new PathStep(statement.Index));
                    return (new ResumePoint(chain[0].List.Block, steps, After: false, call), loops);
                }
                steps.Add(new PathStep(statement.Index, chain[i + 1].List.Ordinal, walk.Position));
                loops[i] = walk.Remaining();
                continue;
            }
            steps.Add(new PathStep(statement.Index, last ? -1 : chain[i + 1].List.Ordinal));
        }
        return (new ResumePoint(chain[0].List.Block, steps, after, after ? 0 : call), loops);
    }

    /// <summary>Resuming: the walks to restore, by loop id, from the checkpoint's kept elements (by step).</summary>
    public IEnumerable<(int LoopId, LoopWalk Walk)> RestoredWalks(IReadOnlyDictionary<int, IList<object?>> kept)
    {
        if (_resumeChain is null || Resume is null)
            yield break;
        for (var i = 0; i < _resumeChain.Count - 1; i++)
        {
            if (_resumeChain[i].LoopId < 0 || Resume.Steps[i].Position is not { } position)
                continue;
            var items = kept.TryGetValue(i, out var list) ? list : Array.Empty<object?>();
            yield return (_resumeChain[i].LoopId, PathTracker.Restored(items, position));
        }
    }

    // ----- words for the job history -----

    /// <summary>"after the checkpoint on line 12 (iteration 3 of the foreach on line 9)" and the like.</summary>
    public string Describe(ResumePoint point)
    {
        var chain = _tree?.Follow(point);
        if (chain is null || chain.Count == 0)
            return point.IsLegacy ? $"at top-level statement {point.TopIndex + 1}" : "from the beginning";
        var target = chain[^1];
        var where = point.IsLegacy
            ? $"at top-level statement {point.TopIndex + 1} (line {target.Line}), as saved by an earlier version"
            : point.After
                ? $"after the checkpoint on line {target.Line}"
                : $"at line {target.Line}, running that statement again (its checkpoint was taken inside a call)";
        var loops = new List<string>();
        for (var i = 0; i < chain.Count - 1; i++)
            if (point.Steps[i].Position is { } position)
                loops.Add($"{(chain[i].Ast is SwitchStatementAst ? "element" : "iteration")} {position + 1} of the {chain[i].Keyword} on line {chain[i].Line}");
        return loops.Count == 0 ? where : $"{where} ({string.Join(", ", loops)})";
    }

    // ----- positions -----

    /// <summary>
    /// Where <paramref name="extent"/> starts in the runbook's source, as "line:column" — the same on a first run and
    /// after a resume, though the running text differs — or null when it is not in the running text (an inline child
    /// runbook's, a function defined from another text).
    /// </summary>
    public string? SourcePlace(IScriptExtent extent)
    {
        if (!string.IsNullOrEmpty(extent.File) || extent.StartScriptPosition.GetFullScript() is not { } full || full != Text)
            return null;
        var position = Position(ReferenceEquals(Text, Source) ? extent.StartOffset : _map.ToSource(extent.StartOffset));
        return $"{position.LineNumber}:{position.ColumnNumber}";
    }

    /// <summary>
    /// Points an error's position at the runbook's own source when it lies in the rewritten text, so its
    /// PositionMessage, ScriptLineNumber and OffsetInLine name the runbook's line and column.
    /// </summary>
    public void ToSourcePosition(ErrorRecord? record)
    {
        var info = record?.InvocationInfo;
        if (info is null || ReferenceEquals(Text, Source))
            return;
        var extent = info.DisplayScriptPosition ?? ScriptPositionProperty?.GetValue(info) as IScriptExtent;
        if (extent is null || !string.IsNullOrEmpty(extent.File) || extent.StartScriptPosition.GetFullScript() is not { } full || full != Text)
            return;
        var start = _map.ToSource(extent.StartOffset);
        var end = Math.Max(start, _map.ToSource(extent.EndOffset));
        info.DisplayScriptPosition = new ScriptExtent(Position(start), Position(end));
    }

    private ScriptPosition Position(int offset)
    {
        var line = Array.BinarySearch(_lineStarts, offset);
        if (line < 0)
            line = ~line - 1;
        var lineStart = _lineStarts[line];
        var lineEnd = line + 1 < _lineStarts.Length ? _lineStarts[line + 1] : Source.Length;
        var lineText = Source[lineStart..lineEnd].TrimEnd('\r', '\n');
        return new ScriptPosition(null, line + 1, offset - lineStart + 1, lineText, Source);
    }

    private static int[] LineStarts(string text)
    {
        var starts = new List<int> { 0 };
        for (var i = 0; i < text.Length; i++)
            if (text[i] == '\n')
                starts.Add(i + 1);
        return starts.ToArray();
    }

    /// <summary>For tests and diagnostics: the running text with its line numbers.</summary>
    public override string ToString()
    {
        var sb = new StringBuilder();
        var n = 1;
        foreach (var line in Text.Split('\n'))
            sb.Append(n++).Append(": ").AppendLine(line.TrimEnd('\r'));
        return sb.ToString();
    }
}
