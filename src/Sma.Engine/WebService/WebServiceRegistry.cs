using System.Diagnostics;
using System.Text.Json;

namespace Sma.Engine.WebService;

/// <summary>
/// The web services of a store on this machine. Each server keeps a record in <c>servers/</c> of the store's web
/// service folder (owner-only; see FolderFor) while it runs; Stop-SmaWebService leaves a stop request there, which
/// the server acts on. A record whose process is gone is dropped when the records are read.
/// </summary>
public static class WebServiceRegistry
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    /// <summary>
    /// The folder that holds the server's certificate and records: <c>&lt;store&gt;.webservice</c> beside a SQLite
    /// store; for a PostgreSQL store, which has no file on this machine, <c>sma-&lt;hash&gt;.webservice</c> in the
    /// per-user data folder (the hash of the connection text, as for the store's scratch folder), so the self-signed
    /// certificate outlives a reboot.
    /// </summary>
    public static string FolderFor(string storeLocation)
    {
        if (!Store.StoreFactory.IsServer(storeLocation))
            return CreateOwnerOnly(Path.GetFullPath(storeLocation) + ".webservice");
        StoreLocation.EnsureUserDataFolder();
        return CreateOwnerOnly(Path.Combine(StoreLocation.UserDataFolder, Path.GetFileName(StoreScratch.FolderFor(storeLocation)) + ".webservice"));
    }

    private static string ServersFolder(string storeLocation) => CreateOwnerOnly(Path.Combine(FolderFor(storeLocation), "servers"));

    /// <summary>Records <paramref name="info"/> among the servers of the store <paramref name="storeSetting"/> opens.</summary>
    public static void Register(string storeSetting, WebServiceInfo info)
    {
        var folder = ServersFolder(storeSetting);
        info.RegistryFolder = folder;
        var file = Path.Combine(folder, $"{info.ProcessId}.json");
        var temp = file + ".tmp";
        File.WriteAllText(temp, JsonSerializer.Serialize(info, Json));
        File.Move(temp, file, overwrite: true);
    }

    public static void Unregister(string storeLocation, int processId) => Remove(ServersFolder(storeLocation), processId);

    /// <summary>Removes the record of a server that has stopped.</summary>
    public static void Unregister(WebServiceInfo info) => Remove(info.RegistryFolder, info.ProcessId);

    private static void Remove(string folder, int processId)
    {
        File.Delete(Path.Combine(folder, $"{processId}.json"));
        File.Delete(Path.Combine(folder, $"{processId}.stop"));
    }

    /// <summary>The servers of the store that are running now (records of exited processes are removed).</summary>
    public static IReadOnlyList<WebServiceInfo> List(string storeLocation)
    {
        var folder = ServersFolder(storeLocation);
        var live = new List<WebServiceInfo>();
        foreach (var file in Directory.EnumerateFiles(folder, "*.json"))
        {
            WebServiceInfo? info;
            try
            {
                info = JsonSerializer.Deserialize<WebServiceInfo>(File.ReadAllText(file));
            }
            catch (Exception e) when (e is JsonException or IOException)
            {
                continue; // being written, or not ours
            }
            if (info is null)
                continue;
            info.RegistryFolder = folder;
            if (IsRunning(info))
                live.Add(info);
            else
                Remove(folder, info.ProcessId);
        }
        return live.OrderBy(i => i.StartTime).ToList();
    }

    /// <summary>Asks the server to stop: it finishes the requests it is serving and exits.</summary>
    public static void RequestStop(WebServiceInfo info) =>
        File.WriteAllText(Path.Combine(info.RegistryFolder, $"{info.ProcessId}.stop"), DateTime.UtcNow.ToString("o"));

    /// <summary>The path of the stop request a server watches for.</summary>
    public static string StopRequestPath(string storeLocation, int processId) =>
        Path.Combine(ServersFolder(storeLocation), $"{processId}.stop");

    /// <summary>True while the record's process runs (the same process: its start time matches).</summary>
    public static bool IsRunning(WebServiceInfo info)
    {
        try
        {
            using var process = Process.GetProcessById(info.ProcessId);
            if (process.HasExited)
                return false;
            return Math.Abs((process.StartTime.ToUniversalTime() - info.ProcessStartTime).TotalSeconds) < 2;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception or NotSupportedException)
        {
            return false;
        }
    }

    private static string CreateOwnerOnly(string folder)
    {
        if (!Directory.Exists(folder))
        {
            if (OperatingSystem.IsWindows())
                Directory.CreateDirectory(folder);
            else
                Directory.CreateDirectory(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        return folder;
    }
}
