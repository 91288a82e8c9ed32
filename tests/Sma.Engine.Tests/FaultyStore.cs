using System.Reflection;
using System.Runtime.ExceptionServices;
using Sma.Engine.Store;

namespace Sma.Engine.Tests;

/// <summary>An <see cref="IJobStore"/> that forwards to a real store, with a hook that may fail or delay any call.</summary>
public class FaultyStore : DispatchProxy
{
    private IJobStore _inner = null!;

    /// <summary>Called before each forwarded call with the method name and arguments; may throw, block or count.</summary>
    public Action<string, object?[]>? Before { get; set; }

    public static (IJobStore Store, FaultyStore Faults) Wrap(IJobStore inner)
    {
        var store = Create<IJobStore, FaultyStore>();
        var faults = (FaultyStore)(object)store;
        faults._inner = inner;
        return (store, faults);
    }

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        Before?.Invoke(targetMethod!.Name, args ?? Array.Empty<object?>());
        try
        {
            return targetMethod!.Invoke(_inner, args);
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            ExceptionDispatchInfo.Throw(e.InnerException);
            throw;
        }
    }
}
