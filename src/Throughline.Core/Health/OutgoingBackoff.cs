namespace Throughline.Health;

/// <summary>How long an outgoing call waits before each retry: doubling from <see cref="Base"/>, never past <see cref="Cap"/>.</summary>
/// <param name="Base">The wait before the first retry.</param>
/// <param name="Cap">The longest wait, also the most a receiver's <c>Retry-After</c> is honoured for.</param>
/// <remarks>
/// With <see cref="Default"/>: 1 s, 2 s, 4 s, 8 s, 16 s, 30 s, 30 s… No jitter: calls are rare (a failed production
/// deployment) and go to different receivers, so they do not arrive in herds.
/// </remarks>
public sealed record OutgoingBackoff(TimeSpan Base, TimeSpan Cap)
{
    /// <summary>1 second, doubling, at most 30 seconds.</summary>
    public static readonly OutgoingBackoff Default = new(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30));

    /// <summary>The wait before retry number <paramref name="retry"/> (1 for the first retry).</summary>
    /// <param name="retry">Which retry comes next, from 1.</param>
    /// <param name="retryAfter">
    /// What the receiver asked for with <c>Retry-After</c>, if anything: the wait is then the longer of the two, the receiver's
    /// capped at <see cref="Cap"/> (a receiver cannot hold a call for an hour).
    /// </param>
    public TimeSpan DelayBefore(int retry, TimeSpan? retryAfter = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(retry, 1);
        // Past 2^20 the doubling is far beyond any cap; stopping there keeps the multiplication in range.
        var doubled = Base * Math.Pow(2, Math.Min(retry - 1, 20));
        var backoff = doubled < Cap ? doubled : Cap;
        if (retryAfter is not { } asked || asked <= backoff)
        {
            return backoff;
        }

        return asked < Cap ? asked : Cap;
    }
}
