namespace Sma.Engine.Execution;

/// <summary>
/// Tells a background worker that the session that started it is gone. The session hands the worker a standard input
/// it never writes to: the input ends when the session closes it (the session ended or removed the module) or when the
/// session's process exits, however it exits, kill -9 included. As a second guard, the session's process is looked
/// for every second (by id and start stamp, so a reused id is not mistaken for it). Jobs never see that input:
/// <c>[Console]::In</c> is emptied, so <c>[Console]::ReadLine()</c> in a job returns $null at once.
/// </summary>
public sealed class ParentWatch : IDisposable
{
    private static readonly TimeSpan LookEvery = TimeSpan.FromSeconds(1);
    private readonly int _parentId;
    private readonly long? _parentStart;
    private readonly Action _onGone;
    private readonly Timer _timer;
    private int _gone;

    private ParentWatch(int parentId, Action onGone)
    {
        _parentId = parentId;
        _onGone = onGone;
        _parentStart = ProcessIdentity.StartOf(parentId);
        _timer = new Timer(_ => Look(), null, Timeout.Infinite, Timeout.Infinite);
    }

    /// <summary>Starts watching process <paramref name="parentId"/>; <paramref name="onGone"/> runs once, on any thread.</summary>
    public static ParentWatch Start(int parentId, Action onGone)
    {
        var watch = new ParentWatch(parentId, onGone);
        if (Console.IsInputRedirected)
        {
            var input = Console.OpenStandardInput();
            Console.SetIn(TextReader.Null);
            new Thread(() => watch.ReadToEnd(input)) { IsBackground = true, Name = "Sma parent watch" }.Start();
        }
        watch._timer.Change(TimeSpan.Zero, LookEvery);
        return watch;
    }

    private void ReadToEnd(Stream input)
    {
        var buffer = new byte[256];
        try
        {
            while (input.Read(buffer, 0, buffer.Length) > 0)
            {
                // the session never writes; anything that comes is ignored
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            // a broken input is an ended one
        }
        Gone();
    }

    private void Look()
    {
        var start = ProcessIdentity.StartOf(_parentId);
        if (_parentStart is null || start is null || !ProcessIdentity.SameProcess(_parentStart.Value, start.Value))
            Gone();
    }

    private void Gone()
    {
        if (Interlocked.Exchange(ref _gone, 1) == 0)
        {
            _timer.Change(Timeout.Infinite, Timeout.Infinite);
            _onGone();
        }
    }

    public void Dispose() => _timer.Dispose();
}
