using System.Management.Automation.Language;
using System.Text;

namespace Sma.Engine.Execution;

/// <summary>
/// A runbook's source split at its top-level statements (DESIGN §4.8). Gives the text to run for a fresh start or
/// for a resume at statement K, and maps a checkpoint's position back to the original statement it belongs to.
/// </summary>
internal sealed class RunbookScript
{
    private const string RestoreStatement = "$__SmaJob.Restore($ExecutionContext.SessionState)";

    private readonly ScriptBlockAst _original;
    private readonly IReadOnlyList<StatementAst> _statements;

    // For the text being run: where each of its top-level statements came from in the original (-1: not resumable).
    private readonly List<(int Start, int End, int Original)> _map = new();

    private RunbookScript(string source, ScriptBlockAst original, int resumeAt, bool restore)
    {
        _original = original;
        _statements = original.EndBlock?.Statements ?? (IReadOnlyList<StatementAst>)Array.Empty<StatementAst>();
        // Named begin/process blocks cannot be split: such runbooks start over on resume, as if new.
        Splittable = original.BeginBlock is null && original.ProcessBlock is null && original.DynamicParamBlock is null
                     && original.EndBlock is { Unnamed: true };
        ResumeAt = Splittable ? Math.Clamp(resumeAt, 0, _statements.Count) : 0;
        Text = Splittable && restore ? BuildResumeText(source) : source;
        MapStatements();
    }

    /// <summary>The script text to run.</summary>
    public string Text { get; }

    /// <summary>The original statement this run starts at.</summary>
    public int ResumeAt { get; }

    /// <summary>False for runbooks with begin/process blocks, which start over on resume.</summary>
    public bool Splittable { get; }

    /// <summary>The whole runbook, from its first statement.</summary>
    public static RunbookScript ForStart(string source) => new(source, Parse(source), 0, restore: false);

    /// <summary>The runbook from statement <paramref name="statementIndex"/> on, with state restored first.</summary>
    public static RunbookScript ForResume(string source, int statementIndex) => new(source, Parse(source), statementIndex, restore: true);

    private static ScriptBlockAst Parse(string source) => Parser.ParseInput(source, out _, out _);

    /// <summary>
    /// Where a checkpoint taken at <paramref name="offset"/> (the outermost frame's position in <see cref="Text"/>)
    /// resumes: after a top-level Checkpoint-Workflow/Suspend-Workflow statement, the next statement; inside a loop,
    /// an if or a called function, the enclosing top-level statement again.
    /// </summary>
    public int ResumeIndexFor(int offset)
    {
        if (!Splittable)
            return 0;
        foreach (var (start, end, original) in _map)
        {
            if (offset < start || offset > end || original < 0)
                continue;
            return IsCheckpointCall(_statements[original]) ? original + 1 : original;
        }
        return ResumeAt; // not inside a known statement: resume where this run began
    }

    private static bool IsCheckpointCall(StatementAst statement) =>
        statement is PipelineAst { PipelineElements: [CommandAst command] }
        && command.GetCommandName() is { } name
        && (name.Equals("Checkpoint-Workflow", StringComparison.OrdinalIgnoreCase)
            || name.Equals("Suspend-Workflow", StringComparison.OrdinalIgnoreCase));

    /// <summary>using statements, the param block, replayed definitions, the restore call, then statements K.. .</summary>
    private string BuildResumeText(string source)
    {
        var text = new StringBuilder();
        foreach (var usingStatement in _original.UsingStatements)
            text.AppendLine(usingStatement.Extent.Text);
        if (_original.ParamBlock is { } paramBlock)
            text.AppendLine(ParamBlockText(source, paramBlock));
        // Replay what shapes the session without side effects of its own: functions, classes, traps.
        foreach (var trap in _original.EndBlock!.Traps ?? (IReadOnlyList<TrapStatementAst>)Array.Empty<TrapStatementAst>())
            text.AppendLine(trap.Extent.Text);
        for (var i = 0; i < ResumeAt; i++)
            if (_statements[i] is FunctionDefinitionAst or TypeDefinitionAst)
                text.AppendLine(_statements[i].Extent.Text);
        text.AppendLine(RestoreStatement);
        for (var i = ResumeAt; i < _statements.Count; i++)
            text.AppendLine(_statements[i].Extent.Text);
        return text.ToString();
    }

    /// <summary>The param block with its attributes ([CmdletBinding()] and the like).</summary>
    private static string ParamBlockText(string source, ParamBlockAst block)
    {
        var start = block.Attributes.Select(a => a.Extent.StartOffset).Append(block.Extent.StartOffset).Min();
        return source[start..block.Extent.EndOffset];
    }

    /// <summary>Maps the top-level statements of <see cref="Text"/> back to the original's indexes.</summary>
    private void MapStatements()
    {
        if (!Splittable)
            return;
        var running = Parse(Text).EndBlock?.Statements ?? (IReadOnlyList<StatementAst>)Array.Empty<StatementAst>();
        // The last (count - ResumeAt) statements of the text are the original's ResumeAt.. statements, in order.
        var tail = _statements.Count - ResumeAt;
        for (var i = 0; i < running.Count; i++)
        {
            var fromTail = i - (running.Count - tail);
            _map.Add((running[i].Extent.StartOffset, running[i].Extent.EndOffset, fromTail >= 0 ? ResumeAt + fromTail : -1));
        }
    }
}
