using System.Text;
using System.Text.Json;
using Throughline.Simulation;

namespace Throughline.Web.Demo;

/// <summary>A notification the demo's stand-in chat received.</summary>
/// <param name="ReceivedAt">When, on the demo's clock.</param>
/// <param name="Body">The JSON body as sent.</param>
/// <param name="Line">The line the demo printed for it.</param>
internal sealed record DemoNotification(DateTimeOffset ReceivedAt, string Body, string Line);

/// <summary>A rollback call the demo's stand-in Argo CD accepted (one per idempotency key).</summary>
/// <param name="Service">The service in the call's path.</param>
/// <param name="IdempotencyKey">The call's <c>Idempotency-Key</c>.</param>
/// <param name="Artifact">The artifact rolled back from (the body's <c>artifact</c>).</param>
/// <param name="To">The artifact asked for (the body's <c>to</c>); null: the one deployed before <paramref name="Artifact"/>.</param>
/// <param name="Body">The JSON body as sent.</param>
/// <param name="Done">Completes once the rollback is done, with the <c>service.rolledback</c> event stored; with null when
/// there was nothing to roll back to or the demo stopped first.</param>
internal sealed record DemoRollbackCall(string Service, string IdempotencyKey, string Artifact, string? To, string Body, Task<SimulatedRollback?> Done);

/// <summary>What the demo's stand-in tools received, oldest first, for the console and for tests.</summary>
/// <remarks>Thread-safe. Keeps the last <c>kept</c> notifications and the last <c>kept</c> rollback calls.</remarks>
/// <param name="kept">How many of each are kept.</param>
internal sealed class DemoToolsInbox(int kept)
{
    private readonly Queue<DemoNotification> _notifications = new();
    private readonly Queue<DemoRollbackCall> _rollbacks = new();
    private readonly Lock _console = new();

    /// <summary>The notifications received, oldest first.</summary>
    public IReadOnlyList<DemoNotification> Notifications
    {
        get
        {
            lock (_notifications)
            {
                return [.. _notifications];
            }
        }
    }

    /// <summary>The rollback calls accepted, oldest first; a retry with a key already seen is not among them again.</summary>
    public IReadOnlyList<DemoRollbackCall> Rollbacks
    {
        get
        {
            lock (_rollbacks)
            {
                return [.. _rollbacks];
            }
        }
    }

    /// <summary>One readable line for a notification, from whichever of its fields are present.</summary>
    /// <remarks>Reads <c>type</c>, <c>service</c>, <c>environment</c>, <c>reason</c>, <c>people</c> (<c>name</c>, else <c>id</c>) and <c>url</c>.</remarks>
    public static string Describe(JsonElement message)
    {
        var line = new StringBuilder("demo: chat ←");
        foreach (var part in new[] { DemoTools.Text(message, "type"), DemoTools.Text(message, "service") })
        {
            if (part is not null)
            {
                line.Append(' ').Append(part);
            }
        }

        if (DemoTools.Text(message, "environment") is { } environment)
        {
            line.Append(" in ").Append(environment);
        }

        if (DemoTools.Text(message, "reason") is { } reason)
        {
            line.Append(" (").Append(reason).Append(')');
        }

        var people = message.ValueKind == JsonValueKind.Object && message.TryGetProperty("people", out var list) && list.ValueKind == JsonValueKind.Array
            ? list.EnumerateArray().Select(p => DemoTools.Text(p, "name") ?? DemoTools.Text(p, "id")).OfType<string>().ToList()
            : [];
        if (people.Count > 0)
        {
            line.Append("; asking ").AppendJoin(", ", people);
        }

        if (DemoTools.Text(message, "url") is { } url)
        {
            line.Append("  ").Append(url);
        }

        return line.ToString();
    }

    /// <summary>Writes <paramref name="line"/> to the demo's console, one whole line at a time whichever thread calls.</summary>
    public void Say(TextWriter console, string line)
    {
        lock (_console)
        {
            console.WriteLine(line);
            console.Flush();
        }
    }

    internal void Add(DemoNotification notification) => Keep(_notifications, notification);

    internal void Add(DemoRollbackCall call) => Keep(_rollbacks, call);

    private void Keep<T>(Queue<T> queue, T item)
    {
        lock (queue)
        {
            queue.Enqueue(item);
            while (queue.Count > kept)
            {
                queue.Dequeue();
            }
        }
    }
}
