using System.Diagnostics;
using System.Net.Sockets;
using System.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Sma.Engine.WebService;

/// <summary>What Start-SmaWebService asks for.</summary>
public sealed record WebServiceStart
{
    public required string StorePath { get; init; }
    public int Port { get; init; } = 9090;

    /// <summary>A .pfx path (with <see cref="CertificatePassword"/>) or a certificate with its private key; null: self-signed.</summary>
    public object? Certificate { get; init; }
    public SecureString? CertificatePassword { get; init; }

    public string? ListenAddress { get; init; }
    public bool Http { get; init; }
    public string? AnonymousLoopbackRole { get; init; }
    public bool WithWorker { get; init; }
    public string? WorkerName { get; init; }
    public int ThrottleLimit { get; init; }
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(60);
}

/// <summary>
/// Starts the web service (<c>dotnet server/Sma.Server.dll</c> beside the module) as its own process and waits until it
/// listens, and stops it: a stop request it acts on, then (past a deadline) the process is killed.
/// </summary>
public static class WebServiceLauncher
{
    /// <summary>The server beside the module: <c>&lt;module&gt;/server/Sma.Server.dll</c>.</summary>
    public static string ServerPath(string moduleFolder) => Path.Combine(moduleFolder, "server", "Sma.Server.dll");

    public static WebServiceInfo Start(string serverPath, WebServiceStart request, Action<string>? progress = null)
    {
        if (!File.Exists(serverPath))
            throw SmaErrors.WebServiceNotBuilt(serverPath);
        var folder = WebServiceRegistry.FolderFor(request.StorePath);
        var log = Path.Combine(folder, $"server-{DateTime.UtcNow:yyyyMMddHHmmssfff}.log");
        var start = new ProcessStartInfo(FindDotnet())
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetDirectoryName(serverPath)!,
        };
        start.ArgumentList.Add(serverPath);
        void Arg(string name, string? value = null)
        {
            start.ArgumentList.Add(name);
            if (value is not null)
                start.ArgumentList.Add(value);
        }
        // A PostgreSQL connection text may hold a password: it goes in the child's environment, not its command line.
        if (Store.StoreFactory.IsServer(request.StorePath))
            start.Environment[StoreLocation.EnvironmentVariable] = request.StorePath;
        else
            Arg("--store", Path.GetFullPath(request.StorePath));
        Arg("--port", request.Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Arg("--log", log);
        Arg("--detach");
        if (request.ListenAddress is { } listen)
            Arg("--listen", listen);
        if (request.Http)
            Arg("--http");
        if (request.AnonymousLoopbackRole is { } role)
            Arg("--allow-anonymous-loopback", role);
        if (request.WithWorker)
        {
            Arg("--with-worker");
            if (request.WorkerName is { } worker)
                Arg("--worker-name", worker);
            if (request.ThrottleLimit > 0)
                Arg("--throttle-limit", request.ThrottleLimit.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        if (request.Certificate is not null && !request.Http)
        {
            var (path, password) = CertificateFile(request, folder);
            Arg("--certificate", path);
            start.Environment["SMA_CERTIFICATE_PASSWORD"] = password ?? "";
        }

        using var process = Process.Start(start) ?? throw SmaErrors.WebServiceDidNotStart("the process could not be started", "");
        // Nothing is read from the server once it runs (it logs to its file); early failures of the runtime itself
        // come on its standard error, kept until it is ready.
        process.StandardInput.Close();
        var errors = new StringBuilder();
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (errors) errors.AppendLine(e.Data); };
        process.OutputDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        var deadline = DateTime.UtcNow + request.Timeout;
        progress?.Invoke($"Waiting for the web service (process {process.Id}) to listen...");
        while (true)
        {
            if (process.HasExited)
            {
                process.WaitForExit();
                throw SmaErrors.WebServiceDidNotStart($"it exited with code {process.ExitCode}", Tail(log, errors));
            }
            var info = WebServiceRegistry.List(request.StorePath).FirstOrDefault(i => i.ProcessId == process.Id);
            if (info is not null && Answers(info.Port))
                return info;
            if (DateTime.UtcNow > deadline)
            {
                TryKill(process);
                throw SmaErrors.WebServiceDidNotStart($"it did not listen within {request.Timeout.TotalSeconds:0} s", Tail(log, errors));
            }
            Thread.Sleep(100);
        }
    }

    /// <summary>Asks the server to stop and waits for its process to end; kills it past the timeout. False if it was not running.</summary>
    public static bool Stop(WebServiceInfo info, TimeSpan timeout)
    {
        if (!WebServiceRegistry.IsRunning(info))
            return false;
        WebServiceRegistry.RequestStop(info);
        try
        {
            using var process = Process.GetProcessById(info.ProcessId);
            if (!process.WaitForExit(timeout))
            {
                TryKill(process);
                process.WaitForExit(TimeSpan.FromSeconds(10));
            }
        }
        catch (ArgumentException)
        {
            // already gone
        }
        WebServiceRegistry.Unregister(info);
        return true;
    }

    private static bool Answers(int port)
    {
        try
        {
            using var client = new TcpClient();
            return client.ConnectAsync("127.0.0.1", port).Wait(TimeSpan.FromSeconds(2)) && client.Connected;
        }
        catch (Exception e) when (e is SocketException or AggregateException)
        {
            return false;
        }
    }

    private static (string Path, string? Password) CertificateFile(WebServiceStart request, string folder)
    {
        switch (request.Certificate)
        {
            case X509Certificate2 { HasPrivateKey: true } certificate:
                // Handed over as a .pfx in the owner-only folder, locked with a password only the child is given.
                var password = Convert.ToBase64String(RandomNumberGenerator.GetBytes(24));
                var path = Path.Combine(folder, "given-certificate.pfx");
                var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
                if (!OperatingSystem.IsWindows())
                    options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
                using (var file = new FileStream(path, options))
                    file.Write(certificate.Export(X509ContentType.Pkcs12, password));
                return (path, password);
            case X509Certificate2 certificate:
                throw SmaErrors.WebServiceCertificateInvalid(certificate.Subject, "it has no private key");
            case string file:
                var full = Path.GetFullPath(file);
                var plain = request.CertificatePassword is null ? null : new System.Net.NetworkCredential("", request.CertificatePassword).Password;
                WebServiceCertificate.Open(full, plain).Dispose(); // a clear error now rather than a server that does not start
                return (full, plain);
            default:
                throw SmaErrors.WebServiceCertificateInvalid(request.Certificate?.ToString() ?? "", "give a .pfx path or an X509Certificate2");
        }
    }

    /// <summary>The dotnet host: the one running this process, $env:DOTNET_HOST_PATH, $env:DOTNET_ROOT, or PATH.</summary>
    private static string FindDotnet()
    {
        var exe = OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet";
        var candidates = new List<string?>
        {
            Environment.GetEnvironmentVariable("DOTNET_HOST_PATH"),
            Environment.ProcessPath is { } self && Path.GetFileName(self).Equals(exe, StringComparison.OrdinalIgnoreCase) ? self : null,
            Environment.GetEnvironmentVariable("DOTNET_ROOT") is { Length: > 0 } root ? Path.Combine(root, exe) : null,
        };
        candidates.AddRange((Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator).Where(p => p.Length > 0).Select(p => Path.Combine(p, exe)));
        return candidates.FirstOrDefault(c => c is not null && File.Exists(c)) ?? throw SmaErrors.DotnetNotFound();
    }

    private static string Tail(string log, StringBuilder errors)
    {
        var text = File.Exists(log) ? File.ReadAllText(log) : "";
        lock (errors)
            text += errors.ToString();
        text = text.Trim();
        return text.Length > 2000 ? "..." + text[^2000..] : text;
    }

    private static void TryKill(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // it ended meanwhile
        }
    }
}
