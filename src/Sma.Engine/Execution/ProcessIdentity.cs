using System.ComponentModel;
using System.Diagnostics;

namespace Sma.Engine.Execution;

/// <summary>
/// Tells whether a process on this host is still the one that registered a worker: a process id alone is reused by
/// the system, so each registration also records the process's start stamp. On Linux that is the start time in
/// clock ticks since boot from /proc (exact, the same in every reader); elsewhere the start time in whole seconds.
/// </summary>
public static class ProcessIdentity
{
    /// <summary>This process's start stamp.</summary>
    public static long CurrentStart { get; } = StartOf(Environment.ProcessId) ?? 0;

    /// <summary>
    /// The host name workers register with: <c>$env:SMA_WORKER_HOST</c> when set (machines that share one name, such
    /// as containers, must tell themselves apart: a worker judges one on its own host by its process), else the
    /// machine name.
    /// </summary>
    public static string Host => Environment.GetEnvironmentVariable("SMA_WORKER_HOST") is { Length: > 0 } host ? host : Environment.MachineName;

    /// <summary>The start stamp of process <paramref name="processId"/> on this host, or null when it does not exist (or has exited).</summary>
    public static long? StartOf(int processId)
    {
        if (processId <= 0)
            return null;
        if (OperatingSystem.IsLinux())
            return LinuxStartOf(processId);
        try
        {
            using var process = Process.GetProcessById(processId);
            if (process.HasExited)
                return null;
            return process.StartTime.ToUniversalTime().Ticks / TimeSpan.TicksPerSecond;
        }
        catch (ArgumentException)
        {
            return null; // no such process
        }
        catch (Exception e) when (e is InvalidOperationException or Win32Exception or NotSupportedException)
        {
            return 0; // it exists but its start time cannot be read: unknown
        }
    }

    /// <summary>True when a recorded stamp and a live process's stamp are the same process (0 on either side: unknown, so yes).</summary>
    public static bool SameProcess(long recorded, long actual)
    {
        if (recorded == 0 || actual == 0)
            return true;
        // Whole seconds read by two processes may round apart by one.
        return OperatingSystem.IsLinux() ? recorded == actual : Math.Abs(recorded - actual) <= 1;
    }

    private static long? LinuxStartOf(int processId)
    {
        string stat;
        try
        {
            stat = File.ReadAllText($"/proc/{processId}/stat");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
        // "pid (comm) state ppid ... starttime(22) ...": comm may hold spaces and parentheses, so count after the last ')'.
        var close = stat.LastIndexOf(')');
        if (close < 0 || close + 2 >= stat.Length)
            return 0;
        var fields = stat[(close + 2)..].Split(' ');
        if (fields.Length < 20)
            return 0;
        if (fields[0] is "Z" or "X")
            return null; // exited, not yet reaped by its parent
        return long.TryParse(fields[19], out var ticks) ? ticks : 0;
    }
}
