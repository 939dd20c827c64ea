using Throughline.Access;
using Throughline.Storage;

namespace Throughline.Web.Auth;

/// <summary>Writes the audit log: every action as it happens, refused requests held back to one line per caller per minute.</summary>
/// <remarks>
/// A caller (an address and who it claimed to be) hammering the server gets its first refusal of each minute written as it
/// happens; the others of that minute are counted and written as one <see cref="AuditActions.RefusalsHeldBack"/> line when
/// the minute is over (at the caller's next refusal, at any later refusal, or when the server stops). A store that cannot
/// write does not fail the request: the failure is logged.
/// </remarks>
internal sealed partial class AuditTrail(IEventStore store, TimeProvider time, ILogger<AuditTrail> logger)
{
    public static readonly TimeSpan RefusalWindow = TimeSpan.FromMinutes(1);
    private readonly Lock _gate = new();
    private readonly Dictionary<(string From, string Actor), Held> _held = [];

    private sealed class Held(DateTimeOffset start)
    {
        public DateTimeOffset Start { get; } = start;
        public int Count { get; set; }
        public DateTimeOffset Last { get; set; }
    }

    /// <summary>Records one action.</summary>
    public Task RecordAsync(string actor, string action, string what, string from, string outcome, CancellationToken cancellationToken) =>
        WriteAsync(new AuditDraft(time.GetUtcNow(), actor, action, what, from, outcome), cancellationToken);

    /// <summary>Records a refused request, throttled per caller.</summary>
    public async Task RefusedAsync(HttpContext context, string actor, string reason)
    {
        var now = time.GetUtcNow();
        var from = Caller.From(context);
        var write = true;
        List<AuditDraft> lines = [];
        lock (_gate)
        {
            lines.AddRange(TakeFinished(now));
            if (_held.TryGetValue((from, actor), out var held))
            {
                held.Count++;
                held.Last = now;
                write = false;
            }
            else
            {
                _held[(from, actor)] = new Held(now);
            }
        }

        if (write)
        {
            lines.Add(new AuditDraft(now, actor, AuditActions.RequestRefused, $"{context.Request.Method} {context.Request.Path}", from, reason));
        }

        foreach (var line in lines)
        {
            await WriteAsync(line, CancellationToken.None);
        }
    }

    /// <summary>Writes every held-back count now (the server is stopping).</summary>
    public async Task FlushAsync()
    {
        List<AuditDraft> lines;
        lock (_gate)
        {
            lines = TakeFinished(DateTimeOffset.MaxValue);
        }

        foreach (var line in lines)
        {
            await WriteAsync(line, CancellationToken.None);
        }
    }

    private List<AuditDraft> TakeFinished(DateTimeOffset now)
    {
        var finished = _held.Where(h => now == DateTimeOffset.MaxValue || h.Value.Start + RefusalWindow <= now).ToList();
        foreach (var entry in finished)
        {
            _held.Remove(entry.Key);
        }

        return
        [
            .. finished.Where(h => h.Value.Count > 0).Select(h => new AuditDraft(
                h.Value.Last, h.Key.Actor, AuditActions.RefusalsHeldBack, AuditActions.HeldBack(h.Value.Count),
                h.Key.From, $"between {h.Value.Start:u} and {h.Value.Last:u}")),
        ];
    }

    private async Task WriteAsync(AuditDraft line, CancellationToken cancellationToken)
    {
        try
        {
            await store.AppendAuditAsync(line, cancellationToken);
        }
        catch (Exception exception) when (TransientFailures.Include(exception))
        {
            Log.NotWritten(logger, line.Action, line.Actor, exception);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Warning, Message = "The audit log could not be written ({Action} by {Actor}); the store failed")]
        public static partial void NotWritten(ILogger logger, string action, string actor, Exception exception);
    }
}
