using Sma.Engine.Model;

namespace Sma.Engine;

/// <summary>
/// This process's choice of <see cref="JobIsolation"/>: what Set-SmaSessionOption chose, else
/// <c>$env:SMA_ISOLATION</c> (read each time, so a CI job can set it once for every step), else Thread.
/// </summary>
public static class SessionIsolation
{
    public const string EnvironmentVariable = "SMA_ISOLATION";

    private static JobIsolation? _chosen;

    /// <summary>The isolation in force; an unknown value in the environment variable is an InvalidIsolation error.</summary>
    public static JobIsolation Current => _chosen ?? FromEnvironment() ?? JobIsolation.Thread;

    /// <summary>Where <see cref="Current"/> comes from: Set-SmaSessionOption, the environment variable, or the default.</summary>
    public static string Source => _chosen is not null ? "Set-SmaSessionOption"
        : Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } ? "$env:" + EnvironmentVariable
        : "Default";

    /// <summary>Chooses the isolation for this process (null: back to the environment variable or the default).</summary>
    public static void Choose(JobIsolation? isolation) => _chosen = isolation;

    /// <summary>The value of the environment variable (case-insensitive names only); null when it is not set.</summary>
    public static JobIsolation? FromEnvironment() => Parse(Environment.GetEnvironmentVariable(EnvironmentVariable));

    /// <summary>A value of the environment variable: a name, in any case; empty is none; anything else is InvalidIsolation.</summary>
    internal static JobIsolation? Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
            return null;
        foreach (var value in Enum.GetValues<JobIsolation>())
            if (value.ToString().Equals(text.Trim(), StringComparison.OrdinalIgnoreCase))
                return value;
        throw SmaErrors.InvalidIsolation(text);
    }
}
