using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace Sma.Cmdlets.Infrastructure;

/// <summary>Tab completion of the time zone ids this machine knows (IANA ids on Linux and macOS, Windows ids on Windows).</summary>
public sealed class TimeZoneCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(
        string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var prefix = wordToComplete.Trim('\'', '"');
        foreach (var zone in TimeZoneInfo.GetSystemTimeZones().Where(z => z.Id.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)))
        {
            var text = zone.Id.Contains(' ') ? $"'{zone.Id}'" : zone.Id;
            yield return new CompletionResult(text, zone.Id, CompletionResultType.ParameterValue, zone.DisplayName);
        }
    }
}
