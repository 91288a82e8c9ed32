using System.Management.Automation;
using System.Text;

namespace Sma.Engine.Execution;

/// <summary>What a terminating error tells: a one-line summary (StatusDetails) and the full detail (JobException).</summary>
internal readonly record struct JobFailure(string Summary, string Detail)
{
    public static JobFailure From(Exception? exception)
    {
        if (exception is null)
            return new JobFailure("The runbook failed.", "The runbook failed without an exception.");
        var record = (exception as IContainsErrorRecord)?.ErrorRecord;
        var inner = exception is ActionPreferenceStopException && record?.Exception is { } e ? e : exception;
        var message = inner.Message;
        var info = record?.InvocationInfo;

        var detail = new StringBuilder(message);
        if (!string.IsNullOrEmpty(info?.PositionMessage))
            detail.AppendLine().Append(info!.PositionMessage);
        if (!string.IsNullOrEmpty(record?.ScriptStackTrace))
            detail.AppendLine().Append("Script stack trace:").AppendLine().Append(record!.ScriptStackTrace);
        detail.AppendLine().Append("Exception: ").Append(inner.GetType().FullName);

        // An error inside an inline child runbook is at a line of that child, whose name is its script name (a module
        // file's path is never a runbook name).
        var inChild = info?.ScriptName is { } file && Services.RunbookSource.IsValidName(file) ? $"runbook '{file}', " : "";
        var where = info is { ScriptLineNumber: > 0 } ? $" ({inChild}line {info.ScriptLineNumber}, char {info.OffsetInLine})" : "";
        return new JobFailure(JobRunner.OneLine(message) + where, detail.ToString());
    }
}
