using System.Management.Automation.Language;
using System.Text;

namespace Sma.Engine.Workflows;

/// <summary>Activities: InlineScript and the activity common parameters of any command in workflow code.</summary>
internal sealed partial class WorkflowTranslator
{
    /// <summary>One activity common parameter as written: its name, value (null for a bare switch) and text range.</summary>
    private sealed record ActivityParameter(string Name, ActivityParameterUse Use, string Why, ExpressionAst? Value, int Start, int End)
    {
        /// <summary>The value as an expression (a command argument's bare words quoted): it moves out of command mode.</summary>
        public string ValueText => Value is null ? "$true" : AsExpression(Value);
    }

    /// <summary>A command argument written as an expression: bare words (srv1, Az.Accounts) become quoted strings.</summary>
    private static string AsExpression(ExpressionAst value) => value switch
    {
        StringConstantExpressionAst { StringConstantType: StringConstantType.BareWord } word => Quoted(word.Value),
        ArrayLiteralAst array => string.Join(", ", array.Elements.Select(AsExpression)),
        _ => value.Extent.Text,
    };

    private readonly Dictionary<PipelineAst, List<(string Key, string Value)>> _wrapped = new();

    private void TranslateCommand(CommandAst command)
    {
        var parameters = ActivityParametersOf(command);
        var inline = WorkflowCode.IsInlineScript(command);
        if (inline)
            TranslateInlineScript(command, parameters);
        if (parameters.Count == 0)
            return;

        var name = command.GetCommandName() ?? "the command";
        if (!inline && _ownCommands.TryGetValue(name, out var own))
        {
            var refused = parameters.FirstOrDefault(p => ActivityParameters.NotOnNestedCalls.Contains(p.Name));
            if (refused is not null)
                throw Unsupported(command, $"-{refused.Name} on the call to '{name}', a workflow of this runbook",
                    "A workflow of the runbook runs in the job itself; run the activities inside it remotely instead.");
            // A parameter the function declares itself is the function's, not the activity's.
            var declared = DeclaredParameters(own);
            parameters = parameters.Where(p => !declared.Contains(p.Name)).ToList();
        }

        var statement = WorkflowCode.ListStatement(command);
        var depth = WorkflowCode.Depth(statement);
        var remoteTarget = parameters.Any(p => IsRemoteTarget(p.Name));
        var remote = !inline && remoteTarget;
        var line = command.Extent.StartLineNumber;
        foreach (var p in parameters)
        {
            switch (p.Use)
            {
                case ActivityParameterUse.Persist:
                    _edits.Replace(p.Start, p.End, "");
                    Persist(statement, p);
                    break;
                case ActivityParameterUse.Wrapper:
                    _edits.Replace(p.Start, p.End, "");
                    Wrap(command, p);
                    break;
                case ActivityParameterUse.Remoting when inline && remoteTarget:
                    // InlineScript -PSComputerName: parameters of Invoke-SmaWorkflowRemote, where they stand.
                    _edits.Replace(p.Start, p.End, $"-{p.Name}:({OneLine(p)})");
                    break;
                case ActivityParameterUse.Remoting when remote:
                    _edits.Replace(p.Start, p.End, ""); // moved behind the remote script block, below
                    break;
                case ActivityParameterUse.Remoting:
                    _edits.Replace(p.Start, p.End, "");
                    Note(statement, depth, $"-{p.Name} of {name} at line {line} was ignored: without -PSComputerName the activity runs in the job itself.");
                    break;
                case ActivityParameterUse.RequiredModules when inline:
                    _edits.Replace(p.Start, p.End, ""); // imported inside the script block, see TranslateInlineScript
                    break;
                case ActivityParameterUse.RequiredModules:
                    _edits.Replace(p.Start, p.End, "");
                    _edits.Insert(statement.Extent.StartOffset, $"Import-Module -Name ({OneLine(p)}) -ErrorAction Stop; ", EditOrder.Before(depth) + 0.2);
                    break;
                case ActivityParameterUse.MergeErrorToOutput when IsConstantTrue(p):
                    _edits.Replace(p.Start, p.End, "");
                    _edits.Insert(command.Extent.EndOffset, " 2>&1", EditOrder.After(WorkflowCode.Depth(command)));
                    break;
                case ActivityParameterUse.MergeErrorToOutput:
                    _edits.Replace(p.Start, p.End, "");
                    if (!IsConstantFalse(p))
                        Note(statement, depth, $"-MergeErrorToOutput of {name} at line {line} was ignored: only a constant $true can be honoured.");
                    break;
                case ActivityParameterUse.KeepIfCommandHasIt when command.GetCommandName() is { } commandName && !inline:
                    // Decided when it runs: the command keeps it if it has such a parameter (New-Service -DisplayName).
                    var set = "$__SmaActivityArgs" + ++_argumentSets;
                    _edits.Replace(p.Start, p.End, "@" + set[1..]);
                    _edits.Insert(statement.Extent.StartOffset,
                        $"{set} = Get-SmaWorkflowActivityArgs {Quoted(commandName)} {line} @{{ {Quoted(p.Name)} = ({OneLine(p)}) }}; ",
                        EditOrder.Before(depth) + 0.3);
                    break;
                default:
                    _edits.Replace(p.Start, p.End, "");
                    Note(statement, depth, $"-{p.Name} of {name} at line {line} was ignored: {(p.Why.Length > 0 ? p.Why : "it means nothing outside Windows PowerShell Workflow")}.");
                    break;
            }
        }
        if (remote)
            RunRemotely(command, parameters.Where(p => p.Use == ActivityParameterUse.Remoting).ToList());
    }

    /// <summary>
    /// InlineScript { body } runs the body in a child scope of the job: &amp; {param($__SmaUsing) body} @{ 'x' = $x },
    /// where each $Using:x in the body reads $__SmaUsing['x'] (the workflow variable's value when it starts). With
    /// -PSComputerName it runs through Invoke-Command on those computers instead (Invoke-SmaWorkflowRemote).
    /// </summary>
    private void TranslateInlineScript(CommandAst command, IReadOnlyList<ActivityParameter> parameters)
    {
        var elements = command.CommandElements;
        if (elements.Count < 2 || elements[1] is not ScriptBlockExpressionAst block)
            throw Unsupported(command, "an InlineScript without a script block", "Write it as InlineScript { ... }.");
        var consumed = parameters.SelectMany(p => new[] { p.Start, p.Value?.Extent.StartOffset ?? p.Start }).ToHashSet();
        var extra = elements.Skip(2).FirstOrDefault(e => !consumed.Contains(e.Extent.StartOffset));
        if (extra is not null)
            throw Unsupported(extra, $"'{extra.Extent.Text}' after the InlineScript's script block",
                "An InlineScript takes a script block and activity common parameters (-PSComputerName, -PSPersist, ...) only.");
        var body = block.ScriptBlock;
        if (body.ParamBlock is not null)
            throw Unsupported(body.ParamBlock, "a param block in an InlineScript", "Use $Using:name to read workflow variables.");

        var remote = parameters.Any(p => IsRemoteTarget(p.Name));
        var usings = InlineUsings(block);
        var modules = parameters.Where(p => p.Use == ActivityParameterUse.RequiredModules).Select(OneLine).ToList();
        if (modules.Count > 0 && body.EndBlock is { Unnamed: false })
            throw Unsupported(body, "-PSRequiredModules on an InlineScript with begin/process/end blocks", "Import the modules inside the script block.");

        var depth = WorkflowCode.Depth(body);
        var keyword = elements[0].Extent;
        var line = command.Extent.StartLineNumber;
        _edits.Replace(keyword.StartOffset, keyword.EndOffset,
            remote ? $"Invoke-SmaWorkflowRemote -Activity 'InlineScript' -Line {line} -ScriptBlock" : "&");
        var open = body.Extent.StartOffset + 1;
        if (remote || usings.Count > 0)
            _edits.Insert(open, "param($__SmaUsing) ", EditOrder.Before(depth));
        if (modules.Count > 0)
            _edits.Insert(open, $"Import-Module -Name ({string.Join("), (", modules)}) -ErrorAction Stop; ", EditOrder.Before(depth) + 0.1);
        if (remote || usings.Count > 0)
            _edits.Insert(body.Extent.EndOffset, (remote ? " -Using " : " ") + UsingTable(usings), EditOrder.After(depth));
    }

    /// <summary>
    /// An activity with -PSComputerName runs through Invoke-Command on those computers, its arguments evaluated in
    /// the job, as Workflow did: Invoke-SmaWorkflowRemote -ScriptBlock {param($__SmaUsing) $x = $__SmaUsing['x'];
    /// Get-Thing $x} -Using @{ 'x' = ${x} } -PSComputerName:(...).
    /// </summary>
    private void RunRemotely(CommandAst command, IReadOnlyList<ActivityParameter> remoting)
    {
        var name = command.GetCommandName() ?? "the command";
        if (command.Parent is not PipelineAst pipeline || pipeline.PipelineElements[0] != command)
            throw Unsupported(command, $"-PSComputerName on {name}, which takes pipeline input", "Pass the input as a parameter, or use an InlineScript with -PSComputerName.");
        var removed = remoting.Select(p => (p.Start, p.End)).ToList();
        var variables = command.FindAll(a => a is VariableExpressionAst, true).Cast<VariableExpressionAst>()
            .Where(v => !removed.Any(r => v.Extent.StartOffset >= r.Start && v.Extent.EndOffset <= r.End))
            .Where(v => !InNestedScriptBlock(v, command) && !IsAutomatic(v))
            .ToList();
        var locals = new List<string>();
        foreach (var variable in variables)
        {
            var path = variable.VariablePath.UserPath;
            if (variable.VariablePath.IsUnqualified && variable.VariablePath.DriveName is null)
            {
                locals.Add(path); // a local of the same name in the remote script block
                continue;
            }
            var key = Quoted(path); // $env:X, $script:x: the job's value
            _edits.Replace(variable.Extent.StartOffset, variable.Extent.EndOffset,
                variable.Parent is ExpandableStringExpressionAst ? $"$($__SmaUsing[{key}])" : $"$__SmaUsing[{key}]");
        }
        var names = variables.Select(v => v.VariablePath.UserPath).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        var assignments = string.Concat(locals.Distinct(StringComparer.OrdinalIgnoreCase).Select(n => $"{Braced(n)} = $__SmaUsing[{Quoted(n)}]; "));
        var depth = WorkflowCode.Depth(command);
        _edits.Insert(command.Extent.StartOffset,
            $"Invoke-SmaWorkflowRemote -Activity {Quoted(name)} -Line {command.Extent.StartLineNumber} -ScriptBlock {{param($__SmaUsing) {assignments}",
            EditOrder.Before(depth));
        var moved = string.Join(" ", remoting.Select(p => $"-{p.Name}:({OneLine(p)})"));
        _edits.Insert(command.Extent.EndOffset, $"}} -Using {UsingTable(names)} {moved}", EditOrder.After(depth));
    }

    /// <summary>-PSPersist $true: a checkpoint after the statement (a conditional one for an expression).</summary>
    private void Persist(StatementAst statement, ActivityParameter p)
    {
        if (IsConstantFalse(p))
            return;
        var text = IsConstantTrue(p) ? "; Checkpoint-Workflow" : $"; if ({OneLine(p)}) {{ Checkpoint-Workflow }}";
        _edits.Insert(statement.Extent.EndOffset, text, EditOrder.After(WorkflowCode.Depth(statement)) - 0.5);
    }

    /// <summary>Retries and timeouts: the activity's pipeline runs under Invoke-SmaWorkflowActivity.</summary>
    private void Wrap(CommandAst command, ActivityParameter p)
    {
        if (command.Parent is not PipelineAst pipeline)
            throw Unsupported(command, $"-{p.Name} here", "Use it on a command of a pipeline.");
        if (!_wrapped.TryGetValue(pipeline, out var options))
        {
            _wrapped[pipeline] = options = new List<(string, string)>
            {
                ("Activity", Quoted(command.GetCommandName() ?? "the activity")),
                ("Line", command.Extent.StartLineNumber.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            };
            var depth = WorkflowCode.Depth(pipeline);
            _edits.Insert(pipeline.Extent.EndOffset, "}", EditOrder.After(depth) - 0.95);
            // The options text is built once all of them are known: inserted last, see FlushWrappers.
        }
        options.Add((p.Name, $"({OneLine(p)})"));
    }

    private void FlushWrappers()
    {
        foreach (var (pipeline, options) in _wrapped)
        {
            var table = string.Join("; ", options.Select(o => $"{o.Key} = {o.Value}"));
            _edits.Insert(pipeline.Extent.StartOffset, $"Invoke-SmaWorkflowActivity @{{ {table} }} {{", EditOrder.Before(WorkflowCode.Depth(pipeline)) + 0.5);
        }
        _wrapped.Clear();
    }

    /// <summary>A Verbose record, written when the statement runs, about a parameter the translation dropped.</summary>
    private void Note(StatementAst statement, int depth, string message) =>
        _edits.Insert(statement.Extent.StartOffset, $"Write-Verbose {Quoted(message)}; ", EditOrder.Before(depth) + 0.1);

    private List<ActivityParameter> ActivityParametersOf(CommandAst command)
    {
        var result = new List<ActivityParameter>();
        var elements = command.CommandElements;
        for (var i = 1; i < elements.Count; i++)
        {
            if (elements[i] is not CommandParameterAst parameter || !ActivityParameters.TryGet(parameter.ParameterName, out var use, out var why))
                continue;
            var value = parameter.Argument;
            if (value is null && i + 1 < elements.Count && elements[i + 1] is ExpressionAst next)
            {
                value = next;
                i++;
            }
            var end = Math.Max(parameter.Extent.EndOffset, value?.Extent.EndOffset ?? 0);
            result.Add(new ActivityParameter(ActivityParameters.Canonical(parameter.ParameterName), use, why, value, parameter.Extent.StartOffset, end));
        }
        return result;
    }

    private static HashSet<string> DeclaredParameters(FunctionDefinitionAst function)
    {
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var p in function.Parameters ?? (IReadOnlyList<ParameterAst>)Array.Empty<ParameterAst>())
            names.Add(p.Name.VariablePath.UserPath);
        foreach (var p in function.Body.ParamBlock?.Parameters ?? (IReadOnlyList<ParameterAst>)Array.Empty<ParameterAst>())
            names.Add(p.Name.VariablePath.UserPath);
        return names;
    }

    private static bool IsRemoteTarget(string name) =>
        name.Equals("PSComputerName", StringComparison.OrdinalIgnoreCase) || name.Equals("PSConnectionURI", StringComparison.OrdinalIgnoreCase);

    private static bool IsConstantTrue(ActivityParameter p) => p.Value switch
    {
        null => true,
        VariableExpressionAst v => v.VariablePath.UserPath.Equals("true", StringComparison.OrdinalIgnoreCase),
        ConstantExpressionAst { Value: int i } => i != 0,
        _ => false,
    };

    private static bool IsConstantFalse(ActivityParameter p) => p.Value switch
    {
        VariableExpressionAst v => v.VariablePath.UserPath.Equals("false", StringComparison.OrdinalIgnoreCase),
        ConstantExpressionAst { Value: int i } => i == 0,
        _ => false,
    };

    /// <summary>A parameter's value text, which moves within its line: it must be on one line.</summary>
    private string OneLine(ActivityParameter p)
    {
        var text = p.ValueText;
        if (text.Contains('\n') || text.Contains('\r'))
            throw Unsupported(p.Value!, $"the value of -{p.Name} written over several lines", "Write it on one line, or put it in a variable first.");
        return text;
    }

    private static string UsingTable(IReadOnlyCollection<string> names)
    {
        if (names.Count == 0)
            return "@{}";
        var text = new StringBuilder("@{ ");
        foreach (var name in names)
            text.Append(Quoted(name)).Append(" = ").Append(Braced(name)).Append("; ");
        return text.Append('}').ToString();
    }

    /// <summary>Inside a script block nested in <paramref name="root"/> (its own code, not the command's arguments).</summary>
    private static bool InNestedScriptBlock(Ast ast, Ast root)
    {
        for (var node = ast.Parent; node is not null && node != root; node = node.Parent)
        {
            if (node is ScriptBlockExpressionAst)
                return true;
        }
        return false;
    }

    /// <summary>$_, $true, $null and the like: the same everywhere, never taken from the job.</summary>
    private static bool IsAutomatic(VariableExpressionAst variable) =>
        variable.VariablePath.UserPath.ToLowerInvariant() is "_" or "psitem" or "true" or "false" or "null" or "args" or "input" or "this";
}
