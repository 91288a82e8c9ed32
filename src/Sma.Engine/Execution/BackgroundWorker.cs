using System.Diagnostics;
using System.Management.Automation;
using System.Text;
using Sma.Engine.Security;

namespace Sma.Engine.Execution;

/// <summary>
/// A session's worker in a child process (Process isolation, DESIGN §4.4): a pwsh started with no console input, its
/// output and errors written to a log, never to the session's console, running <c>Start-SmaWorker -ParentProcessId</c>
/// for the session's store with the module the session imported. The session waits until it is registered. Closing
/// its input (the session ends, removes the module, or switches back to Thread isolation) or the session's process
/// going away makes it drain and exit on its own (see Start-SmaWorker -ParentProcessId).
/// </summary>
public sealed class BackgroundWorker : IDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan LogsKept = TimeSpan.FromDays(7);
    private static int _launches;

    private readonly Process _process;
    private readonly StreamWriter _log;
    private readonly CountdownEvent _streamsOpen = new(2);
    private int _closed;

    private BackgroundWorker(string name, string logPath, Process process, StreamWriter log)
    {
        Name = name;
        LogPath = logPath;
        _process = process;
        _log = log;
    }

    /// <summary>
    /// The module manifest (or assembly) the module was imported from; set by the module on import. A background
    /// worker imports the same module, so it runs the same code as the session.
    /// </summary>
    public static string? ModulePath { get; set; }

    /// <summary>The worker's name: <c>host-pid-bg</c> for the session's first, <c>host-pid-bgN</c> after.</summary>
    public string Name { get; }

    /// <summary>Where the worker's own output and errors go.</summary>
    public string LogPath { get; }

    public int ProcessId => _process.Id;

    /// <summary>True while its process runs.</summary>
    public bool IsRunning
    {
        get
        {
            try
            {
                return !_process.HasExited;
            }
            catch (InvalidOperationException)
            {
                return false;
            }
        }
    }

    /// <summary>Starts a background worker for <paramref name="runtime"/>'s store and waits until it takes jobs.</summary>
    internal static BackgroundWorker Launch(SmaRuntime runtime)
    {
        var launch = Interlocked.Increment(ref _launches);
        var name = $"{ProcessIdentity.Host}-{Environment.ProcessId}-bg{(launch > 1 ? launch.ToString() : "")}";
        var store = runtime.StoreSetting;
        var folder = StoreScratch.Ensure(store);
        RemoveOldLogs(folder);
        var logPath = Path.Combine(folder, name + ".log");
        if (ModulePath is not { } module || !File.Exists(module))
            throw SmaErrors.BackgroundWorkerFailed(name, $"the Sma module's files were not found at '{ModulePath}'", logPath, null);

        var info = PwshStartInfo(name, module, store, out var why);
        if (info is null)
            throw SmaErrors.BackgroundWorkerFailed(name, why!, logPath, null);
        var log = new StreamWriter(new FileStream(logPath, FileMode.Create, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete),
            new UTF8Encoding(false)) { AutoFlush = true };
        log.WriteLine($"{DateTime.UtcNow:u} Starting background worker '{name}' for session process {Environment.ProcessId}: {info.FileName} {string.Join(' ', info.ArgumentList.Take(info.ArgumentList.Count - 1))} <command>");

        var process = new Process { StartInfo = info };
        BackgroundWorker? worker = null;
        void Append(object? _, DataReceivedEventArgs e)
        {
            if (e.Data is null)
            {
                // The end of one of its two streams: its output is all in the log once both ended (it exited, and
                // nothing it started holds them).
                if (worker!._streamsOpen.Signal())
                    worker.CloseLog();
                return;
            }
            lock (log)
            {
                try
                {
                    log.WriteLine(e.Data);
                }
                catch (Exception ex) when (ex is IOException or ObjectDisposedException)
                {
                    // the log is gone; the worker runs on
                }
            }
        }
        process.OutputDataReceived += Append;
        process.ErrorDataReceived += Append;
        try
        {
            process.Start();
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or IOException or InvalidOperationException)
        {
            log.Dispose();
            throw SmaErrors.BackgroundWorkerFailed(name, $"'{info.FileName}' could not be started ({e.Message})", logPath, null);
        }
        worker = new BackgroundWorker(name, logPath, process, log);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        worker.WaitUntilRegistered(runtime);
        return worker;
    }

    /// <summary>Waits until the worker is registered and running; on failure the error names the log and quotes its end.</summary>
    private void WaitUntilRegistered(SmaRuntime runtime)
    {
        var deadline = DateTime.UtcNow + StartTimeout;
        while (true)
        {
            if (_process.WaitForExit(50))
            {
                _streamsOpen.Wait(TimeSpan.FromSeconds(10)); // its output is all in the log
                CloseLog();
                throw SmaErrors.BackgroundWorkerFailed(Name, $"its process exited with code {_process.ExitCode} before it registered",
                    LogPath, LogTail());
            }
            if (runtime.Store.ListWorkers().Any(w =>
                    w.Name.Equals(Name, StringComparison.OrdinalIgnoreCase) && w.ProcessId == _process.Id && w.Status == "Running"))
                return;
            if (DateTime.UtcNow > deadline)
            {
                try
                {
                    _process.Kill(entireProcessTree: true);
                    _process.WaitForExit(5000);
                    _streamsOpen.Wait(TimeSpan.FromSeconds(5));
                }
                catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception)
                {
                    // it exited meanwhile
                }
                CloseLog();
                throw SmaErrors.BackgroundWorkerFailed(Name, $"it did not register within {StartTimeout.TotalSeconds:0} s, so it was ended",
                    LogPath, LogTail());
            }
        }
    }

    /// <summary>
    /// The command line: this PowerShell's pwsh, with the session's store and key (whatever the environment says by
    /// then), the module by path, and the command encoded so no quoting can break it.
    /// </summary>
    private static ProcessStartInfo? PwshStartInfo(string name, string module, string store, out string? why)
    {
        why = null;
        var psHome = Path.GetDirectoryName(typeof(PSObject).Assembly.Location) ?? "";
        var exe = Environment.ProcessPath ?? "";
        var leaf = Path.GetFileNameWithoutExtension(exe);
        var info = new ProcessStartInfo
        {
            UseShellExecute = false,
            CreateNoWindow = true, // on Windows, a console of its own: the session's Ctrl+C never reaches it
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Directory.Exists(Environment.CurrentDirectory) ? Environment.CurrentDirectory
                : Store.StoreFactory.IsServer(store) ? Path.GetTempPath() : Path.GetDirectoryName(store)!,
        };
        if (leaf.Equals("pwsh", StringComparison.OrdinalIgnoreCase))
        {
            info.FileName = exe;
        }
        else if (leaf.Equals("dotnet", StringComparison.OrdinalIgnoreCase) && File.Exists(Path.Combine(psHome, "pwsh.dll")))
        {
            info.FileName = exe; // pwsh run as a dotnet tool
            info.ArgumentList.Add(Path.Combine(psHome, "pwsh.dll"));
        }
        else if (File.Exists(Path.Combine(psHome, OperatingSystem.IsWindows() ? "pwsh.exe" : "pwsh")))
        {
            info.FileName = Path.Combine(psHome, OperatingSystem.IsWindows() ? "pwsh.exe" : "pwsh"); // PowerShell hosted in another program
        }
        else
        {
            why = $"no pwsh was found to run it (this process is '{exe}', and '{psHome}' holds no pwsh)";
            return null;
        }
        static string Quote(string text) => "'" + text.Replace("'", "''") + "'";
        var command = "$ErrorActionPreference = 'Stop'; $ProgressPreference = 'SilentlyContinue'; $PSStyle.OutputRendering = 'PlainText'; " +
                      $"Import-Module -Name {Quote(module)}; " +
                      $"Start-SmaWorker -Name {Quote(name)} -StorePath {Quote(store)} -ParentProcessId {Environment.ProcessId}";
        // Text, not the CliXml pwsh writes for an encoded command whose output is redirected: the log is for people.
        foreach (var argument in new[] { "-NoProfile", "-NoLogo", "-NonInteractive", "-OutputFormat", "Text", "-EncodedCommand",
                     Convert.ToBase64String(Encoding.Unicode.GetBytes(command)) })
            info.ArgumentList.Add(argument);
        info.Environment["SMA_STORE"] = store;
        info.Environment["SMA_KEY_FILE"] = SecretProtector.DefaultKeyPath;
        return info;
    }

    private string? LogTail()
    {
        try
        {
            using var reader = new StreamReader(new FileStream(LogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete));
            var lines = reader.ReadToEnd().ReplaceLineEndings("\n").Split('\n', StringSplitOptions.RemoveEmptyEntries);
            return string.Join(Environment.NewLine, lines.Skip(1).TakeLast(12)); // the first line is our own
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private void CloseLog()
    {
        if (Interlocked.Exchange(ref _closed, 1) != 0)
            return;
        lock (_log)
            _log.Dispose();
    }

    private static void RemoveOldLogs(string folder)
    {
        try
        {
            foreach (var file in Directory.EnumerateFiles(folder, "*-bg*.log"))
                if (File.GetLastWriteTimeUtc(file) < DateTime.UtcNow - LogsKept)
                    File.Delete(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // old logs are only clutter
        }
    }

    /// <summary>
    /// Lets the worker go (<see cref="Dispose"/>) and waits, at most <paramref name="bound"/>, until it takes no more
    /// jobs: it shows as Stopping (it is draining) or its process has exited.
    /// </summary>
    internal void Release(Store.IJobStore store, TimeSpan bound)
    {
        Dispose();
        var deadline = DateTime.UtcNow + bound;
        while (IsRunning && DateTime.UtcNow < deadline)
        {
            try
            {
                if (!store.ListWorkers().Any(w =>
                        w.Name.Equals(Name, StringComparison.OrdinalIgnoreCase) && w.ProcessId == ProcessId && w.Status == "Running"))
                    return;
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                return; // the store cannot say; the worker drains all the same
            }
            Thread.Sleep(25);
        }
    }

    /// <summary>
    /// Lets the worker go: its input is closed, so it drains and exits by itself (running jobs get a bounded time to
    /// finish or reach a checkpoint). Never waits for it.
    /// </summary>
    public void Dispose()
    {
        try
        {
            _process.StandardInput.Close();
        }
        catch (Exception e) when (e is IOException or InvalidOperationException or ObjectDisposedException)
        {
            // it has exited
        }
    }
}
