using System.Management.Automation.Language;

namespace Sma.Engine.Execution.Resume;

/// <summary>
/// Why a statement marks itself (<c>$__SmaPath.Site(...)</c>) before it runs: its own parts (not its statement
/// lists) may checkpoint through a call — counted, so a resume that runs it again knows which of those
/// checkpoints were already taken — or call a helper that checkpoints from other threads, which is attributed to
/// the statement last marked.
/// </summary>
internal enum SiteMark
{
    None,
    Call,
    Helper,
}

/// <summary>
/// A statement list a resume can enter: a named block of the runbook, or a statement block of a compound statement
/// (if, loop, switch, try) inside one. Function bodies and script blocks handed to commands are not in the tree:
/// they are off the static path.
/// </summary>
internal sealed class StaticList
{
    public StaticList(TokenKind block, Ast ast, IReadOnlyList<StatementAst> statements, StaticStatement? owner, int ordinal)
    {
        Block = block;
        Ast = ast;
        StatementAsts = statements;
        Owner = owner;
        Ordinal = ordinal;
    }

    public TokenKind Block { get; }

    /// <summary>The NamedBlockAst or StatementBlockAst.</summary>
    public Ast Ast { get; }

    public IReadOnlyList<StatementAst> StatementAsts { get; }

    /// <summary>The compound statement this list belongs to; null for a named block.</summary>
    public StaticStatement? Owner { get; }

    /// <summary>Which of the owner's lists this is (see <see cref="PathStep.Child"/>).</summary>
    public int Ordinal { get; }

    public List<StaticStatement> Statements { get; } = new();
}

/// <summary>A statement of a <see cref="StaticList"/>, with what the analysis found out about it.</summary>
internal sealed class StaticStatement
{
    public StaticStatement(StaticList list, int index, StatementAst ast)
    {
        List = list;
        Index = index;
        Ast = ast;
    }

    public StaticList List { get; }
    public int Index { get; }
    public StatementAst Ast { get; }
    public List<StaticList> Children { get; } = new();

    /// <summary>Running it may take a checkpoint (directly, through a call, or dynamically).</summary>
    public bool MayCheckpoint { get; set; }

    /// <summary>For a foreach/switch whose body may checkpoint: its id in <see cref="StaticTree.Loops"/>, else -1.</summary>
    public int LoopId { get; set; } = -1;

    /// <summary>For a Checkpoint-Workflow/Suspend-Workflow statement or a marked statement: its id in
    /// <see cref="StaticTree.Sites"/>, else -1.</summary>
    public int SiteId { get; set; } = -1;

    /// <summary>The statement is itself Checkpoint-Workflow or Suspend-Workflow (resume after it).</summary>
    public CommandAst? CheckpointCommand { get; set; }

    /// <summary>Whether the statement marks itself before it runs, and why.</summary>
    public SiteMark Mark { get; set; }

    /// <summary>
    /// Runs on a resume even before the resume position: a function or class definition, or the statement a
    /// translated workflow starts a body with to define its functions up front (they may be called before the line
    /// that defines them).
    /// </summary>
    public bool IsDefinition => Ast is FunctionDefinitionAst or TypeDefinitionAst || DefinesFunctions(Ast);

    private static bool DefinesFunctions(StatementAst statement) =>
        statement is PipelineAst
        {
            PipelineElements: [CommandExpressionAst
            {
                Expression: InvokeMemberExpressionAst
                {
                    Static: false,
                    Expression: VariableExpressionAst variable,
                    Member: StringConstantExpressionAst { Value: "DefineFunctions" },
                },
            }],
        }
        && variable.VariablePath.UserPath.Equals(Workflows.WorkflowRuntime.Variable, StringComparison.OrdinalIgnoreCase);

    /// <summary>This statement and the compound statements around it, outermost first.</summary>
    public List<StaticStatement> Chain()
    {
        var chain = new List<StaticStatement>();
        for (var at = this; at is not null; at = at.List.Owner)
            chain.Insert(0, at);
        return chain;
    }

    /// <summary>The path from the runbook's block to this statement.</summary>
    public List<PathStep> Path()
    {
        var steps = new List<PathStep>();
        var child = -1;
        for (var at = this; at is not null; at = at.List.Owner)
        {
            steps.Add(new PathStep(at.Index, child));
            child = at.List.Ordinal;
        }
        steps.Reverse();
        return steps;
    }

    public int Line => Ast.Extent.StartLineNumber;

    /// <summary>"foreach", "switch", "while"... for history details.</summary>
    public string Keyword => Ast switch
    {
        ForEachStatementAst => "foreach",
        SwitchStatementAst => "switch",
        ForStatementAst => "for",
        WhileStatementAst => "while",
        DoWhileStatementAst or DoUntilStatementAst => "do",
        IfStatementAst => "if",
        TryStatementAst => "try",
        PipelineAst => "script block",
        _ => "statement",
    };
}

/// <summary>
/// The static part of a runbook (DESIGN §4.8): its named blocks and, inside them, the statement lists of if, loops,
/// switch and try, numbered so a checkpoint can record where it stands and a resume can go back there. Also finds
/// what may checkpoint: Checkpoint-Workflow/Suspend-Workflow, functions of the runbook that (transitively) call
/// them, script blocks containing them handed to commands, helper commands that checkpoint from other threads, and
/// dynamic calls (<c>&amp; $cmd</c>, Invoke-Expression, <c>.Invoke()</c>) that might.
/// </summary>
internal sealed class StaticTree
{
    private static readonly HashSet<string> CheckpointCommands = new(StringComparer.OrdinalIgnoreCase)
    {
        "Checkpoint-Workflow", "Suspend-Workflow",
    };

    private static readonly HashSet<string> DynamicCommands = new(StringComparer.OrdinalIgnoreCase)
    {
        "Invoke-Expression", "iex",
    };

    private readonly HashSet<string> _checkpointing;
    private readonly HashSet<string> _helpers;

    /// <param name="script">The runbook.</param>
    /// <param name="helperCommands">Commands that checkpoint from other threads (see RunbookScript.DefaultHelperCommands).</param>
    /// <param name="checkpointingCommands">Commands defined outside the runbook's text that may checkpoint on the
    /// job's thread, like the runbook's own functions (inline child runbooks).</param>
    public StaticTree(ScriptBlockAst script, IReadOnlySet<string> helperCommands, IReadOnlySet<string>? checkpointingCommands = null)
    {
        _helpers = new HashSet<string>(helperCommands, StringComparer.OrdinalIgnoreCase);
        _checkpointing = new HashSet<string>(CheckpointCommands, StringComparer.OrdinalIgnoreCase);
        _checkpointing.UnionWith(_helpers);
        if (checkpointingCommands is not null)
            _checkpointing.UnionWith(checkpointingCommands);
        AddCallers(script);

        foreach (var block in new[] { script.BeginBlock, script.ProcessBlock, script.EndBlock })
            if (block is not null)
                Blocks.Add(Build(block.BlockKind, block, block.Statements, null, 0));
    }

    public List<StaticList> Blocks { get; } = new();

    /// <summary>Walked foreach/switch statements, by loop id.</summary>
    public List<StaticStatement> Loops { get; } = new();

    /// <summary>Checkpoint statements and helper call statements, by site id.</summary>
    public List<StaticStatement> Sites { get; } = new();

    public bool AnyCheckpoint => Blocks.Any(b => b.Statements.Any(s => s.MayCheckpoint));

    public StaticList? BlockOf(TokenKind kind) => Blocks.FirstOrDefault(b => b.Block == kind);

    /// <summary>
    /// The statement lists of a compound statement, in <see cref="PathStep.Child"/> order: StatementBlockAsts, or the
    /// body of a script block dot-sourced in place (<c>. { ... }</c>, which runs in the runbook's own scope).
    /// </summary>
    public static IReadOnlyList<(Ast Ast, IReadOnlyList<StatementAst> Statements)> ChildLists(StatementAst statement)
    {
        IEnumerable<StatementBlockAst?> blocks = statement switch
        {
            IfStatementAst s => s.Clauses.Select(c => c.Item2).Append(s.ElseClause),
            LoopStatementAst s => new[] { s.Body },
            SwitchStatementAst s => s.Clauses.Select(c => c.Item2).Append(s.Default),
            TryStatementAst s => new[] { s.Body }.Concat(s.CatchClauses.Select(c => c.Body)).Append(s.Finally),
            _ => Array.Empty<StatementBlockAst>(),
        };
        var lists = blocks.OfType<StatementBlockAst>().Select(b => ((Ast)b, (IReadOnlyList<StatementAst>)b.Statements)).ToList();
        if (DotSourcedBlock(statement) is { } body)
            lists.Add((body, body.Statements));
        return lists;
    }

    /// <summary><c>. { ... }</c> as a statement of its own: a plain block of statements in the current scope.</summary>
    private static NamedBlockAst? DotSourcedBlock(StatementAst statement) =>
        statement is PipelineAst
        {
            PipelineElements: [CommandAst
            {
                InvocationOperator: TokenKind.Dot, Redirections.Count: 0,
                CommandElements: [ScriptBlockExpressionAst { ScriptBlock: { ParamBlock: null, BeginBlock: null, ProcessBlock: null, DynamicParamBlock: null, EndBlock: { Unnamed: true } end } }],
            }],
        }
            ? end
            : null;

    /// <summary>Follows <paramref name="point"/> down the tree; null when it does not fit this runbook.</summary>
    public List<StaticStatement>? Follow(ResumePoint point)
    {
        var list = BlockOf(point.Block);
        var chain = new List<StaticStatement>();
        for (var i = 0; i < point.Steps.Count; i++)
        {
            var step = point.Steps[i];
            if (list is null || step.Index < 0 || step.Index >= list.Statements.Count)
                return null;
            var statement = list.Statements[step.Index];
            chain.Add(statement);
            if (i == point.Steps.Count - 1)
                break;
            if (step.Child < 0 || step.Child >= statement.Children.Count)
                return null;
            list = statement.Children[step.Child];
        }
        return chain;
    }

    /// <summary>The innermost statements of the tree containing <paramref name="offset"/>, outermost first.</summary>
    public List<StaticStatement> Containing(int offset)
    {
        var chain = new List<StaticStatement>();
        var list = Blocks.FirstOrDefault(b => Contains(b.Ast.Extent, offset));
        while (list is not null)
        {
            var statement = list.Statements.FirstOrDefault(s => Contains(s.Ast.Extent, offset));
            if (statement is null)
                break;
            chain.Add(statement);
            list = statement.Children.FirstOrDefault(c => Contains(c.Ast.Extent, offset));
        }
        return chain;
    }

    private static bool Contains(IScriptExtent extent, int offset) => offset >= extent.StartOffset && offset < extent.EndOffset;

    private StaticList Build(TokenKind block, Ast ast, IReadOnlyList<StatementAst> statements, StaticStatement? owner, int ordinal)
    {
        var list = new StaticList(block, ast, statements, owner, ordinal);
        for (var i = 0; i < statements.Count; i++)
        {
            var statement = new StaticStatement(list, i, statements[i]);
            list.Statements.Add(statement);
            var children = ChildLists(statements[i]);
            var own = new HashSet<Ast>(children.Select(c => c.Ast));

            statement.MayCheckpoint = Finds(statements[i], _checkpointing, dynamic: true, skip: null);
            statement.CheckpointCommand = CheckpointStatement(statements[i]);
            // Calls outside the statement's own lists (the statements of those get their own marks, further in).
            if (statement.CheckpointCommand is null && statement.MayCheckpoint)
                statement.Mark = _helpers.Count > 0 && Finds(statements[i], _helpers, dynamic: false, skip: own) ? SiteMark.Helper
                    : Finds(statements[i], _checkpointing, dynamic: true, skip: own) ? SiteMark.Call
                    : SiteMark.None;
            if (statement.CheckpointCommand is not null || statement.Mark != SiteMark.None)
            {
                statement.SiteId = Sites.Count;
                Sites.Add(statement);
            }

            var walked = statements[i] is ForEachStatementAst or SwitchStatementAst
                         && children.Any(c => Finds(c.Ast, _checkpointing, dynamic: true, skip: null));
            if (walked)
            {
                statement.LoopId = Loops.Count;
                Loops.Add(statement);
            }

            for (var c = 0; c < children.Count; c++)
                statement.Children.Add(Build(block, children[c].Ast, children[c].Statements, statement, c));
        }
        return list;
    }

    private static CommandAst? CheckpointStatement(StatementAst statement) =>
        statement is PipelineAst { PipelineElements: [CommandAst command] }
        && command.GetCommandName() is { } name && CheckpointCommands.Contains(name)
            ? command
            : null;

    /// <summary>Adds the runbook's functions that call something in the set, until nothing changes.</summary>
    private void AddCallers(ScriptBlockAst script)
    {
        var functions = script.FindAll(a => a is FunctionDefinitionAst, searchNestedScriptBlocks: true)
            .Cast<FunctionDefinitionAst>().ToList();
        foreach (var names in new[] { _helpers, _checkpointing })
        {
            var dynamic = ReferenceEquals(names, _checkpointing);
            bool changed;
            do
            {
                changed = false;
                foreach (var function in functions)
                    if (!names.Contains(function.Name) && Finds(function.Body, names, dynamic, skip: null))
                        changed |= names.Add(function.Name);
            } while (changed);
        }
    }

    private static bool Finds(Ast ast, HashSet<string> names, bool dynamic, HashSet<Ast>? skip)
    {
        var finder = new CallFinder(names, dynamic, skip);
        ast.Visit(finder);
        return finder.Found;
    }

    /// <summary>Looks for calls of the named commands, not inside function definitions (they run when called).</summary>
    private sealed class CallFinder : AstVisitor2
    {
        private static readonly HashSet<string> InvokeMethods = new(StringComparer.OrdinalIgnoreCase)
        {
            "Invoke", "InvokeReturnAsIs", "InvokeWithContext",
        };

        private readonly HashSet<string> _names;
        private readonly bool _dynamic;
        private readonly HashSet<Ast>? _skip;

        public CallFinder(HashSet<string> names, bool dynamic, HashSet<Ast>? skip)
        {
            _names = names;
            _dynamic = dynamic;
            _skip = skip;
        }

        public bool Found { get; private set; }

        public override AstVisitAction VisitFunctionDefinition(FunctionDefinitionAst ast) => AstVisitAction.SkipChildren;

        public override AstVisitAction VisitStatementBlock(StatementBlockAst ast) =>
            _skip?.Contains(ast) == true ? AstVisitAction.SkipChildren : AstVisitAction.Continue;

        public override AstVisitAction VisitNamedBlock(NamedBlockAst ast) =>
            _skip?.Contains(ast) == true ? AstVisitAction.SkipChildren : AstVisitAction.Continue;

        public override AstVisitAction VisitCommand(CommandAst ast)
        {
            var name = ast.GetCommandName();
            var isDynamic = name is null && ast.CommandElements[0] is not ScriptBlockExpressionAst;
            if ((name is not null && _names.Contains(name)) || (_dynamic && (isDynamic || (name is not null && DynamicCommands.Contains(name)))))
            {
                Found = true;
                return AstVisitAction.StopVisit;
            }
            return AstVisitAction.Continue;
        }

        public override AstVisitAction VisitInvokeMemberExpression(InvokeMemberExpressionAst ast)
        {
            if (_dynamic && ast.Member is StringConstantExpressionAst { Value: var member } && InvokeMethods.Contains(member))
            {
                Found = true;
                return AstVisitAction.StopVisit;
            }
            return AstVisitAction.Continue;
        }
    }
}
