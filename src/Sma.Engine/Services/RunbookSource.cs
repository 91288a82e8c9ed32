using System.Management.Automation.Language;
using System.Text;
using System.Text.RegularExpressions;

namespace Sma.Engine.Services;

/// <summary>Reads and checks runbook source: a text file, valid PowerShell, a valid name.</summary>
public static class RunbookSource
{
    // \p{L} any letter, \p{M} the combining marks some scripts write letters with, \p{Nd} decimal digits.
    private static readonly Regex NamePattern = new(@"^\p{L}[\p{L}\p{M}\p{Nd}_-]{0,127}\z", RegexOptions.CultureInvariant);

    /// <summary>
    /// Letters (of any language), digits, '-' and '_', starting with a letter — SMA and Azure Automation's rule, with
    /// their letters beyond ASCII. Never spaces, quotes or path characters.
    /// </summary>
    public static void CheckName(string name)
    {
        if (!IsValidName(name))
            throw SmaErrors.InvalidRunbookName(name);
    }

    public static bool IsValidName(string name) => NamePattern.IsMatch(name);

    /// <summary>Worker names follow the runbook name rule (and may contain dots, as host names do).</summary>
    public static void CheckWorkerName(string name)
    {
        if (!WorkerNamePattern.IsMatch(name))
            throw SmaErrors.InvalidWorkerName(name);
    }

    private static readonly Regex WorkerNamePattern = new("^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$", RegexOptions.CultureInvariant);

    /// <summary>The text of a runbook file; refuses missing, empty and binary files.</summary>
    public static string ReadFile(string path)
    {
        if (!File.Exists(path))
            throw SmaErrors.RunbookFileNotFound(path);
        var bytes = File.ReadAllBytes(path);
        string text;
        if (bytes.AsSpan().StartsWith(new byte[] { 0xFF, 0xFE }) || bytes.AsSpan().StartsWith(new byte[] { 0xFE, 0xFF }))
        {
            using var reader = new StreamReader(new MemoryStream(bytes), detectEncodingFromByteOrderMarks: true);
            text = reader.ReadToEnd();
        }
        else
        {
            if (Array.IndexOf(bytes, (byte)0) >= 0)
                throw SmaErrors.RunbookFileBinary(path);
            try
            {
                text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes);
            }
            catch (DecoderFallbackException)
            {
                text = Encoding.Latin1.GetString(bytes); // an ANSI-encoded script, as Windows PowerShell wrote them
            }
            if (text.Length > 0 && text[0] == '\uFEFF')
                text = text[1..];
        }
        if (string.IsNullOrWhiteSpace(text))
            throw SmaErrors.RunbookFileEmpty(path);
        return text;
    }

    /// <summary>
    /// Parses a script (not Workflow source, which <see cref="Workflows.WorkflowTranslator"/> takes); syntax errors are
    /// reported with line and column, nothing stored. A Workflow keyword outside a workflow gets its own error.
    /// </summary>
    public static ScriptBlockAst Parse(string runbookName, string source)
    {
        var ast = Parser.ParseInput(source, out var tokens, out var errors);
        if (errors.Length > 0)
        {
            if (errors.FirstOrDefault(e => Workflows.WorkflowFile.WorkflowKeyword(tokens, e) is not null) is { } keyword)
                throw SmaErrors.WorkflowKeywordOutsideWorkflow(runbookName, Workflows.WorkflowFile.WorkflowKeyword(tokens, keyword)!, keyword.Extent.StartLineNumber);
            throw SyntaxError(runbookName, errors);
        }
        return ast;
    }

    /// <summary>The error for a source with parse errors: the first five with their line and column.</summary>
    internal static SmaException SyntaxError(string runbookName, IReadOnlyList<ParseError> errors)
    {
        var details = string.Join(" ", errors.Take(5).Select(e =>
            $"Line {e.Extent.StartLineNumber}, column {e.Extent.StartColumnNumber}: {e.Message}"));
        if (errors.Count > 5)
            details += $" (and {errors.Count - 5} more)";
        return SmaErrors.RunbookSyntaxError(runbookName, details);
    }
}
