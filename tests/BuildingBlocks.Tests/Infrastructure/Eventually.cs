using System.Diagnostics;

namespace PBServices.BuildingBlocks.Tests.Infrastructure;

/// <summary>Bounded polling: messaging is asynchronous, so tests wait for an outcome, never for a fixed time.</summary>
internal static class Eventually
{
    public static async Task<T> Until<T>(string what, TimeSpan timeout, Func<Task<T>> probe, Func<T, bool> done)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var observed = await probe();
            if (done(observed))
            {
                return observed;
            }
            if (clock.Elapsed > timeout)
            {
                Assert.Fail($"Timed out after {timeout.TotalSeconds:0} s waiting for {what}; last observed: {observed}");
            }
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }
    }

    public static Task<T> Until<T>(string what, TimeSpan timeout, Func<T> probe, Func<T, bool> done) =>
        Until(what, timeout, () => Task.FromResult(probe()), done);
}
