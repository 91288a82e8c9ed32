using System.Management.Automation.Language;
using System.Text;
using System.Text.Json;

namespace Sma.Engine.Execution.Resume;

/// <summary>
/// One step down a runbook's static path: the statement at <see cref="Index"/> of the current statement list, then
/// (except on the last step) its statement list number <see cref="Child"/> (an if's clause bodies then its else; a
/// loop's body; a switch's clause bodies then its default; a try's body, its catch bodies, then its finally).
/// <see cref="Position"/> is the element a walked foreach/switch was at (0-based); null for other statements.
/// </summary>
internal readonly record struct PathStep(int Index, int Child = -1, int? Position = null);

/// <summary>
/// Where a resumed job continues: a path of statement indexes from one of the runbook's named blocks down to a
/// statement, and whether to continue <see cref="After"/> it (a Checkpoint-Workflow statement on the path) or to
/// run it again (a checkpoint taken inside a call the statement made; <see cref="Call"/> is which of the checkpoints
/// taken through calls while the statement ran it was, so the run again skips that many). Stored as JSON in the
/// checkpoint; the captured loop collections travel beside it (CliXml), keyed by step number.
/// </summary>
internal sealed record ResumePoint(TokenKind Block, IReadOnlyList<PathStep> Steps, bool After, int Call = 0)
{
    /// <summary>
    /// A checkpoint saved before resume paths existed held a top-level statement index: resume at that statement.
    /// </summary>
    public static ResumePoint Legacy(int statementIndex) =>
        new(TokenKind.End, new[] { new PathStep(statementIndex) }, After: false) { IsLegacy = true };

    /// <summary>True for a point read from a checkpoint that only knew its top-level statement.</summary>
    public bool IsLegacy { get; private init; }

    /// <summary>The top-level statement index, kept in the checkpoints table's statement_index column too.</summary>
    public int TopIndex => Steps.Count > 0 ? Steps[0].Index : 0;

    public string ToJson()
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteNumber("v", 1);
            json.WriteString("block", Block.ToString());
            json.WriteBoolean("after", After);
            if (Call > 0)
                json.WriteNumber("call", Call);
            json.WriteStartArray("steps");
            foreach (var step in Steps)
            {
                json.WriteStartArray();
                json.WriteNumberValue(step.Index);
                if (step.Child >= 0 || step.Position is not null)
                    json.WriteNumberValue(step.Child);
                if (step.Position is { } position)
                    json.WriteNumberValue(position);
                json.WriteEndArray();
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>Reads <see cref="ToJson"/>'s form; throws <see cref="FormatException"/> for anything else.</summary>
    public static ResumePoint FromJson(string text)
    {
        try
        {
            using var document = JsonDocument.Parse(text);
            var root = document.RootElement;
            var block = Enum.Parse<TokenKind>(root.GetProperty("block").GetString()!);
            if (block is not (TokenKind.Begin or TokenKind.Process or TokenKind.End))
                throw new FormatException($"'{block}' is not a runbook block.");
            var steps = new List<PathStep>();
            foreach (var step in root.GetProperty("steps").EnumerateArray())
            {
                var values = step.EnumerateArray().Select(v => v.GetInt32()).ToArray();
                steps.Add(new PathStep(values[0], values.Length > 1 ? values[1] : -1, values.Length > 2 ? values[2] : null));
            }
            var call = root.TryGetProperty("call", out var c) ? c.GetInt32() : 0;
            return new ResumePoint(block, steps, root.GetProperty("after").GetBoolean(), call);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or ArgumentException or IndexOutOfRangeException)
        {
            throw new FormatException($"The checkpoint's resume path is not readable: {e.Message}", e);
        }
    }
}
