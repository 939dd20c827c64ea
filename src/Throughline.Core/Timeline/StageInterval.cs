using System.Text.Json.Serialization;

namespace Throughline.Timeline;

/// <summary>Where a change is in its life.</summary>
public enum ChangeState
{
    /// <summary>Opened, not yet merged or abandoned.</summary>
    Open,

    /// <summary>Merged, not yet delivered to production.</summary>
    Merged,

    /// <summary>Delivered to a production environment.</summary>
    Delivered,

    /// <summary>Closed without merging.</summary>
    Abandoned,
}

/// <summary>How far a change has got through one stage of the flow.</summary>
public enum StageStatus
{
    /// <summary>The stage's end event was seen.</summary>
    Done,

    /// <summary>The stage started (its start event was seen) and has not ended.</summary>
    InProgress,

    /// <summary>The previous stage ended; this one has not started: the change waits in its queue.</summary>
    Waiting,

    /// <summary>A later stage ended without this one: the change went around it.</summary>
    Skipped,

    /// <summary>An earlier stage is not done yet.</summary>
    NotReached,
}

/// <summary>One stage of the flow for one change.</summary>
/// <remarks>
/// A million changes hold several million of these, so they keep only what cannot be derived: times without their
/// nullable wrappers (one byte says which are known), and no hours, which follow from the times.
/// </remarks>
public sealed record StageInterval
{
    private readonly DateTimeOffset _readyAt;
    private readonly DateTimeOffset _startedAt;
    private readonly DateTimeOffset _endedAt;
    private readonly long _startEvent;
    private readonly long _endEvent;
    private readonly Known _known;

    /// <summary>One stage of the flow for one change.</summary>
    /// <param name="stageId">The model's stage id.</param>
    /// <param name="name">The stage's display name.</param>
    /// <param name="team">The team that owns the stage for this change's service (resolved from the model).</param>
    /// <param name="status">How far the change got.</param>
    /// <param name="readyAt">When the previous stage ended (for the first stage, when the change's work began).</param>
    /// <param name="startedAt">When the start event was seen.</param>
    /// <param name="endedAt">When the end event was seen; required when <paramref name="status"/> is <see cref="StageStatus.Done"/>.</param>
    /// <param name="handoff">True when the owning team differs from the previous done stage's.</param>
    /// <param name="fromTeam">The previous done stage's team, when there is a handoff.</param>
    /// <param name="startActor">Who the start event names as acting (<see cref="Fact.Actor"/>); null when none.</param>
    /// <param name="endActor">Who the end event names as acting; null when none.</param>
    /// <param name="startEvent">The stored sequence number of the start event; null when none was seen.</param>
    /// <param name="endEvent">The stored sequence number of the end event; null when none was seen.</param>
    public StageInterval(
        string stageId, string? name, string? team, StageStatus status, DateTimeOffset? readyAt, DateTimeOffset? startedAt, DateTimeOffset? endedAt,
        bool handoff, string? fromTeam, string? startActor = null, string? endActor = null, long? startEvent = null, long? endEvent = null)
    {
        if (status == StageStatus.Done && endedAt is null)
        {
            throw new ArgumentException("A done stage has an end.", nameof(endedAt));
        }

        (StageId, Name, Team, Status, Handoff, FromTeam) = (stageId, name, team, status, handoff, fromTeam);
        (_readyAt, _startedAt, _endedAt) = (readyAt ?? default, startedAt ?? default, endedAt ?? default);
        (StartActor, EndActor, _startEvent, _endEvent) = (startActor, endActor, startEvent ?? 0, endEvent ?? 0);
        _known = (readyAt is null ? 0 : Known.Ready) | (startedAt is null ? 0 : Known.Started) | (endedAt is null ? 0 : Known.Ended);
    }

    /// <summary>The model's stage id.</summary>
    public string StageId { get; }

    /// <summary>The stage's display name.</summary>
    public string? Name { get; }

    /// <summary>The team that owns the stage for this change's service (resolved from the model).</summary>
    public string? Team { get; }

    /// <summary>How far the change got.</summary>
    public StageStatus Status { get; }

    /// <summary>When the previous stage ended (for the first stage, when the change's work began): the queue starts here.</summary>
    public DateTimeOffset? ReadyAt => _known.HasFlag(Known.Ready) ? _readyAt : null;

    /// <summary>When the start event was seen; null for stages without a start matcher.</summary>
    public DateTimeOffset? StartedAt => _known.HasFlag(Known.Started) ? _startedAt : null;

    /// <summary>When the end event was seen.</summary>
    public DateTimeOffset? EndedAt => _known.HasFlag(Known.Ended) ? _endedAt : null;

    /// <summary>ReadyAt to start (to end for stages without a start matcher), never below 0; null until the stage is done.</summary>
    public double? WaitingHours => Status == StageStatus.Done
        ? Math.Max(0, ((StartedAt ?? _endedAt) - (ReadyAt ?? _endedAt)).TotalHours)
        : null;

    /// <summary>Start to end, never below 0; 0 for stages without a start matcher; null until the stage is done.</summary>
    public double? WorkingHours => Status == StageStatus.Done
        ? StartedAt is { } started ? Math.Max(0, (_endedAt - started).TotalHours) : 0
        : null;

    /// <summary>True when the owning team differs from the previous done stage's.</summary>
    public bool Handoff { get; }

    /// <summary>The previous done stage's team, when there is a handoff.</summary>
    public string? FromTeam { get; }

    /// <summary>Who the start event names as acting, as the tool names them (a login, <see cref="Fact.Actor"/>); null when none.</summary>
    /// <remarks>Left out of the JSON (the changes API, the digest) for now: the drift report (<c>Core/Diagnostics</c>) reads it.</remarks>
    [JsonIgnore]
    public string? StartActor { get; }

    /// <summary>Who the end event names as acting; null when none.</summary>
    /// <remarks>Left out of the JSON, as <see cref="StartActor"/>.</remarks>
    [JsonIgnore]
    public string? EndActor { get; }

    /// <summary>The stored sequence number of the start event (for links back to it); null when none was seen.</summary>
    /// <remarks>A store position, so left out of the JSON and the digest, which do not depend on arrival order.</remarks>
    [JsonIgnore]
    public long? StartEvent => _startEvent == 0 ? null : _startEvent;

    /// <summary>The stored sequence number of the end event (for links back to it); null when none was seen.</summary>
    /// <remarks>A store position, so left out of the JSON and the digest.</remarks>
    [JsonIgnore]
    public long? EndEvent => _endEvent == 0 ? null : _endEvent;

    /// <summary>Which of the three times are known: one byte in the padding, where nullable wrappers cost 8 bytes each.</summary>
    [Flags]
    private enum Known : byte
    {
        Ready = 1,
        Started = 2,
        Ended = 4,
    }
}
