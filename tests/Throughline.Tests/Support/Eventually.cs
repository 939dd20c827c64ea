using System.Diagnostics;

namespace Throughline.Tests.Support;

/// <summary>Looks again until something a test cannot await holds: a process's output, a count behind HTTP.</summary>
/// <remarks>
/// Fails at the deadline naming what was awaited and the last thing seen; it never gives up silently. Await the fact
/// itself where there is a way: <see cref="TimelineCatchUp"/> for the timeline, Playwright's own waiting for a page.
/// </remarks>
public static class Eventually
{
    /// <summary>Generous: a slow, shared machine takes a few seconds where a laptop takes milliseconds.</summary>
    public static readonly TimeSpan DefaultDeadline = TimeSpan.FromSeconds(30);

    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(50);

    /// <summary>Calls <paramref name="look"/> until <paramref name="holds"/> is true of what it returns, and returns that.</summary>
    /// <param name="awaited">What is awaited, for the failure message: "the demo to store another event".</param>
    /// <param name="look">Observes once; its token is cancelled at the deadline.</param>
    /// <param name="holds">Whether an observation is the one awaited.</param>
    /// <param name="deadline">How long to look (<see cref="DefaultDeadline"/> when null).</param>
    public static async Task<T> HoldsAsync<T>(string awaited, Func<CancellationToken, Task<T>> look, Func<T, bool> holds, TimeSpan? deadline = null)
    {
        var limit = deadline ?? DefaultDeadline;
        using var expiry = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        expiry.CancelAfter(limit);
        var clock = Stopwatch.StartNew();
        var looks = 0;
        var last = "nothing yet";
        try
        {
            while (true)
            {
                var seen = await look(expiry.Token);
                looks++;
                if (holds(seen))
                {
                    return seen;
                }

                last = seen?.ToString() ?? "null";
                await Task.Delay(Interval, expiry.Token);
            }
        }
        catch (OperationCanceledException) when (expiry.IsCancellationRequested && !TestContext.Current.CancellationToken.IsCancellationRequested)
        {
            Assert.Fail($"Waited {clock.Elapsed.TotalSeconds:N1} s ({looks} looks) for {awaited}; last seen: {last}");
            throw;
        }
    }
}
