using Sma.Engine;
using Sma.Server;

// The web service's process: Start-SmaWebService runs it (dotnet Sma.Server.dll ...), or a service manager does.
ServerOptions options;
try
{
    options = ServerOptions.Parse(args);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine(e.Message);
    return 2;
}
if (options.Detach)
    Detacher.LeaveTerminalSession();
if (options.LogPath is { } log)
{
    // Started in the background by Start-SmaWebService: everything the server says goes to its log file.
    var writer = new StreamWriter(new FileStream(log, FileMode.Append, FileAccess.Write, FileShare.ReadWrite)) { AutoFlush = true };
    Console.SetOut(writer);
    Console.SetError(writer);
}
try
{
    var app = ServerHost.Build(options);
    await app.RunAsync();
    return Environment.ExitCode;
}
catch (SmaException e)
{
    Console.Error.WriteLine($"{e.ErrorId}: {e.Message}");
    return 1;
}
catch (IOException e) when (e.InnerException is System.Net.Sockets.SocketException || e.Message.Contains("address already in use", StringComparison.OrdinalIgnoreCase))
{
    Console.Error.WriteLine($"The port is in use: {e.Message}");
    return 1;
}
