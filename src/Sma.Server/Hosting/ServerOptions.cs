using System.Globalization;
using System.Net;
using Sma.Engine.Model;

namespace Sma.Server;

/// <summary>How the server runs; from its command line (see <see cref="Parse"/>) or set by a test host.</summary>
public sealed class ServerOptions
{
    public const int DefaultPort = 9090;
    public const long DefaultMaxBodyBytes = 8 * 1024 * 1024;

    /// <summary>The environment variable that carries the password of <see cref="CertificatePath"/> (never the command line).</summary>
    public const string CertificatePasswordVariable = "SMA_CERTIFICATE_PASSWORD";

    public string? StorePath { get; set; }
    public int Port { get; set; } = DefaultPort;

    /// <summary>The address to listen on; any (IPv4 and IPv6) when null.</summary>
    public IPAddress? Listen { get; set; }

    public string? CertificatePath { get; set; }
    public string? CertificatePassword { get; set; }

    /// <summary>Plain HTTP instead of HTTPS: loopback only, and Basic authentication is refused over it.</summary>
    public bool Http { get; set; }

    public WebServiceRole? AnonymousLoopbackRole { get; set; }

    /// <summary>Run a worker in the server's process (the same engine as Start-SmaWorker).</summary>
    public bool WithWorker { get; set; }
    public string? WorkerName { get; set; }
    public int ThrottleLimit { get; set; }

    public long MaxBodyBytes { get; set; } = DefaultMaxBodyBytes;

    /// <summary>A file the server writes its messages to instead of the console (Start-SmaWebService gives one).</summary>
    public string? LogPath { get; set; }

    /// <summary>
    /// Leave the starting terminal's session (Start-SmaWebService asks for it): a Ctrl+C typed later in that terminal
    /// must not stop a server meant to outlive the session that started it.
    /// </summary>
    public bool Detach { get; set; }

    /// <summary>Write a record for Get-SmaWebService and watch for Stop-SmaWebService's request (off in tests).</summary>
    public bool Register { get; set; } = true;

    public const string Usage =
        "Sma.Server [--store <path>] [--port <n>] [--listen <address>] [--certificate <pfx>] [--http] " +
        "[--allow-anonymous-loopback <Reader|Operator|Administrator>] [--with-worker [--worker-name <name>] [--throttle-limit <n>]] " +
        "[--max-body-bytes <n>] [--log <file>] [--detach]   (the .pfx password comes from $" + CertificatePasswordVariable + ")";

    public static ServerOptions Parse(IReadOnlyList<string> args)
    {
        var options = new ServerOptions { CertificatePassword = Environment.GetEnvironmentVariable(CertificatePasswordVariable) };
        for (var i = 0; i < args.Count; i++)
        {
            string Value() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{args[i]} needs a value. Usage: {Usage}");
            int Number(int min, int max) => int.TryParse(Value(), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max
                ? n : throw new ArgumentException($"{args[i - 1]} takes a whole number from {min} to {max}.");
            switch (args[i])
            {
                case "--store": options.StorePath = Value(); break;
                case "--port": options.Port = Number(0, 65535); break;
                case "--listen":
                    var text = Value();
                    options.Listen = IPAddress.TryParse(text, out var address) ? address
                        : text == "localhost" ? IPAddress.Loopback : throw new ArgumentException($"--listen takes an IP address, not '{text}'.");
                    break;
                case "--certificate": options.CertificatePath = Value(); break;
                case "--http": options.Http = true; break;
                case "--allow-anonymous-loopback":
                    var role = Value();
                    options.AnonymousLoopbackRole = Enum.TryParse<WebServiceRole>(role, ignoreCase: true, out var r) && Enum.IsDefined(r) ? r
                        : throw new ArgumentException($"--allow-anonymous-loopback takes Reader, Operator or Administrator, not '{role}'.");
                    break;
                case "--with-worker": options.WithWorker = true; break;
                case "--worker-name": options.WorkerName = Value(); break;
                case "--throttle-limit": options.ThrottleLimit = Number(0, 10_000); break;
                case "--max-body-bytes": options.MaxBodyBytes = Number(1024, int.MaxValue); break;
                case "--log": options.LogPath = Value(); break;
                case "--detach": options.Detach = true; break;
                case "--help" or "-h" or "-?": throw new ArgumentException(Usage);
                default: throw new ArgumentException($"Unknown argument '{args[i]}'. Usage: {Usage}");
            }
        }
        if (options.Http && options.Listen is { } listen && !IPAddress.IsLoopback(listen))
            throw new ArgumentException("--http serves plain HTTP on loopback only: with --listen, give 127.0.0.1 or ::1 (or use HTTPS).");
        options.Listen ??= options.Http ? IPAddress.Loopback : null;
        return options;
    }
}
