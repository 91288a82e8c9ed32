namespace Sma.Engine;

/// <summary>Where the store lives when nobody says otherwise (DESIGN §4.11).</summary>
public static class StoreLocation
{
    public const string EnvironmentVariable = "SMA_STORE";

    /// <summary><c>~/.local/share/sma</c> on Linux and macOS, <c>%LOCALAPPDATA%\Sma</c> on Windows.</summary>
    public static string UserDataFolder => OperatingSystem.IsWindows()
        ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData), "Sma")
        : Path.Combine(
            Environment.GetEnvironmentVariable("XDG_DATA_HOME") is { Length: > 0 } xdg
                ? xdg
                : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "share"),
            "sma");

    /// <summary><c>$env:SMA_STORE</c> if set, else <c>sma.db</c> in <see cref="UserDataFolder"/>.</summary>
    public static string DefaultPath =>
        Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } path
            ? Store.StoreFactory.Normalize(path)
            : Path.Combine(UserDataFolder, "sma.db");

    /// <summary>Creates the per-user folder (owner-only) for the default store; an explicit path's folder must exist.</summary>
    public static void EnsureUserDataFolder()
    {
        var folder = UserDataFolder;
        if (Directory.Exists(folder))
            return;
        if (OperatingSystem.IsWindows())
            Directory.CreateDirectory(folder);
        else
            Directory.CreateDirectory(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }
}
