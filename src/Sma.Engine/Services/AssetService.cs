using System.Management.Automation;
using System.Text.RegularExpressions;
using Sma.Engine.Security;
using Sma.Engine.Store;

namespace Sma.Engine.Services;

/// <summary>
/// The automation assets — variables, credentials, connections, certificates — for the cmdlets and for jobs. Secret
/// values are encrypted with the store's key before they reach the store, and never come out of it except to a job
/// (Get-Automation*). Every check is made before anything is written, so a refused request changes nothing.
/// </summary>
public sealed partial class AssetService
{
    /// <summary>How deep a variable's (or a field's) value is kept: a hashtable of values, with some nesting.</summary>
    private const int ValueDepth = 4;

    private static readonly Regex NamePattern = new(
        @"^(?! )[^\x00-\x1F\x7F<>*%&:\\?/+\[\]'""]{1,128}(?<! )$", RegexOptions.CultureInvariant);

    private readonly IAssetStore _store;
    private readonly ValueCodec _codec;

    public AssetService(SmaRuntime runtime)
        : this(runtime.Store, runtime.Codec)
    {
    }

    internal AssetService(IAssetStore store, ValueCodec codec)
    {
        _store = store;
        _codec = codec;
    }

    /// <summary>
    /// Asset names: 1 to 128 characters, no control characters, none of the characters SMA's web service and
    /// wildcards give a meaning to, no leading or trailing space.
    /// </summary>
    public static void CheckName(string kind, string name)
    {
        if (!NamePattern.IsMatch(name))
            throw SmaErrors.InvalidAssetName(kind, name);
    }

    /// <summary>
    /// Writes with a compare-and-set against the row read: when another writer came first the decision is made
    /// again on a fresh read, so the checks always hold for what is replaced.
    /// </summary>
    private static T Retry<T>(Func<T?> attempt) where T : class
    {
        for (var i = 0; ; i++)
        {
            if (attempt() is { } done)
                return done;
            if (i >= 50)
                throw new InvalidOperationException("The asset kept changing under this request; try again.");
        }
    }

    private static object? Unwrap(object? value) => value is PSObject p ? p.BaseObject : value;

    /// <summary>A value read back from the store: the .NET object itself, not PowerShell's wrapper around it.</summary>
    private object? Decode(string? xml, byte[]? secret)
    {
        var value = _codec.Decode(xml, secret);
        return value is PSObject { BaseObject: not PSCustomObject } wrapped ? wrapped.BaseObject : value;
    }
}
