using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using Sma.Engine;
using Sma.Engine.Services;

namespace Sma.Cmdlets.Infrastructure;

/// <summary>Tab completion of runbook names from the store the command would use.</summary>
public sealed class RunbookNameCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(
        string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var prefix = wordToComplete.Trim('\'', '"');
        IEnumerable<string> names;
        try
        {
            var storePath = fakeBoundParameters["StorePath"] as string;
            var runtime = SmaRuntime.ForStore(EndpointResolver.ResolveStorePath(
                fakeBoundParameters["WebServiceEndpoint"] as string, storePath));
            names = new RunbookService(runtime).List().Select(r => r.RunbookName);
        }
        catch (Exception e) when (e is SmaException or IOException or System.Data.Common.DbException)
        {
            yield break; // completion never throws at the user
        }
        foreach (var name in names.Where(n => n.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)))
            yield return new CompletionResult(name, name, CompletionResultType.ParameterValue, name);
    }
}
