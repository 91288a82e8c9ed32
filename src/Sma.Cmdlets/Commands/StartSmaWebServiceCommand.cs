using System.Management.Automation;
using System.Security;
using Sma.Cmdlets.Infrastructure;
using Sma.Engine.Model;
using Sma.Engine.WebService;

namespace Sma.Cmdlets.Commands;

/// <summary>Starts SMA's web service for a store, as its own process.</summary>
/// <remarks>
/// Runs the web service that ships with the module (server/Sma.Server.dll, on .NET 10 with ASP.NET Core) in a new
/// process, waits until it listens, and returns it: its URL (the service root SMA's clients use,
/// https://host:9090/00000000-0000-0000-0000-000000000000/), its port and its certificate's thumbprint. The service
/// speaks HTTPS with Basic authentication: without -Certificate it makes a self-signed certificate on first start and
/// keeps it for the store (the thumbprint stays the same across restarts). Accounts come from
/// New-SmaWebServiceAccount. -AllowAnonymousLoopback lets requests from this machine in without credentials, with the
/// role of -AnonymousLoopbackRole. -WithWorker also runs a worker in the server's process. The server keeps running
/// after this session ends; Stop-SmaWebService stops it, Get-SmaWebService lists it.
/// </remarks>
/// <returns>The running web service (WebServiceInfo).</returns>
/// <seealso cref="StopSmaWebServiceCommand"/>
[Cmdlet(VerbsLifecycle.Start, "SmaWebService", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(WebServiceInfo))]
public sealed class StartSmaWebServiceCommand : WebServiceCmdlet
{
    #region Parameters

    /// <summary>
    /// The TLS certificate: an X509Certificate2 with its private key, or the path of a .pfx file (with
    /// -CertificatePassword). Omitted: the self-signed certificate kept for the store (made on first start): beside a
    /// SQLite store in &lt;store&gt;.webservice, for a PostgreSQL store in the per-user data folder.
    /// </summary>
    [Parameter]
    [ValidateNotNull]
    public object? Certificate { get; set; }

    /// <summary>The password of the .pfx file given in -Certificate.</summary>
    [Parameter]
    public SecureString? CertificatePassword { get; set; }

    /// <summary>The IP address to listen on (e.g. 127.0.0.1); all addresses when omitted.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? ListenAddress { get; set; }

    /// <summary>
    /// Serve plain HTTP on loopback only (no certificate), for local tools; Basic authentication is refused over it, so
    /// use it with -AllowAnonymousLoopback.
    /// </summary>
    [Parameter]
    public SwitchParameter Http { get; set; }

    /// <summary>Let requests from this machine in without credentials, with the role of -AnonymousLoopbackRole.</summary>
    [Parameter]
    public SwitchParameter AllowAnonymousLoopback { get; set; }

    /// <summary>The role of anonymous requests from this machine (with -AllowAnonymousLoopback): Reader by default.</summary>
    [Parameter]
    [ValidateSet("Reader", "Operator", "Administrator")]
    public string AnonymousLoopbackRole { get; set; } = "Reader";

    /// <summary>Also run a worker in the server's process, so jobs started through the service run there.</summary>
    [Parameter]
    public SwitchParameter WithWorker { get; set; }

    /// <summary>The name of the server's worker (with -WithWorker); host-web-processid when omitted.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? WorkerName { get; set; }

    /// <summary>How many jobs the server's worker runs at once (with -WithWorker); 0 for the default (2 per core).</summary>
    [Parameter]
    [ValidateRange(0, 10_000)]
    public int ThrottleLimit { get; set; }

    /// <summary>How long to wait for the server to listen, in seconds.</summary>
    [Parameter]
    [ValidateRange(1, 3600)]
    public int TimeoutSeconds { get; set; } = 60;

    #endregion

    protected override void Process()
    {
        if (!ShouldProcess(Store, $"Start the web service on port {Port}"))
            return;
        var request = new WebServiceStart
        {
            StorePath = Store,
            Port = Port,
            Certificate = Certificate is PSObject p ? p.BaseObject : Certificate is string path ? GetUnresolvedProviderPathFromPSPath(path) : Certificate,
            CertificatePassword = CertificatePassword,
            ListenAddress = ListenAddress,
            Http = Http,
            AnonymousLoopbackRole = AllowAnonymousLoopback ? AnonymousLoopbackRole : null,
            WithWorker = WithWorker,
            WorkerName = WorkerName,
            ThrottleLimit = ThrottleLimit,
            Timeout = TimeSpan.FromSeconds(TimeoutSeconds),
        };
        var info = WebServiceLauncher.Start(WebServiceLauncher.ServerPath(ModuleFolder), request, WriteVerbose);
        // Shown on the host (not only in the object): clients need the thumbprint to trust a self-signed certificate.
        var message = $"The web service listens at {info.Url}" + (info.Thumbprint is { } t
            ? $" with {(info.SelfSigned ? "the self-signed certificate kept for the store" : "certificate")} {t}."
            : " over plain HTTP (loopback only).");
        WriteInformation(new HostInformationMessage { Message = message }, new[] { "PSHOST" });
        WriteObject(info);
    }
}
