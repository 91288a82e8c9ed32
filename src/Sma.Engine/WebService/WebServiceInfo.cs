namespace Sma.Engine.WebService;

/// <summary>A running web service of a store, as Get-SmaWebService shows it. Times are UTC.</summary>
public sealed class WebServiceInfo
{
    public int ProcessId { get; init; }
    public string ComputerName { get; init; } = "";

    /// <summary>The service root SMA's clients use: <c>https://host:port/00000000-0000-0000-0000-000000000000/</c>.</summary>
    public string Url { get; init; } = "";

    public int Port { get; init; }

    /// <summary>https, or http for a loopback-only server started with -Http.</summary>
    public string Scheme { get; init; } = "https";

    /// <summary>The SHA-1 thumbprint of the server's TLS certificate (null over plain HTTP).</summary>
    public string? Thumbprint { get; init; }

    /// <summary>True when the certificate is the self-signed one kept for the store.</summary>
    public bool SelfSigned { get; init; }

    /// <summary>The store served: its file path, or a PostgreSQL server and database (never the connection's credentials).</summary>
    public string StorePath { get; init; } = "";

    /// <summary>Where this record was read from (stop requests go there); not part of the record.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public string RegistryFolder { get; internal set; } = "";

    /// <summary>The worker the server runs in its own process, if started with -WithWorker.</summary>
    public string? Worker { get; init; }

    /// <summary>The role anonymous requests from this machine get (-AllowAnonymousLoopback); null when none.</summary>
    public string? AnonymousLoopbackRole { get; init; }

    public DateTime StartTime { get; init; }

    /// <summary>When the process started, as the OS reports it: tells this server from a later process with its id.</summary>
    public DateTime ProcessStartTime { get; init; }

    public override string ToString() => Url;
}
