using Microsoft.Extensions.DependencyInjection;
using Throughline.Storage;
using Throughline.Timeline;

namespace Throughline.Tests.Support;

/// <summary>How a test waits for the timeline: until the server has read every event stored so far. Never a sleep.</summary>
public static class TimelineCatchUp
{
    /// <summary>Generous: the server's updater catches up every 200 ms, in milliseconds for a test's few events.</summary>
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Completes once the server's own background updater has finished a catch-up that began after this call: every event
    /// stored before it (every post the test saw acknowledged) is then in the timeline the endpoints answer from.
    /// </summary>
    /// <remarks>It waits for the updater, it does not catch up itself, so tests still show that the server tails the store.</remarks>
    public static async Task AwaitAsync(RunningServer server)
    {
        ArgumentNullException.ThrowIfNull(server);
        var cancel = TestContext.Current.CancellationToken;
        var projection = server.Services.GetRequiredService<TimelineProjection>();
        try
        {
            await projection.WaitForCatchUpAsync(cancel).WaitAsync(Deadline, cancel);
        }
        catch (TimeoutException)
        {
            var store = server.Services.GetRequiredService<IEventStore>();
            var newest = (await store.ListNewestAsync(1, cancel)).FirstOrDefault()?.Sequence ?? 0;
            Assert.Fail(
                $"The timeline did not catch up within {Deadline.TotalSeconds:N0} s: newest stored event {newest}, watermark {projection.Watermark}, " +
                $"{projection.EventsRead} events read, last rebuilt {projection.UpdatedAt?.ToString("O") ?? "never"}");
        }
    }
}
