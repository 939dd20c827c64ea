namespace Throughline.Web.Demo;

/// <summary>
/// The demo server's clock: the simulated present while the live feed replays the recent past faster than real time,
/// real time once it has caught up. Every "now" the server uses (the board's waits, the default metrics window) reads
/// it, so a card is as old as the simulation says, not older by the hours still being replayed.
/// </summary>
/// <remarks>Timers and delays run on real time (the base class's); only the time of day is simulated. Thread-safe.</remarks>
/// <param name="liveFrom">Where the stored history stops and the live replay begins.</param>
/// <param name="speed">Simulated seconds per real second until the replay reaches the present.</param>
/// <param name="real">The real clock.</param>
internal sealed class DemoClock(DateTimeOffset liveFrom, double speed, TimeProvider real) : TimeProvider
{
    private long _startedAtTicks = long.MinValue;

    /// <summary>The real clock, for the feed's own pacing.</summary>
    public TimeProvider Real => real;

    /// <summary>Starts the replay: until then the clock stands at <c>liveFrom</c>.</summary>
    public void Start() => Interlocked.CompareExchange(ref _startedAtTicks, real.GetUtcNow().UtcTicks, long.MinValue);

    public override DateTimeOffset GetUtcNow()
    {
        var now = real.GetUtcNow();
        var started = Interlocked.Read(ref _startedAtTicks);
        if (started == long.MinValue)
        {
            return liveFrom < now ? liveFrom : now;
        }

        var simulated = liveFrom + ((now - new DateTimeOffset(started, TimeSpan.Zero)) * speed);
        return simulated < now ? simulated : now;
    }
}
