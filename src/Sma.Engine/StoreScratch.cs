using System.Security.Cryptography;
using System.Text;

namespace Sma.Engine;

/// <summary>
/// A folder per store and user under the temp folder (owner-only) for what the processes sharing a store keep beside
/// it on this machine: nudge sockets and background worker logs. Never beside the store itself, which may sit in a
/// repository or a shared folder; short, because a socket's path is limited to about 100 characters.
/// </summary>
public static class StoreScratch
{
    /// <summary>
    /// The folder for <paramref name="storePath"/> (a file path or a PostgreSQL connection text), the same in every
    /// process that opens the store by its full path or the same connection text.
    /// </summary>
    public static string FolderFor(string storePath)
    {
        var full = Store.StoreFactory.Normalize(storePath);
        if (OperatingSystem.IsWindows())
            full = full.ToUpperInvariant();
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(Environment.UserName + "\n" + full));
        return Path.Combine(Path.GetTempPath(), "sma-" + Convert.ToHexString(hash, 0, 8).ToLowerInvariant());
    }

    /// <summary>Creates the folder if needed (owner-only on Unix) and returns it.</summary>
    public static string Ensure(string storePath)
    {
        var folder = FolderFor(storePath);
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
