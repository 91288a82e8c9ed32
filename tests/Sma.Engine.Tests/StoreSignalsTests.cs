using Sma.Engine.Signals;
using Xunit;

namespace Sma.Engine.Tests;

/// <summary>Nudges between processes sharing a store (two "processes" played in one by their process ids).</summary>
public sealed class StoreSignalsTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private readonly TempStore _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void A_nudge_from_another_process_reaches_every_listener_of_its_kind_only()
    {
        using var session = LocalSocketSignals.ForStore(_temp.Path, self: 1_000_001);
        using var worker = LocalSocketSignals.ForStore(_temp.Path, self: 1_000_002);
        Assert.IsType<LocalSocketSignals>(session);
        using var work = new ManualResetEventSlim();
        using var atRest = new ManualResetEventSlim();
        using (worker.Listen(StoreSignal.Work, work.Set))
        using (session.Listen(StoreSignal.JobsAtRest, atRest.Set))
        {
            session.Send(StoreSignal.Work);
            Assert.True(work.Wait(Patience), "the worker was not nudged");
            Assert.False(atRest.IsSet, "a Work nudge reached a JobsAtRest listener");
            worker.Send(StoreSignal.JobsAtRest);
            Assert.True(atRest.Wait(Patience), "the waiting session was not nudged");
        }
        Assert.Empty(Directory.GetFiles(StoreScratch.FolderFor(_temp.Path), "*.sock"));
    }

    [Fact]
    public void Nudges_sent_in_a_burst_are_coalesced_and_the_last_one_is_never_lost()
    {
        using var session = LocalSocketSignals.ForStore(_temp.Path, self: 1_000_003);
        using var worker = LocalSocketSignals.ForStore(_temp.Path, self: 1_000_004);
        var count = 0;
        using var after = new ManualResetEventSlim();
        var armed = 0;
        using (worker.Listen(StoreSignal.Work, () =>
               {
                   Interlocked.Increment(ref count);
                   if (Volatile.Read(ref armed) == 1)
                       after.Set();
               }))
        {
            for (var i = 0; i < 1000; i++)
                session.Send(StoreSignal.Work);
            Volatile.Write(ref armed, 1);
            session.Send(StoreSignal.Work); // sent after the burst: it must arrive
            Assert.True(after.Wait(Patience), "the nudge after the burst was lost");
        }
        Assert.InRange(count, 1, 1001);
    }

    [Fact]
    public void A_socket_left_by_a_process_that_is_gone_is_removed_by_the_next_sender()
    {
        using var session = LocalSocketSignals.ForStore(_temp.Path, self: 1_000_005);
        var folder = StoreScratch.FolderFor(_temp.Path);
        var stale = Path.Combine(folder, "w-99999999-abcdef.sock"); // no such process
        File.WriteAllText(stale, "");
        session.Send(StoreSignal.Work);
        var deadline = DateTime.UtcNow + Patience;
        while (File.Exists(stale) && DateTime.UtcNow < deadline)
            Thread.Sleep(10);
        Assert.False(File.Exists(stale));
    }

    [Fact]
    public void The_folder_is_per_store_and_owner_only()
    {
        using var other = new TempStore();
        Assert.NotEqual(StoreScratch.FolderFor(_temp.Path), StoreScratch.FolderFor(other.Path));
        Assert.Equal(StoreScratch.FolderFor(_temp.Path), StoreScratch.FolderFor(Path.Combine(_temp.Folder, ".", "sma.db")));
        var folder = StoreScratch.Ensure(_temp.Path);
        if (!OperatingSystem.IsWindows())
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(folder));
    }
}
