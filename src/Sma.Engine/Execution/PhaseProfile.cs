using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Sma.Engine.Execution;

/// <summary>
/// Where a worker's time goes, for profiling B1 and B5 (DESIGN §7): with <c>$env:SMA_PROFILE</c> set to a file path,
/// each phase of a job's life adds its wall time and its thread's CPU time (which load on a shared machine does not
/// inflate), and the totals are written to that file when the process exits. Off (one static read) otherwise.
/// </summary>
internal static class PhaseProfile
{
    private static readonly string? Path = Environment.GetEnvironmentVariable("SMA_PROFILE") is { Length: > 0 } p ? p : null;
    private static readonly ConcurrentDictionary<string, Totals> ByPhase = new();

    public static bool Enabled => Path is not null;

    static PhaseProfile()
    {
        if (Path is not null)
            AppDomain.CurrentDomain.ProcessExit += (_, _) => Write();
    }

    /// <summary>Measures until disposed; a no-op value when profiling is off.</summary>
    public static Scope Measure(string phase) => Path is null ? default : new Scope(phase, Stopwatch.GetTimestamp(), ThreadCpuTicks());

    public readonly struct Scope : IDisposable
    {
        private readonly string? _phase;
        private readonly long _start;
        private readonly long _cpu;

        internal Scope(string phase, long start, long cpu) => (_phase, _start, _cpu) = (phase, start, cpu);

        public void Dispose()
        {
            if (_phase is null)
                return;
            var totals = ByPhase.GetOrAdd(_phase, _ => new Totals());
            Interlocked.Increment(ref totals.Count);
            Interlocked.Add(ref totals.WallTicks, Stopwatch.GetTimestamp() - _start);
            Interlocked.Add(ref totals.CpuNs, ThreadCpuTicks() - _cpu);
        }
    }

    private sealed class Totals
    {
        public long Count;
        public long WallTicks;
        public long CpuNs;
    }

    private static void Write()
    {
        var lines = ByPhase.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p =>
            $"{p.Key,-28} n={p.Value.Count,7} wall={p.Value.WallTicks * 1000.0 / Stopwatch.Frequency,10:F1} ms cpu={p.Value.CpuNs / 1e6,10:F1} ms " +
            $"per={p.Value.CpuNs / 1e6 / Math.Max(1, p.Value.Count),7:F3} ms");
        File.AppendAllLines(Path!, lines.Prepend($"--- {DateTime.UtcNow:o} pid {Environment.ProcessId}"));
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [DllImport("libc", EntryPoint = "clock_gettime")]
    private static extern int ClockGetTime(int clock, out TimeSpec time);

    /// <summary>The calling thread's CPU time in ns (Linux); 0 where that is not available.</summary>
    private static long ThreadCpuTicks()
    {
        if (!OperatingSystem.IsLinux())
            return 0;
        return ClockGetTime(3 /* CLOCK_THREAD_CPUTIME_ID */, out var t) == 0 ? t.Seconds * 1_000_000_000 + t.Nanoseconds : 0;
    }
}
