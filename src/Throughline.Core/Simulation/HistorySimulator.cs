using System.Globalization;
using System.Text.Json;

namespace Throughline.Simulation;

/// <summary>One line of simulated output: a CDEvent as JSON, and when it reaches Throughline.</summary>
/// <param name="Arrival">When the event is delivered (its own timestamp, skew aside, plus the delivery delay).</param>
/// <param name="Json">The CDEvent, UTF-8 JSON without a line break.</param>
public sealed record SimulatedEvent(DateTimeOffset Arrival, byte[] Json);

/// <summary>
/// Plays a software organisation forward in time as a discrete-event simulation and emits the CDEvents its
/// tools would send: reviews, builds, artifacts, deployments, smoke tests, QA tickets, incidents and rollbacks.
/// </summary>
/// <remarks>
/// <para>Output comes in arrival order, which differs from timestamp order the way real deliveries do; it
/// includes duplicate deliveries and a fixed clock skew per tool. Memory stays flat: only changes in
/// flight and events not yet delivered are held.</para>
/// <para>Deterministic: the same options give the same events, byte for byte, until someone outside asks for a rollback
/// (<see cref="RollBack"/>). Not thread safe, except for <see cref="RollBack"/>.</para>
/// </remarks>
public sealed partial class HistorySimulator
{
    private static readonly TimeSpan MaxSkew = TimeSpan.FromSeconds(5);
    private readonly SimulationOptions _options;
    private readonly SimulatedOrganisation _organisation;
    private readonly Randomness _random;
    private readonly CdEventJson _json = new();
    private readonly PriorityQueue<Action, (long Ticks, long Order)> _agenda = new();
    private readonly PriorityQueue<SimulatedEvent, (long Ticks, long Order)> _outbox = new();
    private readonly Dictionary<SimulatedTool, TimeSpan> _skew = [];
    private readonly Dictionary<string, ServiceState> _services;
    private long _order;
    private long _eventNumber;

    /// <summary>Prepares the simulation of <paramref name="organisation"/> from <see cref="SimulationOptions.Start"/>.</summary>
    public HistorySimulator(SimulationOptions options, SimulatedOrganisation organisation)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(organisation);
        _options = options;
        _organisation = organisation;
        _random = new Randomness(options.Seed);
        _checks = new Randomness(unchecked(options.Seed ^ ChecksSeed));
        _injections = new Randomness(unchecked(options.Seed ^ InjectionsSeed));
        foreach (var tool in Enum.GetValues<SimulatedTool>())
        {
            _skew[tool] = TimeSpan.FromMilliseconds(Math.Round(_random.Uniform(-MaxSkew.TotalMilliseconds, MaxSkew.TotalMilliseconds)));
        }

        _services = organisation.Services.ToDictionary(s => s.Id, s => new ServiceState(s));
        _infra = new WorkQueue(this, capacity: organisation.Team(organisation.InfraTeam).People.Count);
        _qa = new WorkQueue(this, capacity: organisation.Team(organisation.QaTeam).People.Count);
        Start = new DateTimeOffset(options.Start.UtcDateTime.Date, TimeSpan.Zero);
        Clock = Start;
        At(Start, () => BeginDay(Start));
    }

    /// <summary>The first simulated instant (midnight UTC of the start day).</summary>
    public DateTimeOffset Start { get; }

    /// <summary>The simulated time reached so far.</summary>
    public DateTimeOffset Clock { get; private set; }

    /// <summary>Events emitted so far, duplicates included.</summary>
    public long EventsEmitted { get; private set; }

    /// <summary>Scheduled steps not yet run: the work in flight, which bounds memory.</summary>
    public int PendingSteps => _agenda.Count;

    /// <summary>Emitted events not yet delivered.</summary>
    public int PendingDeliveries => _outbox.Count;

    /// <summary>Changes opened so far.</summary>
    public long ChangesOpened { get; private set; }

    /// <summary>Runs the organisation up to <paramref name="end"/> (exclusive) and yields what arrives before it, in arrival order.</summary>
    /// <remarks>Can be called again with a later end to continue; events that arrive after <paramref name="end"/> are kept for then.</remarks>
    public IEnumerable<SimulatedEvent> RunUntil(DateTimeOffset end)
    {
        ApplyRollbackRequests();
        while (_agenda.TryPeek(out _, out var next) && next.Ticks < end.UtcTicks)
        {
            var step = _agenda.Dequeue();
            Clock = new DateTimeOffset(next.Ticks, TimeSpan.Zero);
            step();
            while (_outbox.TryPeek(out _, out var arrival) && arrival.Ticks <= Clock.UtcTicks)
            {
                yield return _outbox.Dequeue();
            }
        }

        if (end > Clock)
        {
            Clock = end;
        }

        while (_outbox.TryPeek(out _, out var arrival) && arrival.Ticks < end.UtcTicks)
        {
            yield return _outbox.Dequeue();
        }
    }

    private void At(DateTimeOffset time, Action step) => _agenda.Enqueue(step, (Math.Max(time.UtcTicks, Clock.UtcTicks), _order++));

    private void After(TimeSpan delay, Action step) => At(Clock + delay, step);

    /// <summary>Emits one event now: its timestamp is the tool's skewed clock; its delivery may be late or repeated.</summary>
    private string Emit(SimulatedTool tool, string source, string type, string? chainId, string subjectId, Action<Utf8JsonWriter> content, Action<Utf8JsonWriter>? customData = null) =>
        Emit(_random, $"{_organisation.Slug}-{_options.Seed}-{(++_eventNumber).ToString("x", CultureInfo.InvariantCulture)}", tool, source, type, chainId, subjectId, content, customData);

    /// <summary>Emits one event now with the given id, drawing its delivery's delay and repetition from <paramref name="random"/>.</summary>
    private string Emit(
        Randomness random, string id, SimulatedTool tool, string source, string type, string? chainId, string subjectId,
        Action<Utf8JsonWriter> content, Action<Utf8JsonWriter>? customData = null)
    {
        var json = _json.Render(id, source, "dev.cdevents." + type, Clock + _skew[tool], chainId, subjectId, content, customData);
        var roll = random.Uniform();
        var delay = roll < 0.94 ? random.Uniform(0, 3) : roll < 0.99 ? random.Uniform(3, 120) : random.Uniform(120, 900);
        Deliver(Clock + TimeSpan.FromSeconds(delay), json);
        if (random.Chance(0.01))
        {
            Deliver(Clock + TimeSpan.FromSeconds(delay + random.Uniform(60, 3600)), json);
        }

        return id;
    }

    private void Deliver(DateTimeOffset arrival, byte[] json)
    {
        EventsEmitted++;
        _outbox.Enqueue(new SimulatedEvent(arrival, json), (arrival.UtcTicks, _order++));
    }

    private void BeginDay(DateTimeOffset day)
    {
        if (day == Start)
        {
            Bootstrap();
        }

        var weekend = day.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday;
        foreach (var state in _services.Values)
        {
            var count = _random.Poisson(_options.ChangesPerDay * state.Service.Weight * (weekend ? 0.1 : 1.0));
            for (var i = 0; i < count; i++)
            {
                var hour = _random.Chance(0.92)
                    ? WorkingHours.StartHour + _random.Uniform(0, WorkingHours.EndHour - WorkingHours.StartHour)
                    : _random.Uniform(0, 24);
                var service = state;
                At(day.AddHours(hour), () => OpenChange(service, fixesIncident: null));
            }

            var releaseHour = state.Service.Cadence switch
            {
                DeployCadence.Daily when !weekend => 14,
                DeployCadence.Weekly when day.DayOfWeek == DayOfWeek.Tuesday => 10,
                _ => -1,
            };
            if (releaseHour >= 0)
            {
                var service = state;
                At(day.AddHours(releaseHour), () => RequestProductionDeploy(service));
            }
        }

        if (_random.Chance(0.1))
        {
            At(day.AddHours(_random.Uniform(0, 24)), UnrelatedIncident);
        }

        At(day.AddDays(1), () => BeginDay(day.AddDays(1)));
    }
}
