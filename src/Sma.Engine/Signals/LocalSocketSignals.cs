using System.Net.Sockets;
using Sma.Engine.Execution;

namespace Sma.Engine.Signals;

/// <summary>
/// Nudges between the processes on this machine that share one store file. Each listener is a Unix domain socket in
/// the store's <see cref="StoreScratch"/> folder; a nudge is a connection to every
/// listener of its kind, opened and closed at once, sent from a thread-pool thread so the sender never waits (nudges
/// asked for while one is being sent are sent once more after it, never lost, never piled up). A socket left by a
/// process that is gone is deleted by the next sender. Unix domain sockets exist on Linux, macOS and Windows 10 1803
/// and later; where they do not, <see cref="ForStore"/> gives <see cref="NoStoreSignals"/> and everyone polls.
/// </summary>
public sealed class LocalSocketSignals : IStoreSignals
{
    private readonly string _folder;
    private readonly int _self;
    private readonly Sender[] _senders;
    private volatile bool _disposed;

    private LocalSocketSignals(string folder, int self)
    {
        _folder = folder;
        _self = self;
        _senders = Enum.GetValues<StoreSignal>().Select(s => new Sender(this, s)).ToArray();
    }

    /// <summary>The nudges for the store at <paramref name="storePath"/>; none when this machine cannot have them.</summary>
    public static IStoreSignals ForStore(string storePath) => ForStore(storePath, Environment.ProcessId);

    /// <param name="storePath">The store.</param>
    /// <param name="self">The process whose listeners a send skips, as it wakes them directly (tests play two processes).</param>
    internal static IStoreSignals ForStore(string storePath, int self)
    {
        if (!Socket.OSSupportsUnixDomainSockets)
            return NoStoreSignals.Instance;
        try
        {
            return new LocalSocketSignals(StoreScratch.Ensure(storePath), self);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return NoStoreSignals.Instance;
        }
    }

    public IDisposable Listen(StoreSignal signal, Action onSignal)
    {
        if (_disposed)
            return NoStoreSignals.Instance.Listen(signal, onSignal);
        var path = Path.Combine(_folder, $"{Prefix(signal)}-{_self}-{Random.Shared.Next(0x1000000):x6}.sock");
        try
        {
            return new Listener(path, onSignal);
        }
        catch (Exception e) when (e is SocketException or IOException or UnauthorizedAccessException)
        {
            return NoStoreSignals.Instance.Listen(signal, onSignal); // this listener polls
        }
    }

    public void Send(StoreSignal signal)
    {
        if (!_disposed)
            _senders[(int)signal].Request();
    }

    public void Dispose() => _disposed = true;

    private static string Prefix(StoreSignal signal) => signal == StoreSignal.Work ? "w" : "r";

    /// <summary>The process id in a listener's file name (<c>kind-pid-random.sock</c>).</summary>
    private static int? ProcessOf(string file)
    {
        var parts = Path.GetFileNameWithoutExtension(file).Split('-');
        return parts.Length == 3 && int.TryParse(parts[1], out var pid) ? pid : null;
    }

    private void SendNow(StoreSignal signal)
    {
        string[] files;
        try
        {
            files = Directory.GetFiles(_folder, Prefix(signal) + "-*.sock");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return;
        }
        foreach (var file in files)
        {
            var pid = ProcessOf(file);
            if (pid == _self)
                continue; // this process wakes its own workers and waiters directly
            using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            try
            {
                // Non-blocking where a full queue would otherwise block (Unix): a full queue has nudges enough.
                socket.Blocking = OperatingSystem.IsWindows();
                socket.Connect(new UnixDomainSocketEndPoint(file));
            }
            catch (SocketException e) when (e.SocketErrorCode is SocketError.WouldBlock or SocketError.InProgress)
            {
                // queued, or the listener has nudges waiting already
            }
            catch (SocketException)
            {
                if (pid is null || ProcessIdentity.StartOf(pid.Value) is null)
                    TryDelete(file); // left by a process that is gone
            }
        }
    }

    private static void TryDelete(string file)
    {
        try
        {
            File.Delete(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // another process deleted it, or it is not ours to delete
        }
    }

    /// <summary>One kind's sends: at most one at a time, and one more if asked for meanwhile.</summary>
    private sealed class Sender
    {
        private readonly LocalSocketSignals _owner;
        private readonly StoreSignal _signal;
        private int _requested;
        private int _running;

        public Sender(LocalSocketSignals owner, StoreSignal signal)
        {
            _owner = owner;
            _signal = signal;
        }

        public void Request()
        {
            Volatile.Write(ref _requested, 1);
            if (Interlocked.CompareExchange(ref _running, 1, 0) == 0)
                ThreadPool.UnsafeQueueUserWorkItem(static s => s.Run(), this, preferLocal: false);
        }

        private void Run()
        {
            while (true)
            {
                while (Interlocked.Exchange(ref _requested, 0) == 1)
                {
                    try
                    {
                        _owner.SendNow(_signal);
                    }
                    catch (Exception e) when (e is not OutOfMemoryException)
                    {
                        // a nudge is a hint: the listeners poll anyway
                    }
                }
                Volatile.Write(ref _running, 0);
                if (Volatile.Read(ref _requested) == 0 || Interlocked.CompareExchange(ref _running, 1, 0) != 0)
                    return;
            }
        }
    }

    /// <summary>A listening socket; each connection to it is one nudge.</summary>
    private sealed class Listener : IDisposable
    {
        private readonly Socket _socket;
        private readonly string _path;
        private readonly Action _onSignal;

        public Listener(string path, Action onSignal)
        {
            _path = path;
            _onSignal = onSignal;
            _socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            try
            {
                _socket.Bind(new UnixDomainSocketEndPoint(path));
                _socket.Listen(64);
            }
            catch
            {
                _socket.Dispose();
                TryDelete(path);
                throw;
            }
            _ = AcceptLoop();
        }

        private async Task AcceptLoop()
        {
            try
            {
                while (true)
                {
                    using (await _socket.AcceptAsync().ConfigureAwait(false))
                    {
                    }
                    try
                    {
                        _onSignal();
                    }
                    catch (Exception e) when (e is not OutOfMemoryException)
                    {
                        // the listener's owner polls anyway
                    }
                }
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                // disposed
            }
        }

        public void Dispose()
        {
            _socket.Dispose();
            TryDelete(_path);
        }
    }
}
