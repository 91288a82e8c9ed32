using System.Management.Automation;
using System.Net;

namespace Sma.Engine.Services;

/// <summary>
/// SMA cmdlets take -WebServiceEndpoint/-Port; here a local endpoint (or none) means the local store and a remote
/// one is refused with a clear error (DESIGN §5). The one place that decides.
/// </summary>
public static class EndpointResolver
{
    /// <summary>The store path to use; throws RemoteEndpointNotSupported for a remote endpoint.</summary>
    public static string ResolveStorePath(string? webServiceEndpoint, string? storePath)
    {
        var path = string.IsNullOrWhiteSpace(storePath) ? StoreLocation.DefaultPath : Store.StoreFactory.Normalize(storePath);
        if (string.IsNullOrWhiteSpace(webServiceEndpoint) || IsLocal(webServiceEndpoint))
            return path;
        throw SmaErrors.RemoteEndpointNotSupported(webServiceEndpoint, path);
    }

    /// <summary>
    /// The runtime a cmdlet call uses. Inside a job, with no store path and a local (or no) endpoint, the job's own
    /// store — whatever $env:SMA_STORE says — so a runbook's Start-SmaRunbook or Get-SmaJob acts where it runs.
    /// Otherwise the store the endpoint and path resolve to.
    /// </summary>
    public static SmaRuntime ResolveRuntime(string? webServiceEndpoint, string? storePath, SessionState callerState)
    {
        if (storePath is null && (string.IsNullOrWhiteSpace(webServiceEndpoint) || IsLocal(webServiceEndpoint))
            && Execution.JobCmdlets.RuntimeOf(callerState) is { } job)
            return job;
        return SmaRuntime.ForStore(ResolveStorePath(webServiceEndpoint, storePath));
    }

    public static bool IsLocal(string endpoint)
    {
        var text = endpoint.Trim();
        string host;
        if (text.Contains("://", StringComparison.Ordinal) && Uri.TryCreate(text, UriKind.Absolute, out var uri))
            host = uri.Host;
        else if (text.StartsWith('['))
            host = text[1..Math.Max(1, text.IndexOf(']'))];
        else if (IPAddress.TryParse(text, out var bare))
            host = bare.ToString();
        else
            host = text.Split(':', '/')[0];
        host = host.Trim('[', ']');

        if (host.Length == 0 || host == ".")
            return true;
        if (IPAddress.TryParse(host, out var address))
            return IPAddress.IsLoopback(address);
        var machine = Environment.MachineName;
        return host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
            || host.Equals(machine, StringComparison.OrdinalIgnoreCase)
            || host.StartsWith(machine + ".", StringComparison.OrdinalIgnoreCase)
            || host.Equals(SafeHostName(), StringComparison.OrdinalIgnoreCase);
    }

    private static string SafeHostName()
    {
        try
        {
            return Dns.GetHostName();
        }
        catch (System.Net.Sockets.SocketException)
        {
            return Environment.MachineName;
        }
    }
}
