using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Sma.Engine.Dashboard;

/// <summary>
/// The dashboard as one self-contained HTML file (Export-SmaDashboard): the page template (dashboard.html, embedded
/// in this assembly) with the data as JSON in a <c>&lt;script type="application/json"&gt;</c> block. The page draws
/// its chart as SVG by hand and loads nothing: its Content-Security-Policy allows no requests and only its own
/// script, named by hash.
/// </summary>
public static class HtmlDashboard
{
    private const string DataPlaceholder = "__SMA_DATA__";
    private const string HashPlaceholder = "__SMA_SCRIPT_HASH__";
    private const string AppScriptOpen = "<script id=\"sma-app\">";

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        // The default encoder already writes < > & ' as \u escapes; we escape < and > again below regardless.
        Encoder = JavaScriptEncoder.Default,
    };

    private static readonly Lazy<string> Template = new(LoadTemplate);

    internal static string Render(PageData data)
    {
        var template = Template.Value;
        var hash = ScriptHash(template);
        var page = template.Replace(HashPlaceholder, "sha256-" + hash, StringComparison.Ordinal);
        var at = page.IndexOf(DataPlaceholder, StringComparison.Ordinal);
        return string.Concat(page.AsSpan(0, at), EscapeJson(JsonSerializer.Serialize(data, Json)), page.AsSpan(at + DataPlaceholder.Length));
    }

    /// <summary>
    /// JSON that is safe inside a script element: no "&lt;" or "&gt;" at all (so no &lt;/script&gt;, no &lt;!--), which is
    /// still the same JSON because those characters only occur inside strings.
    /// </summary>
    internal static string EscapeJson(string json) =>
        json.Replace("<", "\\u003c", StringComparison.Ordinal).Replace(">", "\\u003e", StringComparison.Ordinal);

    /// <summary>The base64 SHA-256 of the page script's text, as the Content-Security-Policy names it.</summary>
    internal static string ScriptHash(string template)
    {
        var start = template.IndexOf(AppScriptOpen, StringComparison.Ordinal) + AppScriptOpen.Length;
        var end = template.IndexOf("</script>", start, StringComparison.Ordinal);
        return Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(template[start..end])));
    }

    private static string LoadTemplate()
    {
        using var stream = typeof(HtmlDashboard).Assembly.GetManifestResourceStream("Sma.Engine.Dashboard.dashboard.html")
            ?? throw new InvalidOperationException("The dashboard template is missing from Sma.Engine.dll.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        // Browsers hash the script as parsed, where line ends are always \n.
        var template = reader.ReadToEnd().Replace("\r\n", "\n", StringComparison.Ordinal);
        if (template.Split(DataPlaceholder).Length != 2 || template.Split(HashPlaceholder).Length != 2 || !template.Contains(AppScriptOpen, StringComparison.Ordinal))
            throw new InvalidOperationException("The dashboard template has lost one of its placeholders.");
        return template;
    }
}

// What the page gets, as JSON (camelCase). Times are ISO 8601 UTC strings.

internal sealed record PageData(
    string Generated,
    string Unit,
    string Description,
    string Start,
    string End,
    string? RunbookName,
    IReadOnlyList<string> Statuses,
    IReadOnlyList<SliceData> Slices,
    IReadOnlyList<int> Totals,
    IReadOnlyList<JobData> Jobs,
    bool JobsTruncated,
    int JobLimit,
    int RecordLimit,
    IReadOnlyDictionary<string, SourceData> Sources);

internal sealed record SliceData(string Start, string End, IReadOnlyList<int> Counts);

internal sealed record JobData(
    string Id,
    string Runbook,
    string Status,
    string? StatusDetails,
    string? Exception,
    string Created,
    string? Started,
    string? Ended,
    string LastModified,
    string? Worker,
    string? StartedBy,
    int Errors,
    int Warnings,
    string VersionId,
    IReadOnlyList<ParameterData> Parameters,
    IReadOnlyList<HistoryData> History,
    IReadOnlyList<RecordData> Records,
    bool RecordsTruncated);

internal sealed record ParameterData(string Name, string Value);

internal sealed record HistoryData(string Time, string? From, string To, string? Worker, string? Details);

internal sealed record RecordData(long Id, string Time, string Type, string Text);

internal sealed record SourceData(string Runbook, int Version, string Content);
