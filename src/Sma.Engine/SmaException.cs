using System.Management.Automation;

namespace Sma.Engine;

/// <summary>
/// An error the engine reports to a user: a stable <see cref="ErrorId"/>, an <see cref="ErrorCategory"/> and the
/// object it is about. Cmdlets turn it into a terminating ErrorRecord; the engine never references cmdlet types.
/// </summary>
public sealed class SmaException : Exception
{
    public SmaException(string errorId, ErrorCategory category, string message, object? target, Exception? inner = null)
        : base(message, inner)
    {
        ErrorId = errorId;
        Category = category;
        Target = target;
    }

    /// <summary>Stable identifier, e.g. RunbookNotFound; scripts may match on it.</summary>
    public string ErrorId { get; }

    public ErrorCategory Category { get; }

    /// <summary>The thing the error is about (a name, an id, a path).</summary>
    public object? Target { get; }
}
