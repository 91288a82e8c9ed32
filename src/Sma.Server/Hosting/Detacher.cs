using System.Runtime.InteropServices;

namespace Sma.Server;

/// <summary>
/// Takes the server out of the terminal session of the shell that started it. A terminal sends Ctrl+C (SIGINT) to
/// its whole foreground process group, and a child process starts in its parent's group: without this, a Ctrl+C
/// typed later at a command in that shell would stop the server too. Windows does not send console signals to a
/// process started without a console window this way, so there is nothing to do there.
/// </summary>
internal static class Detacher
{
    public static void LeaveTerminalSession()
    {
        if (OperatingSystem.IsWindows())
            return;
        // A new session (and process group) with no controlling terminal. Fails only for a process group leader, which
        // a child started by Process.Start is not; then the server simply stays where it is.
        if (SetSid() < 0)
            Console.Error.WriteLine($"The web service stays in its parent's session (setsid failed: errno {Marshal.GetLastPInvokeError()}).");
    }

    [DllImport("libc", EntryPoint = "setsid", SetLastError = true)]
    private static extern int SetSid();
}
