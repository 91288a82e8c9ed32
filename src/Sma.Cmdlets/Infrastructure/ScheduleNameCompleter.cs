using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using Sma.Engine;
using Sma.Engine.Services;

namespace Sma.Cmdlets.Infrastructure;

/// <summary>Tab completion of schedule names from the store the command would use (quoted when they hold spaces).</summary>
public sealed class ScheduleNameCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(
        string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var prefix = wordToComplete.Trim('\'', '"');
        IEnumerable<string> names;
        try
        {
            var runtime = SmaRuntime.ForStore(EndpointResolver.ResolveStorePath(
                fakeBoundParameters["WebServiceEndpoint"] as string, fakeBoundParameters["StorePath"] as string));
            names = new ScheduleService(runtime).List().Select(s => s.Name);
        }
        catch (Exception e) when (e is SmaException or IOException or System.Data.Common.DbException)
        {
            yield break; // completion never throws at the user
        }
        foreach (var name in names.Where(n => n.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)))
        {
            var text = name.Any(c => char.IsWhiteSpace(c) || c is '\'' or '"' or '$' or '`' or ';' or '(' or ')' or '{' or '}' or ',' or '&' or '|' or '#')
                ? $"'{name.Replace("'", "''")}'"
                : name;
            yield return new CompletionResult(text, name, CompletionResultType.ParameterValue, name);
        }
    }
}
