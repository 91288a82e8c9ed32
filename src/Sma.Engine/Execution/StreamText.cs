using System.Collections;
using System.Management.Automation;
using System.Text;

namespace Sma.Engine.Execution;

/// <summary>The readable text stored with each record (StreamText).</summary>
internal static class StreamText
{
    public static string Of(object? value)
    {
        var baseObject = value is PSObject p ? p.BaseObject : value;
        switch (baseObject)
        {
            case null: return "";
            case string s: return s;
            case IDictionary dictionary: return Dictionary(dictionary);
            default:
                try
                {
                    return value!.ToString() ?? "";
                }
                catch (Exception e) when (e is not OutOfMemoryException)
                {
                    return baseObject.GetType().FullName ?? "";
                }
        }
    }

    public static string Of(ErrorRecord error)
    {
        var position = error.InvocationInfo?.PositionMessage;
        return string.IsNullOrEmpty(position) ? error.ToString() : error + Environment.NewLine + position;
    }

    public static string Of(ProgressRecord progress)
    {
        var sb = new StringBuilder(progress.Activity);
        if (!string.IsNullOrEmpty(progress.StatusDescription))
            sb.Append(": ").Append(progress.StatusDescription);
        if (progress.PercentComplete >= 0)
            sb.Append(" (").Append(progress.PercentComplete).Append("%)");
        if (progress.RecordType == ProgressRecordType.Completed)
            sb.Append(" [completed]");
        return sb.ToString();
    }

    private static string Dictionary(IDictionary dictionary)
    {
        var sb = new StringBuilder("@{");
        var first = true;
        foreach (DictionaryEntry entry in dictionary)
        {
            if (!first) sb.Append("; ");
            sb.Append(entry.Key).Append('=').Append(entry.Value);
            first = false;
        }
        return sb.Append('}').ToString();
    }
}
