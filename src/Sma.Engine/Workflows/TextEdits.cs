using System.Text;

namespace Sma.Engine.Workflows;

/// <summary>
/// Edits to a source text, applied in one pass. Every edit keeps the source's line structure: a replacement has as
/// many line breaks as the text it replaces (missing ones are appended), so each original statement stays on its
/// original line and error positions need no map. Insertions at the same offset are ordered by
/// <see cref="EditOrder"/> so that what closes an inner construct comes before what opens the next.
/// </summary>
internal sealed class TextEdits
{
    private readonly string _source;
    private readonly List<Edit> _edits = new();

    public TextEdits(string source) => _source = source;

    private sealed record Edit(int Start, int End, string Text, double Order, int Sequence);

    /// <summary>Replaces [start, end) with <paramref name="text"/>, padded with the line breaks it removed.</summary>
    public void Replace(int start, int end, string text)
    {
        var removed = CountLines(_source.AsSpan(start, end - start));
        var added = CountLines(text.AsSpan());
        if (added > removed)
            throw new InvalidOperationException($"A workflow translation edit at offset {start} adds line breaks.");
        _edits.Add(new Edit(start, end, text + new string('\n', removed - added), EditOrder.Replace, _edits.Count));
    }

    /// <summary>Inserts <paramref name="text"/> (one line) at <paramref name="offset"/>.</summary>
    public void Insert(int offset, string text, double order)
    {
        if (text.Contains('\n'))
            throw new InvalidOperationException($"A workflow translation insertion at offset {offset} adds a line break.");
        _edits.Add(new Edit(offset, offset, text, order, _edits.Count));
    }

    public string Apply()
    {
        var ordered = _edits.OrderBy(e => e.Start).ThenBy(e => e.Order).ThenBy(e => e.Sequence).ToList();
        var text = new StringBuilder(_source.Length + 256);
        var at = 0;
        foreach (var edit in ordered)
        {
            if (edit.Start < at)
                throw new InvalidOperationException($"Workflow translation edits overlap at offset {edit.Start}.");
            text.Append(_source, at, edit.Start - at).Append(edit.Text);
            at = edit.End;
        }
        return text.Append(_source, at, _source.Length - at).ToString();
    }

    private static int CountLines(ReadOnlySpan<char> text)
    {
        var count = 0;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\n')
                count++;
            else if (text[i] == '\r' && (i + 1 == text.Length || text[i + 1] != '\n'))
                count++; // a lone CR ends a line for PowerShell's tokenizer too
        }
        return count;
    }
}

/// <summary>
/// Where an insertion goes among edits at the same offset: text that closes something that ends here first (inner
/// constructs before outer ones), then text that opens something that starts here (outer before inner), then a
/// replacement that starts here.
/// </summary>
internal static class EditOrder
{
    public const double Replace = 3000;

    /// <summary>After a node ending at the offset; <paramref name="depth"/> is its nesting depth.</summary>
    public static double After(int depth) => 1000 - depth;

    /// <summary>Before a node starting at the offset; <paramref name="depth"/> is its nesting depth.</summary>
    public static double Before(int depth) => 2000 + depth;
}
