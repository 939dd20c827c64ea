namespace Throughline.Simulation;

/// <summary>Seeded draws from the distributions the simulation uses.</summary>
/// <remarks>Built on <see cref="Random"/> with a seed, whose sequence is stable for a given seed; not thread safe.</remarks>
internal sealed class Randomness(int seed)
{
    private readonly Random _random = new(seed);

    public double Uniform() => _random.NextDouble();

    public double Uniform(double low, double high) => low + ((high - low) * _random.NextDouble());

    public int Next(int exclusiveMax) => _random.Next(exclusiveMax);

    public bool Chance(double probability) => _random.NextDouble() < probability;

    public T Pick<T>(IReadOnlyList<T> items) => items[_random.Next(items.Count)];

    /// <summary>A standard normal draw (Box–Muller).</summary>
    public double Normal()
    {
        var u1 = 1.0 - _random.NextDouble();
        var u2 = _random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    /// <summary>A log-normal duration with the given median and shape (sigma of the underlying normal).</summary>
    public TimeSpan LogNormal(TimeSpan median, double sigma) =>
        TimeSpan.FromSeconds(Math.Min(median.TotalSeconds * Math.Exp(sigma * Normal()), TimeSpan.FromDays(60).TotalSeconds));

    /// <summary>An exponential duration with the given mean.</summary>
    public TimeSpan Exponential(TimeSpan mean) => TimeSpan.FromSeconds(-mean.TotalSeconds * Math.Log(1.0 - _random.NextDouble()));

    /// <summary>A Poisson count with the given mean (Knuth for small means, normal approximation above 50).</summary>
    public int Poisson(double mean)
    {
        if (mean > 50)
        {
            return Math.Max(0, (int)Math.Round(mean + (Math.Sqrt(mean) * Normal())));
        }

        var limit = Math.Exp(-mean);
        var count = 0;
        var product = _random.NextDouble();
        while (product > limit)
        {
            count++;
            product *= _random.NextDouble();
        }

        return count;
    }

    /// <summary>Lowercase hexadecimal digits, for commit and artifact digests.</summary>
    public string Hex(int length)
    {
        const string digits = "0123456789abcdef";
        return string.Create(length, this, (span, self) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = digits[self._random.Next(16)];
            }
        });
    }
}

/// <summary>The simulated organisation's working hours: 09:00 to 18:00 UTC, Monday to Friday.</summary>
public static class WorkingHours
{
    /// <summary>The hour (UTC) a working day starts.</summary>
    public const int StartHour = 9;

    /// <summary>The hour (UTC) a working day ends.</summary>
    public const int EndHour = 18;

    /// <summary>True from 09:00 (inclusive) to 18:00 (exclusive) UTC on weekdays.</summary>
    public static bool IsWorking(DateTimeOffset time) =>
        time.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday) && time.Hour is >= StartHour and < EndHour;

    /// <summary>The time itself when it is within working hours, else the next start of a working day.</summary>
    public static DateTimeOffset Next(DateTimeOffset time)
    {
        if (IsWorking(time))
        {
            return time;
        }

        var day = new DateTimeOffset(time.Date, TimeSpan.Zero);
        var candidate = time.Hour < StartHour ? day.AddHours(StartHour) : day.AddDays(1).AddHours(StartHour);
        while (candidate.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday)
        {
            candidate = candidate.AddDays(1);
        }

        return candidate;
    }

    /// <summary>Adds <paramref name="work"/> counted in working hours only, as a person's effort spreads over days.</summary>
    public static DateTimeOffset Add(DateTimeOffset start, TimeSpan work)
    {
        var time = Next(start);
        while (work > TimeSpan.Zero)
        {
            var endOfDay = new DateTimeOffset(time.Date, TimeSpan.Zero).AddHours(EndHour);
            var available = endOfDay - time;
            if (work <= available)
            {
                return time + work;
            }

            work -= available;
            time = Next(endOfDay);
        }

        return time;
    }
}
