namespace Sma.Engine.Model;

/// <summary>Where the jobs of a session's own worker run (DESIGN §4.4).</summary>
public enum JobIsolation
{
    /// <summary>On threads of the session's process (its embedded worker), as Start-ThreadJob's jobs do.</summary>
    Thread,

    /// <summary>In a background worker process that the module starts and stops, so jobs cannot reach the caller's process.</summary>
    Process,
}
