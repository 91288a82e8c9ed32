using System.Management.Automation.Language;

namespace Sma.Engine.Execution.Resume;

/// <summary>
/// Writes the text a job runs (DESIGN §4.8). Only what leads to a checkpoint changes, and never a line:
/// <list type="bullet">
/// <item>every run: a foreach/switch whose body may checkpoint walks its collection through
/// <c>$__SmaPath.Loop(id, ...)</c>, which captures it once (a checkpoint keeps it and the loop's position);
/// each Checkpoint-Workflow/Suspend-Workflow statement passes its site (<c>-SmaSite n</c>), so it needs no call-stack
/// inspection; a statement that may checkpoint through a call (a function of the runbook, a script block handed to
/// a command, <c>&amp; $cmd</c>, a helper checkpointing from other threads such as Invoke-SmaParallel) first marks
/// itself (<c>$__SmaPath.Site(n)</c>);</item>
/// <item>a resumed run, in addition, only along the one path it resumes: the variables and location are restored
/// first; in each statement list of the path, the statements before the path's are skipped while
/// <c>$__SmaResume</c> is set (function definitions still run), the path's statement is entered without
/// re-evaluating what led into it (if conditions, loop conditions, a for's initializer, a foreach's collection,
/// switch clause tests; a catch is entered by throwing its type; a finally by skipping the try body), and at the
/// checkpoint statement the flag is cleared so everything after it runs as written.</item>
/// </list>
/// </summary>
internal sealed class RunbookRewriter
{
    private const string Flag = "$__SmaResume";
    private const string PathVariable = "$__SmaPath";
    private const string Suspending = "$__SmaSuspending";

    private readonly StaticTree _tree;
    private readonly TextEdits _edits;
    private readonly HashSet<StaticStatement> _entered = new();

    private RunbookRewriter(string source, Token[] tokens, StaticTree tree)
    {
        _tree = tree;
        _edits = new TextEdits(source, tokens);
    }

    /// <summary>Rewrites for a run that starts fresh (<paramref name="resume"/> null) or resumes at a point.</summary>
    public static (string Text, OffsetMap Map) Rewrite(string source, ScriptBlockAst script, Token[] tokens, StaticTree tree,
        IReadOnlyList<StaticStatement>? resume, ResumePoint? point)
    {
        var rewriter = new RunbookRewriter(source, tokens, tree);
        if (resume is not null && point is not null)
            rewriter.ResumePath(resume, point);
        rewriter.EveryRun();
        rewriter.NotWhileSuspending(script);
        return rewriter._edits.Any ? rewriter._edits.Build() : (source, OffsetMap.Identity);
    }

    private void EveryRun()
    {
        foreach (var loop in _tree.Loops)
            if (!_entered.Contains(loop))
                WalkLoop(loop, resuming: false);
        foreach (var site in _tree.Sites)
        {
            if (site.CheckpointCommand is { } command)
                _edits.Insert(command.CommandElements[0].Extent.EndOffset, $" -SmaSite {site.SiteId}");
            else if (site.Mark == SiteMark.Helper)
                _edits.BeforeStatement(site.Ast, $"{PathVariable}.Site({site.SiteId},$ExecutionContext.SessionState);", TextEdits.Rank.Marker);
            else
                _edits.BeforeStatement(site.Ast, $"{PathVariable}.Site({site.SiteId});", TextEdits.Rank.Marker);
        }
    }

    /// <summary>
    /// A suspension unwinds the runbook like a stop, and PowerShell runs finally blocks and traps while a stopping
    /// pipeline unwinds. Those of the runbook (at any depth, functions included) do nothing while the job is
    /// suspending: the try they belong to runs on after the resume, and its finally then runs once.
    /// </summary>
    private void NotWhileSuspending(ScriptBlockAst script)
    {
        foreach (var ast in script.FindAll(a => a is TryStatementAst { Finally: not null } or TrapStatementAst, searchNestedScriptBlocks: true))
        {
            if (ast is TrapStatementAst trap)
            {
                _edits.Insert(trap.Body.Extent.StartOffset + 1, $"if({Suspending}){{break}};", TextEdits.Rank.Entry);
                continue;
            }
            var body = ((TryStatementAst)ast).Finally!;
            _edits.Insert(body.Extent.StartOffset + 1, $"if(-not {Suspending}){{", TextEdits.Rank.Entry);
            _edits.Insert(body.Extent.EndOffset - 1, "}", TextEdits.Rank.Close);
        }
    }

    private void ResumePath(IReadOnlyList<StaticStatement> chain, ResumePoint point)
    {
        // Restore first, before the first statement of the runbook's first block.
        var first = _tree.Blocks.SelectMany(b => b.Statements).FirstOrDefault();
        if (first is null)
            return;
        _edits.BeforeStatement(first.Ast, "$__SmaJob.Restore($ExecutionContext.SessionState);", TextEdits.Rank.Restore);

        // Blocks before the path's block are skipped whole.
        foreach (var block in _tree.Blocks.TakeWhile(b => b.Block != point.Block))
            Skip(block, 0, block.Statements.Count, clearAfter: false);

        for (var level = 0; level < chain.Count; level++)
        {
            var statement = chain[level];
            var list = statement.List;
            if (level < chain.Count - 1)
            {
                Skip(list, 0, statement.Index, clearAfter: false);
                Enter(statement, point.Steps[level].Child);
            }
            else if (point.After)
            {
                Skip(list, 0, statement.Index + 1, clearAfter: true);
            }
            else
            {
                Skip(list, 0, statement.Index, clearAfter: false);
                _edits.BeforeStatement(statement.Ast, $"{Flag}=$null;", TextEdits.Rank.Clear);
            }
        }
    }

    /// <summary>
    /// Wraps statements [from, to) of a list so they do not run while resuming, in runs between definitions
    /// (function and class definitions always run). With <paramref name="clearAfter"/>, the last run ends the resume.
    /// </summary>
    private void Skip(StaticList list, int from, int to, bool clearAfter)
    {
        var runs = new List<(int First, int Last)>();
        for (var i = from; i < to; i++)
        {
            if (list.Statements[i].IsDefinition)
                continue;
            if (runs.Count > 0 && runs[^1].Last == i - 1)
                runs[^1] = (runs[^1].First, i);
            else
                runs.Add((i, i));
        }
        for (var r = 0; r < runs.Count; r++)
        {
            var (firstIndex, lastIndex) = runs[r];
            var clears = clearAfter && r == runs.Count - 1 && lastIndex == to - 1;
            _edits.BeforeStatement(list.Statements[firstIndex].Ast, $"if(-not {Flag}){{", TextEdits.Rank.Open);
            _edits.AfterStatement(list.Statements[lastIndex].Ast, clears ? $"}}else{{{Flag}=$null}}" : "}");
        }
        if (clearAfter && (runs.Count == 0 || runs[^1].Last != to - 1) && to > 0)
        {
            // The checkpoint statement itself is a definition (cannot be) or the list was empty: clear right after it.
            _edits.AfterStatement(list.Statements[to - 1].Ast, $";{Flag}=$null");
        }
    }

    /// <summary>Goes into statement list <paramref name="child"/> of a compound statement without re-deciding it.</summary>
    private void Enter(StaticStatement statement, int child)
    {
        switch (statement.Ast)
        {
            case IfStatementAst s:
                // Clauses up to the path's are decided by the path; later ones are never reached while resuming.
                for (var i = 0; i < s.Clauses.Count && i <= child; i++)
                    WrapCondition(s.Clauses[i].Item1, i == child ? "$true" : "$false");
                break;
            case ForEachStatementAst:
                WalkLoop(statement, resuming: true);
                break;
            case ForStatementAst s:
                if (s.Initializer is { } init)
                {
                    _edits.Insert(init.Extent.StartOffset, $"{Flag} ? $null : $(");
                    _edits.Insert(init.Extent.EndOffset, ")");
                }
                if (s.Condition is { } forCondition)
                    WrapCondition(forCondition, "$true");
                break;
            case WhileStatementAst s:
                WrapCondition(s.Condition, "$true");
                break;
            case DoWhileStatementAst or DoUntilStatementAst:
                break; // the body runs first anyway
            case SwitchStatementAst s:
                WalkLoop(statement, resuming: true);
                // Clauses tested before the path's clause must not match this element; the path's clause must.
                var isDefault = child == s.Clauses.Count;
                for (var i = 0; i < s.Clauses.Count && (isDefault || i <= child); i++)
                {
                    var pattern = s.Clauses[i].Item1;
                    var forced = i == child ? "{$true}" : "{$false}";
                    _edits.Insert(pattern.Extent.StartOffset, $"({Flag} ? {forced} : ");
                    QuoteBareword(pattern);
                    _edits.Insert(pattern.Extent.EndOffset, ")");
                }
                break;
            case TryStatementAst s:
                EnterTry(s, child);
                break;
            case PipelineAst:
                break; // . { ... }: its statements run in place; its own list skips to the path
            default:
                throw new InvalidOperationException($"A resume path cannot enter a {statement.Ast.GetType().Name}.");
        }
    }

    private void EnterTry(TryStatementAst s, int child)
    {
        var bodyStart = s.Body.Extent.StartOffset + 1; // after '{'
        if (child == 0)
            return; // the try body's own list skips to the path
        if (child <= s.CatchClauses.Count)
        {
            // Enter catch clause k by throwing an exception of its (first) type: the most specific handler wins.
            var clause = s.CatchClauses[child - 1];
            var type = clause.IsCatchAll ? "$null" : clause.CatchTypes[0].Extent.Text;
            _edits.Insert(bodyStart, $"if({Flag}){{throw {PathVariable}.CatchSignal({type})}}", TextEdits.Rank.Entry);
            return;
        }
        // The finally: the try body does nothing, no catch runs, the finally's own list skips to the path.
        _edits.Insert(bodyStart, $"if(-not {Flag}){{", TextEdits.Rank.Entry);
        _edits.Insert(s.Body.Extent.EndOffset - 1, "}", TextEdits.Rank.Close);
    }

    private void WrapCondition(PipelineBaseAst condition, string whenResuming)
    {
        _edits.Insert(condition.Extent.StartOffset, $"({Flag} ? {whenResuming} : (");
        _edits.Insert(condition.Extent.EndOffset, "))");
    }

    /// <summary>A foreach's collection or a switch's input, captured once; resuming, the checkpoint's instead.</summary>
    private void WalkLoop(StaticStatement loop, bool resuming)
    {
        _entered.Add(loop);
        var id = loop.LoopId;
        string open, close = ")";
        switch (loop.Ast)
        {
            case ForEachStatementAst f:
                open = $"{PathVariable}.Loop({id},(";
                close = "))";
                Wrap(f.Condition, open, close, resuming, id);
                break;
            case SwitchStatementAst s when (s.Flags & SwitchFlags.File) != 0:
                BlankFileFlag(s);
                QuoteBareword(s.Condition);
                // Without -File the input must be in parentheses.
                Wrap(s.Condition, $"({PathVariable}.FileLines({id},(", "),$ExecutionContext.SessionState))", resuming, id);
                break;
            case SwitchStatementAst s:
                // @(...) enumerates as switch does: $null is one element, no output none.
                Wrap(s.Condition, $"{PathVariable}.Loop({id},@(", "))", resuming, id);
                break;
            default:
                throw new InvalidOperationException("Only foreach and switch statements walk a collection.");
        }

        void Wrap(PipelineBaseAst condition, string start, string end, bool resume, int loopId)
        {
            if (resume)
            {
                start = $"({Flag} ? {PathVariable}.Rewalk({loopId}) : {start}";
                end += ")";
            }
            _edits.Insert(condition.Extent.StartOffset, start);
            _edits.Insert(condition.Extent.EndOffset, end);
        }
    }

    /// <summary>A bare word (switch clause 'abc', switch -File path) would be a command inside parentheses.</summary>
    private void QuoteBareword(Ast ast)
    {
        var bare = ast switch
        {
            StringConstantExpressionAst { StringConstantType: StringConstantType.BareWord } s => s,
            PipelineAst { PipelineElements: [CommandExpressionAst { Expression: StringConstantExpressionAst { StringConstantType: StringConstantType.BareWord } s }] } => s,
            PipelineAst { PipelineElements: [CommandAst { CommandElements: [StringConstantExpressionAst { StringConstantType: StringConstantType.BareWord } s] }] } => s,
            _ => null,
        };
        if (bare is not null)
            _edits.Replace(bare.Extent, "'" + bare.Value.Replace("'", "''") + "'");
    }

    /// <summary>The -File parameter of a walked switch becomes spaces: the walk reads the file's lines itself.</summary>
    private void BlankFileFlag(SwitchStatementAst s)
    {
        var text = s.Extent.Text;
        var conditionStart = s.Condition.Extent.StartOffset - s.Extent.StartOffset;
        Parser.ParseInput(text[..conditionStart], out var tokens, out _);
        foreach (var token in tokens)
        {
            if (token.Kind == TokenKind.Parameter && token.Text.Length >= 2
                && "-file".StartsWith(token.Text, StringComparison.OrdinalIgnoreCase))
            {
                var start = s.Extent.StartOffset + token.Extent.StartOffset;
                _edits.Replace(new OffsetExtent(start, token.Text), new string(' ', token.Text.Length));
                return;
            }
        }
        throw new InvalidOperationException("The switch has the File flag but no -File parameter token.");
    }

    /// <summary>An extent known only by offset and text (for a replacement).</summary>
    private sealed class OffsetExtent : IScriptExtent
    {
        public OffsetExtent(int start, string text)
        {
            StartOffset = start;
            Text = text;
        }

        public string File => "";
        public IScriptPosition StartScriptPosition => throw new NotSupportedException();
        public IScriptPosition EndScriptPosition => throw new NotSupportedException();
        public int StartLineNumber => 0;
        public int StartColumnNumber => 0;
        public int EndLineNumber => 0;
        public int EndColumnNumber => 0;
        public string Text { get; }
        public int StartOffset { get; }
        public int EndOffset => StartOffset + Text.Length;
    }
}
