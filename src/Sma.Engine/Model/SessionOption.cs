namespace Sma.Engine.Model;

/// <summary>This session's options (Get-/Set-SmaSessionOption): where its own jobs run, and its background worker.</summary>
public sealed class SessionOption
{
    /// <summary>Thread: the session's jobs run on its own threads. Process: in a background worker process.</summary>
    public JobIsolation Isolation { get; init; }

    /// <summary>Where the isolation comes from: Set-SmaSessionOption, $env:SMA_ISOLATION, or Default.</summary>
    public string IsolationSource { get; init; } = "";

    /// <summary>The name of the session's background worker while it runs, else null.</summary>
    public string? BackgroundWorker { get; init; }

    /// <summary>The process id of the session's background worker while it runs, else null.</summary>
    public int? BackgroundProcessId { get; init; }

    /// <summary>The log of the session's background worker (its output and errors), else null.</summary>
    public string? BackgroundLog { get; init; }

    /// <summary>The store these options were read for.</summary>
    public string StorePath { get; init; } = "";

    public override string ToString() => $"Isolation={Isolation}";
}
