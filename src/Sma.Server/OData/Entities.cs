using System.Collections;
using System.Globalization;
using System.Management.Automation;
using System.Management.Automation.Language;
using System.Text.Json;
using Sma.Engine.Model;
using Sma.Engine.Services;

namespace Sma.Server.OData;

/// <summary>A job's parameter as SMA's JobParameters showed it: its value as text (arrays and hashtables as JSON).</summary>
internal sealed record JobParameterEntry(Guid JobContextID, string Name, string? Value, string Type);

/// <summary>One stream record as SMA's GetStreamItems returned it.</summary>
internal sealed record StreamItemEntry(Guid JobId, Guid RunbookVersionId, long StreamRecordId, string StreamTypeName, DateTime StreamTime, string StreamText);

/// <summary>A parameter a runbook version declares (SMA's RunbookParameters).</summary>
internal sealed record RunbookParameterEntry(Guid RunbookVersionID, string Name, string Type, bool IsMandatory, int Position);

/// <summary>One field of a connection as SMA's ConnectionFieldValues showed it: text, and no value when encrypted.</summary>
internal sealed record ConnectionFieldValueEntry(
    string ConnectionName, string ConnectionFieldName, string ConnectionTypeName, string? Value, bool IsEncrypted, bool IsOptional, string Type);

/// <summary>Conversions between the engine's objects and the service's entries.</summary>
internal static class Entities
{
    public static IReadOnlyList<JobParameterEntry> Parameters(Job job) => job.JobParameters.Cast<DictionaryEntry>()
        .Select(p => new JobParameterEntry(job.JobId, (string)p.Key, ValueText(p.Value), TypeName(p.Value)))
        .ToList();

    /// <summary>
    /// A connection's fields in its type's order (then any others it still holds), as text; an encrypted field that has
    /// a value shows the engine's mask (********), never the value.
    /// </summary>
    public static IReadOnlyList<ConnectionFieldValueEntry> ConnectionFieldValues(SmaConnection connection, SmaConnectionType? type) =>
        connection.ConnectionFieldValues.Cast<DictionaryEntry>().Select(pair =>
        {
            var name = (string)pair.Key;
            var field = type?.Fields.FirstOrDefault(f => f.Name.Equals(name, StringComparison.OrdinalIgnoreCase));
            var masked = Equals(pair.Value, SmaConnection.Masked);
            return new ConnectionFieldValueEntry(connection.Name, name, connection.ConnectionTypeName,
                masked ? SmaConnection.Masked : ValueText(pair.Value), field?.IsEncrypted == true || masked, field?.IsOptional ?? true,
                field?.TypeName ?? "System.Object");
        }).ToList();

    /// <summary>A value as text: strings as they are, numbers and times invariant, collections as JSON.</summary>
    public static string? ValueText(object? value) => Sma.Engine.Services.ValueText.ToText(value);

    private static string TypeName(object? value) => (value is PSObject p ? p.BaseObject : value)?.GetType().FullName ?? "System.Object";

    private static object? Plain(object? value) => Sma.Engine.Services.ValueText.Plain(value);

    /// <summary>The parameters a version's source declares, in order.</summary>
    public static IReadOnlyList<RunbookParameterEntry> RunbookParameters(Guid versionId, string runbookName, string source)
    {
        ScriptBlockAst script;
        try
        {
            script = RunbookSource.Parse(runbookName, source);
        }
        catch (Sma.Engine.SmaException)
        {
            return Array.Empty<RunbookParameterEntry>();
        }
        return (script.ParamBlock?.Parameters ?? (IEnumerable<ParameterAst>)Array.Empty<ParameterAst>())
            .Select((p, i) => new RunbookParameterEntry(versionId, p.Name.VariablePath.UserPath, p.StaticType.FullName ?? "System.Object",
                IsMandatory(p), i))
            .ToList();
    }

    private static bool IsMandatory(ParameterAst parameter) => parameter.Attributes.OfType<AttributeAst>()
        .Where(a => a.TypeName.GetReflectionType() == typeof(ParameterAttribute))
        .SelectMany(a => a.NamedArguments)
        .Any(n => n.ArgumentName.Equals("Mandatory", StringComparison.OrdinalIgnoreCase)
            && (n.ExpressionOmitted || n.Argument is VariableExpressionAst { VariablePath.UserPath: var v } && v.Equals("true", StringComparison.OrdinalIgnoreCase)
                || n.Argument is ConstantExpressionAst { Value: var c } && LanguagePrimitives.IsTrue(c)));

    /// <summary>SMA's web service words for a runbook's type: Script was its name for PowerShell Workflow runbooks.</summary>
    public static string ServiceRunbookType(string type) =>
        type == nameof(RunbookType.Workflow) ? "Script" : "PowerShellScript";

    /// <summary>A runbook type in SMA's words (or ours, or PowerShellWorkflow), or null when it is none.</summary>
    public static RunbookType? ParseRunbookType(string? text) => text?.Trim().ToLowerInvariant() switch
    {
        "script" or "workflow" or "powershellworkflow" => RunbookType.Workflow,
        "powershellscript" => RunbookType.Script,
        _ => null,
    };

    /// <summary>A variable's value as SMA's web service carried it: JSON text.</summary>
    public static string? VariableText(SmaVariable variable) =>
        variable.IsEncrypted || variable.Value is null ? null : JsonSerializer.Serialize(Plain(variable.Value));

    /// <summary>A variable value sent as text: JSON when it parses as JSON (a quoted string, a number, true, an object), else the text itself.</summary>
    public static object VariableValue(string text)
    {
        try
        {
            using var document = JsonDocument.Parse(text);
            var root = document.RootElement;
            return root.ValueKind switch
            {
                JsonValueKind.String => root.GetString()!,
                JsonValueKind.Number => root.TryGetInt32(out var i) ? i : root.TryGetInt64(out var l) ? l : text,
                JsonValueKind.True => true,
                JsonValueKind.False => false,
                JsonValueKind.Object => ToHashtable(root),
                _ => text,
            };
        }
        catch (JsonException)
        {
            return text;
        }
    }

    private static Hashtable ToHashtable(JsonElement element)
    {
        var table = new Hashtable(StringComparer.OrdinalIgnoreCase);
        foreach (var property in element.EnumerateObject())
        {
            table[property.Name] = property.Value.ValueKind switch
            {
                JsonValueKind.Object => ToHashtable(property.Value),
                JsonValueKind.String => property.Value.GetString(),
                JsonValueKind.Number => property.Value.TryGetInt32(out var i) ? i : property.Value.GetDouble(),
                JsonValueKind.True => true,
                JsonValueKind.False => false,
                JsonValueKind.Null => null,
                _ => property.Value.GetRawText(),
            };
        }
        return table;
    }
}
