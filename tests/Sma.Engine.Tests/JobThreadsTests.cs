using Sma.Engine.Execution;
using Xunit;

namespace Sma.Engine.Tests;

public class JobThreadsTests
{
    [Fact]
    public void Every_queued_job_gets_a_thread_even_while_others_block()
    {
        using var threads = new JobThreads("test");
        using var release = new ManualResetEventSlim(false);
        var started = new CountdownEvent(10);
        for (var round = 0; round < 2; round++)
        {
            // Let threads go idle, then queue more blocking work than there are idle threads, faster than they wake.
            Thread.Sleep(50);
            for (var i = 0; i < (round == 0 ? 4 : 6); i++)
                threads.Run(() =>
                {
                    started.Signal();
                    release.Wait();
                });
            if (round == 0)
            {
                Assert.True(SpinWait.SpinUntil(() => started.CurrentCount == 6, TimeSpan.FromSeconds(10)));
                release.Set();
                Thread.Sleep(100);
                release.Reset();
            }
        }
        Assert.True(started.Wait(TimeSpan.FromSeconds(10)), $"{started.CurrentCount} jobs never got a thread");
        release.Set();
    }
}
