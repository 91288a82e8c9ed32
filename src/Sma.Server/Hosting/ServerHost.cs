using System.Diagnostics;
using System.Net;
using System.Reflection;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Sma.Engine;
using Sma.Engine.Services;
using Sma.Engine.WebService;
using Sma.Server.OData;
using Sma.Server.Security;

namespace Sma.Server;

/// <summary>
/// A module of endpoints the server hosts. The OData service is one; the portal adds its pages as another (cookie
/// sign-in through <see cref="AccountAuthenticator"/> and <see cref="SecurityDefaults.CookieScheme"/>, anti-forgery
/// tokens in <see cref="SecurityDefaults.CsrfHeader"/>, its own content security policy), registered in
/// <see cref="ServerHost.Modules"/>.
/// </summary>
public interface IServerModule
{
    void Map(WebApplication app);
}

/// <summary>Builds and runs the web service for one store (the server's Program and the tests alike).</summary>
public static class ServerHost
{
    /// <summary>The endpoint modules every server maps, in order.</summary>
    public static readonly List<IServerModule> Modules = new() { new ODataModule(), new Portal.PortalModule() };

    /// <summary>The web application for <paramref name="options"/>, not yet started.</summary>
    public static WebApplication Build(ServerOptions options, TimeProvider? time = null)
    {
        var storePath = Sma.Engine.Store.StoreFactory.Normalize(options.StorePath ?? Sma.Engine.StoreLocation.DefaultPath);
        var runtime = SmaRuntime.ForStore(storePath);
        var (certificate, selfSigned) = options.Http ? (null, false) : Certificate(options, storePath);

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = Array.Empty<string>(), ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        // The key ring lives in the store's owner-only web service folder; that it is not encrypted at rest is expected.
        builder.Logging.AddFilter("Microsoft.AspNetCore.DataProtection", LogLevel.Error);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = options.MaxBodyBytes;
            kestrel.Limits.MaxRequestHeadersTotalSize = 64 * 1024;
            void Configure(ListenOptions listen)
            {
                if (certificate is not null)
                    listen.UseHttps(certificate);
            }
            if (options.Listen is { } address)
                kestrel.Listen(address, options.Port, Configure);
            else
                kestrel.ListenAnyIP(options.Port, Configure);
        });

        var services = builder.Services;
        services.AddSingleton(runtime);
        services.AddSingleton(options);
        services.AddSingleton(time ?? TimeProvider.System);
        services.AddSingleton<SignInGuard>();
        services.AddSingleton<AccountAuthenticator>();
        services.AddSingleton<ODataService>();
        services.AddSingleton(new ServerCertificate(certificate, selfSigned));
        services.AddAuthentication(SecurityDefaults.Scheme)
            .AddPolicyScheme(SecurityDefaults.Scheme, "Basic or the portal's cookie", o => o.ForwardDefaultSelector = http =>
                http.Request.Headers.Authorization.Count == 0 && http.Request.Cookies.ContainsKey(CookieName)
                    ? SecurityDefaults.CookieScheme
                    : SecurityDefaults.BasicScheme)
            .AddScheme<BasicAuthenticationOptions, BasicAuthenticationHandler>(SecurityDefaults.BasicScheme,
                o => o.AnonymousLoopbackRole = options.AnonymousLoopbackRole)
            .AddCookie(SecurityDefaults.CookieScheme, o =>
            {
                o.Cookie.Name = CookieName;
                o.Cookie.HttpOnly = true;
                o.Cookie.SecurePolicy = Microsoft.AspNetCore.Http.CookieSecurePolicy.Always;
                o.Cookie.SameSite = SameSiteMode.Strict;
                o.SlidingExpiration = true;
                o.ExpireTimeSpan = TimeSpan.FromHours(8);
            });
        services.AddAuthorization();
        // Keys for the portal's cookies and anti-forgery tokens, kept so sessions survive a restart.
        services.AddDataProtection()
            .PersistKeysToFileSystem(new DirectoryInfo(Path.Combine(WebServiceRegistry.FolderFor(storePath), "keys")))
            .SetApplicationName("Sma.Server");
        services.AddAntiforgery(o =>
        {
            o.HeaderName = SecurityDefaults.CsrfHeader;
            o.Cookie.SecurePolicy = Microsoft.AspNetCore.Http.CookieSecurePolicy.Always;
            o.Cookie.SameSite = SameSiteMode.Strict;
        });
        if (options.Register)
            services.AddHostedService<ServerLifetime>();

        var app = builder.Build();
        app.Use(SecurityHeaders.Apply);
        app.Use((http, next) =>
        {
            // A body declared larger than the limit is refused before anything else is done for it (signing in costs
            // a slow hash), so a client that waits for 100-continue never sends it.
            if (http.Request.ContentLength > options.MaxBodyBytes)
                return ODataService.WriteError(http, ODataService.WantsJson(http.Request), SmaErrors.WebBodyTooLarge(options.MaxBodyBytes));
            return next();
        });
        foreach (var module in Modules)
            module.Map(app);
        app.MapFallback(ODataService.NotFound);
        return app;
    }

    private const string CookieName = "sma.session";

    private static (X509Certificate2, bool SelfSigned) Certificate(ServerOptions options, string storePath) =>
        options.CertificatePath is { } path
            ? (WebServiceCertificate.Open(Path.GetFullPath(path), options.CertificatePassword), false)
            : (WebServiceCertificate.LoadOrCreate(storePath), true);

    /// <summary>The addresses the server listens on once started (the actual port when 0 was asked for).</summary>
    public static IReadOnlyList<string> Addresses(WebApplication app) =>
        app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.ToList() ?? new List<string>();

    /// <summary>The port the server listens on once started.</summary>
    public static int Port(WebApplication app) => new Uri(Addresses(app)[0].Replace("[::]", "localhost").Replace("0.0.0.0", "localhost")).Port;

    /// <summary>Registers the module's cmdlets for jobs the server's worker runs (as the module does on import).</summary>
    internal static void RegisterJobCmdlets()
    {
        var cmdlets = typeof(Sma.Cmdlets.Commands.StartSmaRunbookCommand).Assembly.GetTypes()
            .Where(t => t is { IsAbstract: false, IsPublic: true } && typeof(System.Management.Automation.PSCmdlet).IsAssignableFrom(t))
            .Select(t => (Type: t, Attribute: t.GetCustomAttribute<System.Management.Automation.CmdletAttribute>()))
            .Where(c => c.Attribute is not null)
            .Select(c => ($"{c.Attribute!.VerbName}-{c.Attribute.NounName}", c.Type));
        Sma.Engine.Execution.JobCmdlets.Register(cmdlets, "Sma.Cmdlets.dll-Help.xml");
    }
}

/// <summary>The server's TLS certificate (null over plain HTTP), and whether it is the self-signed one.</summary>
public sealed record ServerCertificate(X509Certificate2? Certificate, bool SelfSigned);

/// <summary>Maps the OData service under its root.</summary>
internal sealed class ODataModule : IServerModule
{
    public void Map(WebApplication app)
    {
        var service = app.Services.GetRequiredService<ODataService>();
        app.Map(ODataService.Root, branch => branch.Run(service.Handle));
    }
}

/// <summary>
/// The running server's record for Get-SmaWebService, its worker (-WithWorker), and Stop-SmaWebService's request:
/// written once Kestrel listens, removed when the server stops (also on SIGTERM, as systemd stops it).
/// </summary>
internal sealed class ServerLifetime : IHostedService
{
    private readonly IHostApplicationLifetime _lifetime;
    private readonly IServer _server;
    private readonly SmaRuntime _runtime;
    private readonly ServerOptions _options;
    private readonly ServerCertificate _certificate;
    private readonly ILogger<ServerLifetime> _log;
    private Timer? _watch;
    private string? _worker;

    public ServerLifetime(IHostApplicationLifetime lifetime, IServer server, SmaRuntime runtime, ServerOptions options,
        ServerCertificate certificate, ILogger<ServerLifetime> log)
    {
        _lifetime = lifetime;
        _server = server;
        _runtime = runtime;
        _options = options;
        _certificate = certificate;
        _log = log;
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _lifetime.ApplicationStarted.Register(Started);
        return Task.CompletedTask;
    }

    private void Started()
    {
        try
        {
            if (_options.WithWorker)
            {
                ServerHost.RegisterJobCmdlets();
                _worker = _options.WorkerName ?? $"{Environment.MachineName}-web-{Environment.ProcessId}";
                new WorkerService(_runtime).Start(_worker, _options.ThrottleLimit);
            }
            var address = _server.Features.Get<IServerAddressesFeature>()!.Addresses.First();
            var port = new Uri(address.Replace("[::]", "localhost").Replace("0.0.0.0", "localhost")).Port;
            var host = _options.Listen is { } listen && !listen.Equals(IPAddress.Any) && !listen.Equals(IPAddress.IPv6Any)
                ? (listen.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{listen}]" : listen.ToString())
                : Dns.GetHostName();
            var scheme = _options.Http ? "http" : "https";
            using var self = Process.GetCurrentProcess();
            WebServiceRegistry.Register(_runtime.StoreSetting, new WebServiceInfo
            {
                ProcessId = Environment.ProcessId,
                ComputerName = Environment.MachineName,
                Url = $"{scheme}://{host}:{port}{ODataService.Root}/",
                Port = port,
                Scheme = scheme,
                Thumbprint = _certificate.Certificate?.Thumbprint,
                SelfSigned = _certificate.SelfSigned,
                StorePath = _runtime.Store.Description,
                Worker = _worker,
                AnonymousLoopbackRole = _options.AnonymousLoopbackRole?.ToString(),
                StartTime = DateTime.UtcNow,
                ProcessStartTime = self.StartTime.ToUniversalTime(),
            });
            var stop = WebServiceRegistry.StopRequestPath(_runtime.StoreSetting, Environment.ProcessId);
            _watch = new Timer(_ =>
            {
                if (File.Exists(stop))
                    _lifetime.StopApplication();
            }, null, TimeSpan.FromMilliseconds(200), TimeSpan.FromMilliseconds(200));
            Console.Out.WriteLine($"Sma web service listening on {scheme}://{host}:{port}{ODataService.Root}/" +
                (_certificate.Certificate is { } c ? $" (certificate {c.Thumbprint}{(_certificate.SelfSigned ? ", self-signed" : "")})" : ""));
        }
        catch (Exception e)
        {
            _log.LogCritical(e, "The web service could not start");
            Console.Error.WriteLine($"The web service could not start: {e.Message}");
            Environment.ExitCode = 1;
            _lifetime.StopApplication();
        }
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _watch?.Dispose();
        try
        {
            WebServiceRegistry.Unregister(_runtime.StoreSetting, Environment.ProcessId);
        }
        catch (IOException)
        {
            // the folder went away with the store; nothing left to tidy
        }
        SmaRuntime.CloseAll(); // the worker settles its jobs (checkpointed or failed with the reason) before the process ends
        return Task.CompletedTask;
    }
}
