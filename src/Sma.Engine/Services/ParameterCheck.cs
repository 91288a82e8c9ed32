using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace Sma.Engine.Services;

/// <summary>
/// Checks parameter values against a runbook's param() block before a job is created: unknown names, missing
/// mandatory parameters and values that cannot be converted to the declared type are refused (DESIGN §4.6).
/// </summary>
internal static class ParameterCheck
{
    private static readonly HashSet<string> CommonParameters = new(StringComparer.OrdinalIgnoreCase)
    {
        "Verbose", "Debug", "ErrorAction", "WarningAction", "InformationAction", "ProgressAction", "ErrorVariable",
        "WarningVariable", "InformationVariable", "OutVariable", "OutBuffer", "PipelineVariable",
    };

    private sealed record Declared(string Name, IReadOnlyList<string> Aliases, Type Type, bool Mandatory);

    /// <summary>Returns the values keyed by the declared parameter names, in the order the param() block declares them.</summary>
    public static List<KeyValuePair<string, object?>> Check(string runbookName, ScriptBlockAst script, IDictionary? values)
    {
        var declared = Declare(script.ParamBlock);
        var advanced = script.ParamBlock?.Attributes.Any(a => a.TypeName.GetReflectionType() == typeof(CmdletBindingAttribute)) == true
            || declared.Count > 0 && script.ParamBlock!.Parameters.Any(p => p.Attributes.Any(IsParameterAttribute));
        var result = new List<KeyValuePair<string, object?>>();
        var supplied = new HashSet<string>(StringComparer.OrdinalIgnoreCase);

        foreach (DictionaryEntry entry in values ?? new Hashtable())
        {
            var key = entry.Key?.ToString() ?? "";
            var match = declared.FirstOrDefault(d =>
                d.Name.Equals(key, StringComparison.OrdinalIgnoreCase) ||
                d.Aliases.Contains(key, StringComparer.OrdinalIgnoreCase));
            if (match is null)
            {
                if (advanced && CommonParameters.Contains(key))
                {
                    result.Add(new(key, entry.Value));
                    continue;
                }
                throw SmaErrors.UnknownParameter(runbookName, key, declared.Select(d => d.Name).ToList());
            }
            if (!supplied.Add(match.Name))
                throw SmaErrors.DuplicateParameter(runbookName, match.Name, key);
            var value = entry.Value is PSObject { BaseObject: var b } && b is not PSCustomObject ? b : entry.Value;
            if (match.Type != typeof(object) && !CanConvert(value, match.Type))
                throw SmaErrors.InvalidParameterValue(runbookName, match.Name, match.Type, Describe(value), key);
            result.Add(new(match.Name, value));
        }

        var order = declared.Select((d, i) => (d.Name, i)).ToDictionary(x => x.Name, x => x.i, StringComparer.OrdinalIgnoreCase);
        result = result.OrderBy(kv => order.TryGetValue(kv.Key, out var i) ? i : int.MaxValue).ToList();

        var missing = declared.Where(d => d.Mandatory && !supplied.Contains(d.Name)).Select(d => d.Name).ToList();
        if (missing.Count > 0)
            throw SmaErrors.MissingMandatoryParameter(runbookName, missing);
        return result;
    }

    private static List<Declared> Declare(ParamBlockAst? block)
    {
        if (block is null)
            return new List<Declared>();
        return block.Parameters.Select(p =>
        {
            var parameterAttributes = p.Attributes.OfType<AttributeAst>().Where(IsParameterAttribute).ToList();
            var mandatory = parameterAttributes.Count > 0 && parameterAttributes.All(IsMandatory);
            var aliases = p.Attributes.OfType<AttributeAst>()
                .Where(a => a.TypeName.GetReflectionType() == typeof(AliasAttribute))
                .SelectMany(a => a.PositionalArguments.OfType<StringConstantExpressionAst>().Select(s => s.Value))
                .ToList();
            return new Declared(p.Name.VariablePath.UserPath, aliases, p.StaticType, mandatory);
        }).ToList();
    }

    private static bool IsParameterAttribute(AttributeBaseAst attribute) =>
        attribute is AttributeAst && attribute.TypeName.GetReflectionType() == typeof(ParameterAttribute);

    private static bool IsMandatory(AttributeAst attribute) =>
        attribute.NamedArguments.Any(n =>
            n.ArgumentName.Equals("Mandatory", StringComparison.OrdinalIgnoreCase) &&
            (n.ExpressionOmitted || n.Argument is VariableExpressionAst { VariablePath.UserPath: var v } &&
                v.Equals("true", StringComparison.OrdinalIgnoreCase) ||
             n.Argument is ConstantExpressionAst { Value: var c } && LanguagePrimitives.IsTrue(c)));

    private static bool CanConvert(object? value, Type type)
    {
        if (value is null)
            return !type.IsValueType || type == typeof(SwitchParameter) || Nullable.GetUnderlyingType(type) is not null;
        try
        {
            return LanguagePrimitives.TryConvertTo(value, type, out object? _);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return false;
        }
    }

    private static string Describe(object? value)
    {
        var text = value?.ToString() ?? "$null";
        return text.Length <= 80 ? text : text[..77] + "...";
    }
}
