using System.Collections.ObjectModel;
using System.Linq.Expressions;
using System.Management.Automation;
using System.Reflection;

namespace Sma.Engine.Execution;

/// <summary>
/// What a serializer needs to know about a PSObject — its type names and its instance members (Add-Member, the
/// properties of a [pscustomobject]) — read the way PowerShell's own serializer reads them. The public routes cost
/// too much on the output path: PSObject.Properties merges in every adapted member of the base type on each call,
/// and the public TypeNames getter records a copy in a process-wide weak table (profiled: ~30 µs per output object,
/// most of an output-heavy job, plus finalizer work). The internal members are bound once by reflection; on a
/// PowerShell that lacks them the public routes are used instead, with the same results.
/// </summary>
internal static class PSObjectView
{
    private const BindingFlags Internal = BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static;
    private const PSMemberTypes AddedProperties =
        PSMemberTypes.NoteProperty | PSMemberTypes.ScriptProperty | PSMemberTypes.CodeProperty | PSMemberTypes.AliasProperty;

    // PowerShell caches its hidden intrinsic members among the instance members once they are used (ToString does);
    // the names are reserved, so nothing a script adds can have them.
    private static readonly HashSet<string> Intrinsic = new(StringComparer.OrdinalIgnoreCase)
    {
        "psobject", "psbase", "psadapted", "psextended", "pstypenames",
    };

    /// <summary>PSObject.HasInstanceMembers(object, out collection): the collection when it has any members, else null.</summary>
    private static readonly Func<object, PSMemberInfoCollection<PSMemberInfo>?>? InstanceMembers = Bind(() =>
    {
        var method = typeof(PSObject).GetMethod("HasInstanceMembers", Internal);
        var parameters = method?.GetParameters();
        if (method?.ReturnType != typeof(bool) || parameters is not { Length: 2 } || parameters[0].ParameterType != typeof(object)
            || !parameters[1].ParameterType.IsByRef)
            return null;
        var collectionType = parameters[1].ParameterType.GetElementType()!;
        if (!typeof(PSMemberInfoCollection<PSMemberInfo>).IsAssignableFrom(collectionType))
            return null;
        var value = Expression.Parameter(typeof(object), "value");
        var members = Expression.Variable(collectionType, "members");
        var body = Expression.Block(new[] { members },
            Expression.Condition(Expression.Call(method, value, members),
                Expression.Convert(members, typeof(PSMemberInfoCollection<PSMemberInfo>)),
                Expression.Constant(null, typeof(PSMemberInfoCollection<PSMemberInfo>))));
        return Expression.Lambda<Func<object, PSMemberInfoCollection<PSMemberInfo>?>>(body, value).Compile();
    });

    /// <summary>PSObject.InternalTypeNames: the type names without the copy the public getter records.</summary>
    private static readonly Func<PSObject, Collection<string>>? InternalTypeNames = Bind(() =>
    {
        var getter = typeof(PSObject).GetProperty("InternalTypeNames", Internal)?.GetMethod;
        return getter is not null && typeof(Collection<string>).IsAssignableFrom(getter.ReturnType)
            ? getter.CreateDelegate<Func<PSObject, Collection<string>>>()
            : null;
    });

    /// <summary>True when the internal members were found (the fast route); false on a PowerShell that lacks them.</summary>
    internal static bool BoundToInternals => InstanceMembers is not null && InternalTypeNames is not null;

    /// <summary>The object's type names, most derived first.</summary>
    public static IList<string> TypeNames(PSObject value) =>
        InternalTypeNames is null ? value.TypeNames : InternalTypeNames(value);

    /// <summary>The properties added to this instance, in the order they were added (none for a plain wrapper).</summary>
    public static IEnumerable<PSPropertyInfo> AddedMembers(PSObject value)
    {
        if (InstanceMembers is null)
            return value.Properties.Match("*", AddedProperties);
        return InstanceMembers(value)?.OfType<PSPropertyInfo>().Where(p => !Intrinsic.Contains(p.Name)) ?? Array.Empty<PSPropertyInfo>();
    }

    /// <summary>A wrapper that adds nothing a serializer would have to keep: no extra type names, no added properties.</summary>
    public static bool IsPlain(PSObject value)
    {
        var names = TypeNames(value);
        return (names.Count == 0 || names[0] == value.BaseObject.GetType().FullName) && !AddedMembers(value).Any();
    }

    private static T? Bind<T>(Func<T?> find) where T : class
    {
        try
        {
            return find();
        }
        catch (Exception e) when (e is AmbiguousMatchException or MemberAccessException or NotSupportedException
                                       or ArgumentException or InvalidOperationException)
        {
            return null;
        }
    }
}
