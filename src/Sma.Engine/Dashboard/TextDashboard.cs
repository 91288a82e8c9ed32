using System.Globalization;
using System.Text;
using Sma.Engine.Model;
using Sma.Engine.Services;

namespace Sma.Engine.Dashboard;

/// <summary>
/// The job summary as plain text for a terminal (Show-SmaDashboard): one line per slice with the main counts and a
/// bar of the jobs that ended in it, then the totals of all ten statuses. Every line fits in 80 columns; no colour,
/// so it reads the same with NO_COLOR, in CI logs and in files.
/// </summary>
public static class TextDashboard
{
    /// <summary>No line is longer than this.</summary>
    public const int MaxWidth = 79;

    public const char CompletedBar = '█';
    public const char FailedBar = '▒';
    public const char StoppedBar = '░';

    private static readonly (string Label, JobStatus Status)[] Columns =
    {
        ("Queued", JobStatus.Queued),
        ("Running", JobStatus.Running),
        ("Completed", JobStatus.Completed),
        ("Failed", JobStatus.Failed),
        ("Stopped", JobStatus.Stopped),
    };

    public static IReadOnlyList<string> Render(IReadOnlyList<JobSummaryRow> rows, SummaryRange range, string? runbookName)
    {
        var lines = new List<string>();
        var hourly = range.Unit == SummarySlice.Hour;
        var timeFormat = hourly ? "yyyy-MM-dd HH:mm" : "yyyy-MM-dd";
        var labelWidth = timeFormat.Length;

        var who = runbookName is null ? "all runbooks" : $"runbook {runbookName}";
        lines.Add(Fit($"Sma jobs, {range.Describe()} (UTC), {who}"));
        lines.Add(Fit($"{range.Start.ToString(timeFormat, CultureInfo.InvariantCulture)} to " +
                      $"{range.End.ToString(timeFormat, CultureInfo.InvariantCulture)}; counts are jobs entering each status"));
        lines.Add("");

        var header = new StringBuilder((hourly ? "Hour (UTC)" : "Day (UTC)").PadRight(labelWidth));
        foreach (var (label, _) in Columns)
            header.Append(' ').Append(label);
        var barWidth = MaxWidth - header.Length - 2;
        header.Append("  Ended");
        lines.Add(header.ToString());

        var most = rows.Count == 0 ? 0 : rows.Max(Ended);
        var perChar = most <= barWidth ? 1.0 : (double)most / barWidth;
        foreach (var row in rows)
        {
            var line = new StringBuilder(row.SliceStart.ToString(timeFormat, CultureInfo.InvariantCulture).PadRight(labelWidth));
            foreach (var (label, status) in Columns)
                line.Append(' ').Append(row.Count(status).ToString(CultureInfo.InvariantCulture).PadLeft(label.Length));
            line.Append("  ").Append(Bar(row, perChar, barWidth));
            lines.Add(line.ToString().TrimEnd());
        }

        lines.Add("");
        var scale = perChar <= 1.0 ? "1 job" : $"{perChar.ToString("0.#", CultureInfo.InvariantCulture)} jobs";
        lines.Add(Fit($"Ended: {CompletedBar} Completed  {FailedBar} Failed  {StoppedBar} Stopped  (one character = {scale})"));
        var totals = JobSummaryRow.Statuses
            .Select(s => $"{s} {rows.Sum(r => r.Count(s)).ToString(CultureInfo.InvariantCulture)}")
            .ToList();
        lines.AddRange(Wrap("Totals: ", totals));
        return lines;
    }

    private static int Ended(JobSummaryRow row) => row.Completed + row.Failed + row.Stopped;

    /// <summary>Completed, Failed and Stopped segments; every non-zero count gets at least one character.</summary>
    private static string Bar(JobSummaryRow row, double perChar, int width)
    {
        var parts = new[] { (row.Completed, CompletedBar), (row.Failed, FailedBar), (row.Stopped, StoppedBar) }
            .Select(p => (Chars: p.Item1 == 0 ? 0 : Math.Max(1, (int)Math.Round(p.Item1 / perChar)), p.Item2))
            .ToArray();
        // Rounding up small segments can overflow the width: take the excess from the longest segment.
        while (parts.Sum(p => p.Chars) > width)
        {
            var longest = Array.IndexOf(parts, parts.MaxBy(p => p.Chars));
            parts[longest].Chars--;
        }
        var bar = new StringBuilder(width);
        foreach (var (chars, glyph) in parts)
            bar.Append(glyph, chars);
        return bar.ToString();
    }

    private static IEnumerable<string> Wrap(string lead, IReadOnlyList<string> items)
    {
        var line = new StringBuilder(lead);
        var indent = new string(' ', lead.Length);
        for (var i = 0; i < items.Count; i++)
        {
            var item = items[i] + (i < items.Count - 1 ? "," : "");
            if (line.Length > lead.Length && line.Length + 1 + item.Length > MaxWidth)
            {
                yield return line.ToString();
                line.Clear().Append(indent);
            }
            else if (line.Length > lead.Length)
            {
                line.Append(' ');
            }
            line.Append(item);
        }
        yield return line.ToString();
    }

    private static string Fit(string text) => text.Length <= MaxWidth ? text : text[..(MaxWidth - 1)] + "…";
}
