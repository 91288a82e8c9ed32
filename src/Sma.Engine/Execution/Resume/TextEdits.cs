using System.Management.Automation.Language;
using System.Text;

namespace Sma.Engine.Execution.Resume;

/// <summary>
/// Edits to a runbook's source that never add or remove a line: text inserted within lines, a few tokens replaced
/// by same-line text. Builds the text to run and maps its offsets back to the source's.
/// </summary>
internal sealed class TextEdits
{
    /// <summary>
    /// Order of insertions at one offset: text inside the statement ending there (an added argument), closing
    /// braces, then what opens the next statement.
    /// </summary>
    public enum Rank
    {
        Inline = -1,
        Close = 0,
        Restore = 1,
        Entry = 2,
        Open = 3,
        Clear = 4,
        Marker = 5,
    }

    private readonly string _source;
    private readonly Token[] _significant; // tokens that are not comments or line breaks, in order
    private readonly Dictionary<int, List<(Rank Rank, int Seq, string Text, bool Statement)>> _inserts = new();
    private readonly List<(int Offset, int Length, string Text)> _replacements = new();
    private int _seq;

    public TextEdits(string source, Token[] tokens)
    {
        _source = source;
        _significant = tokens.Where(t => t.Kind is not (TokenKind.Comment or TokenKind.NewLine or TokenKind.LineContinuation or TokenKind.EndOfInput))
            .ToArray();
    }

    public bool Any => _inserts.Count > 0 || _replacements.Count > 0;

    /// <summary>Text inside a statement (a wrapped condition, an added argument): goes exactly at the offset.</summary>
    public void Insert(int offset, string text, Rank rank = Rank.Inline) => Add(offset, text, rank, statement: false);

    /// <summary>
    /// A statement-level insertion before <paramref name="statement"/>: placed right after the previous token (the
    /// end of the line above, usually, so the statement keeps its columns), with a ';' where needed.
    /// </summary>
    public void BeforeStatement(Ast statement, string text, Rank rank) => Add(GapStart(statement.Extent.StartOffset), text, rank, statement: true);

    /// <summary>A closing brace right after <paramref name="statement"/>.</summary>
    public void AfterStatement(Ast statement, string text) => Add(statement.Extent.EndOffset, text, Rank.Close, statement: false);

    public void Replace(IScriptExtent extent, string text)
    {
        if (text.Contains('\n') || extent.Text.Contains('\n'))
            throw new InvalidOperationException("A replacement must stay on its line.");
        _replacements.Add((extent.StartOffset, extent.EndOffset - extent.StartOffset, text));
    }

    private void Add(int offset, string text, Rank rank, bool statement)
    {
        if (text.Contains('\n'))
            throw new InvalidOperationException("An insertion must stay on its line.");
        if (!_inserts.TryGetValue(offset, out var list))
            _inserts[offset] = list = new();
        list.Add((rank, _seq++, text, statement));
    }

    /// <summary>Where a statement's preceding insertion goes: after the last token before it, else at its start.</summary>
    private int GapStart(int statementStart)
    {
        var previous = LastTokenBefore(statementStart);
        return previous is null ? statementStart : previous.Extent.EndOffset;
    }

    private Token? LastTokenBefore(int offset)
    {
        int lo = 0, hi = _significant.Length - 1, found = -1;
        while (lo <= hi)
        {
            var mid = (lo + hi) / 2;
            if (_significant[mid].Extent.EndOffset <= offset)
            {
                found = mid;
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }
        return found < 0 ? null : _significant[found];
    }

    /// <summary>Applies the edits: the text to run and its offset map.</summary>
    public (string Text, OffsetMap Map) Build()
    {
        var edits = new List<(int Offset, int Length, string Text)>(_replacements);
        foreach (var (offset, list) in _inserts)
            edits.Add((offset, 0, Merge(offset, list)));
        edits.Sort((a, b) => a.Offset != b.Offset ? a.Offset.CompareTo(b.Offset) : a.Length.CompareTo(b.Length));

        var text = new StringBuilder(_source.Length + edits.Sum(e => e.Text.Length));
        var map = new List<OffsetMap.Entry>(edits.Count);
        var at = 0;
        foreach (var (offset, length, insert) in edits)
        {
            if (offset < at)
                throw new InvalidOperationException("Overlapping edits.");
            text.Append(_source, at, offset - at);
            map.Add(new OffsetMap.Entry(offset, length, text.Length, insert.Length));
            text.Append(insert);
            at = offset + length;
        }
        text.Append(_source, at, _source.Length - at);
        return (text.ToString(), new OffsetMap(map));
    }

    private string Merge(int offset, List<(Rank Rank, int Seq, string Text, bool Statement)> list)
    {
        var sb = new StringBuilder();
        var ordered = list.OrderBy(i => i.Rank).ThenBy(i => i.Seq).ToList();
        var previous = LastTokenBefore(offset);
        // A statement-level insertion after something that ends a statement needs a separator.
        var open = previous is null || previous.Kind is TokenKind.LCurly or TokenKind.Semi;
        foreach (var item in ordered)
        {
            if (item.Statement && !open)
                sb.Append(';');
            sb.Append(item.Text);
            open = item.Statement ? item.Text.EndsWith('{') || item.Text.EndsWith(';') : item.Text.EndsWith('{');
        }
        return sb.ToString();
    }
}

/// <summary>Maps offsets in an edited text back to the source it was made from.</summary>
internal sealed class OffsetMap
{
    public readonly record struct Entry(int SourceOffset, int SourceLength, int TextOffset, int TextLength);

    private readonly List<Entry> _entries;

    public OffsetMap(List<Entry> entries) => _entries = entries;

    public static OffsetMap Identity { get; } = new(new List<Entry>());

    public int ToSource(int textOffset)
    {
        var delta = 0;
        foreach (var e in _entries)
        {
            if (textOffset < e.TextOffset)
                break;
            if (textOffset < e.TextOffset + e.TextLength)
                return e.SourceOffset + Math.Min(textOffset - e.TextOffset, e.SourceLength); // inside inserted text
            delta = e.SourceOffset + e.SourceLength - (e.TextOffset + e.TextLength);
        }
        return textOffset + delta;
    }
}
