using Throughline.Health;

namespace Throughline.Tests.Health;

/// <summary>The waits between an outgoing call's attempts.</summary>
public sealed class OutgoingBackoffTests
{
    [Fact]
    public void DelayBefore_Default_DoublesFromOneSecondUpToThirty()
    {
        var delays = Enumerable.Range(1, 8).Select(retry => OutgoingBackoff.Default.DelayBefore(retry).TotalSeconds);

        Assert.Equal([1, 2, 4, 8, 16, 30, 30, 30], delays);
    }

    [Fact]
    public void DelayBefore_ManyRetries_StaysAtTheCap()
    {
        var delay = OutgoingBackoff.Default.DelayBefore(int.MaxValue);

        Assert.Equal(TimeSpan.FromSeconds(30), delay);
    }

    [Theory]
    [InlineData(1, 10, 10)]
    [InlineData(3, 2, 4)]
    [InlineData(1, 3600, 30)]
    [InlineData(2, 0, 2)]
    [InlineData(1, -5, 1)]
    public void DelayBefore_RetryAfter_IsHonouredWhenLongerAndCapped(int retry, int retryAfterSeconds, int expectedSeconds)
    {
        var delay = OutgoingBackoff.Default.DelayBefore(retry, TimeSpan.FromSeconds(retryAfterSeconds));

        Assert.Equal(TimeSpan.FromSeconds(expectedSeconds), delay);
    }
}
