using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;

namespace Throughline.Health;

/// <summary>The bodies of a release-health notification, in each <see cref="NotificationFormat"/>, as the UTF-8 bytes to send and sign.</summary>
/// <remarks>
/// Built with <see cref="Utf8JsonWriter"/>, so every value is escaped as JSON requires whatever it holds. Non-ASCII letters
/// are written as they are; the characters HTML gives meaning to (<c>&lt; &gt; &amp; ' "</c>) are written as <c>\u</c> escapes.
/// </remarks>
public static class Notifications
{
    private const int SlackTextLimit = 3000;
    private const int SlackLineLimit = 500;

    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.Create(UnicodeRanges.All) };

    /// <summary>The body of <paramref name="notification"/> in <paramref name="format"/>.</summary>
    /// <param name="notification">What to tell.</param>
    /// <param name="format">The receiver's format.</param>
    public static byte[] Body(ReleaseNotification notification, NotificationFormat format) => format switch
    {
        NotificationFormat.Json => Json(notification),
        NotificationFormat.Slack => Slack(notification),
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, "not a notification format"),
    };

    /// <summary>Throughline's own JSON object, a stable contract.</summary>
    /// <param name="notification">What to tell.</param>
    /// <remarks>
    /// <c>{"type", "service", "environment", "deployment": {"id", "source"}, "state", "reason", "evidence": [string],
    /// "people": [{"id", "name", "contacts": [string]}], "next", "url", "at"}</c>; <c>at</c> is RFC 3339 in UTC. Every
    /// property is always present (empty arrays rather than absent ones). Properties may be added, never renamed.
    /// </remarks>
    public static byte[] Json(ReleaseNotification notification)
    {
        Check(notification);
        return Write(writer =>
        {
            writer.WriteString("type", notification.Type);
            writer.WriteString("service", notification.Service);
            writer.WriteString("environment", notification.Environment);
            writer.WriteStartObject("deployment");
            writer.WriteString("id", notification.DeploymentId);
            writer.WriteString("source", notification.DeploymentSource);
            writer.WriteEndObject();
            writer.WriteString("state", notification.State);
            writer.WriteString("reason", notification.Reason);
            WriteStrings(writer, "evidence", notification.Evidence);
            writer.WriteStartArray("people");
            foreach (var person in notification.People)
            {
                writer.WriteStartObject();
                writer.WriteString("id", person.Id);
                writer.WriteString("name", person.Name);
                WriteStrings(writer, "contacts", person.Contacts);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteString("next", notification.Next);
            writer.WriteString("url", notification.Url.AbsoluteUri);
            writer.WriteString("at", notification.At.UtcDateTime);
        });
    }

    /// <summary>A Slack incoming webhook's body: <c>{"text": fallback, "blocks": [section blocks of mrkdwn text]}</c>.</summary>
    /// <param name="notification">What to tell.</param>
    /// <remarks>
    /// Every text taken from the notification has <c>&amp;</c>, <c>&lt;</c> and <c>&gt;</c> escaped as Slack asks, so a
    /// reason cannot mention <c>&lt;!channel&gt;</c> or forge a link. A section holds at most 3,000 characters (Slack's
    /// limit): a longer text is cut, and a list that does not fit ends with how many items were left out.
    /// </remarks>
    public static byte[] Slack(ReleaseNotification notification)
    {
        Check(notification);
        var title = Title(notification.Type);
        var about = $"{Escape(notification.Service)} in {Escape(notification.Environment)}";
        var link = $"<{Escape(notification.Url.AbsoluteUri, int.MaxValue).Replace("|", "%7C", StringComparison.Ordinal)}|{Escape(notification.DeploymentId)}>";
        var sections = new List<string>
        {
            $"*{title}*: {about}, deployment {link} ({Escape(notification.State)})",
            $"*Why*: {Escape(notification.Reason, SlackTextLimit - 10)}",
        };
        if (notification.Evidence.Count > 0)
        {
            sections.Add(List("*Evidence*", notification.Evidence.Select(evidence => Escape(evidence, SlackLineLimit))));
        }

        if (notification.People.Count > 0)
        {
            sections.Add(List("*Asked to act*", notification.People.Select(Person)));
        }

        sections.Add($"*Next*: {Escape(notification.Next, SlackTextLimit - 10)}");
        return Write(writer =>
        {
            writer.WriteString("text", $"{title}: {about}: {Escape(notification.Reason, SlackTextLimit)}");
            writer.WriteStartArray("blocks");
            foreach (var section in sections)
            {
                writer.WriteStartObject();
                writer.WriteString("type", "section");
                writer.WriteStartObject("text");
                writer.WriteString("type", "mrkdwn");
                writer.WriteString("text", section);
                writer.WriteEndObject();
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        });
    }

    /// <summary>
    /// <paramref name="text"/> with <c>&amp;</c>, <c>&lt;</c> and <c>&gt;</c> written as Slack's entities, cut with "…" so the
    /// result holds at most <paramref name="limit"/> characters (never inside an entity or a surrogate pair).
    /// </summary>
    internal static string Escape(string text, int limit = SlackLineLimit)
    {
        var escaped = new StringBuilder();
        foreach (var rune in text.EnumerateRunes())
        {
            var piece = rune.Value switch { '&' => "&amp;", '<' => "&lt;", '>' => "&gt;", _ => rune.ToString() };
            if (escaped.Length + piece.Length > limit - 1)
            {
                return escaped.Append('…').ToString();
            }

            escaped.Append(piece);
        }

        return escaped.ToString();
    }

    private static string List(string heading, IEnumerable<string> lines)
    {
        var items = lines.ToList();
        var text = new StringBuilder(heading);
        for (var i = 0; i < items.Count; i++)
        {
            var line = "\n• " + items[i];
            var rest = i < items.Count - 1 ? $"\n… and {items.Count - i - 1} more".Length : 0;
            if (text.Length + line.Length + rest > SlackTextLimit)
            {
                return text.Append($"\n… and {items.Count - i} more").ToString();
            }

            text.Append(line);
        }

        return text.ToString();
    }

    private static string Person(NotifiedPerson person) =>
        person.Contacts.Count == 0
            ? Escape(person.Name)
            : $"{Escape(person.Name)} ({string.Join(", ", person.Contacts.Select(contact => Escape(contact)))})";

    private static string Title(string type) => type switch
    {
        NotificationTypes.ReleaseFailed => "Release failed",
        NotificationTypes.RollbackRequested => "Rollback requested",
        NotificationTypes.RollbackCalled => "Rollback action called",
        NotificationTypes.RollbackDone => "Rolled back",
        _ => "Fixed forward",
    };

    private static void Check(ReleaseNotification notification)
    {
        ArgumentNullException.ThrowIfNull(notification);
        if (!NotificationTypes.All.Contains(notification.Type))
        {
            throw new ArgumentException($"'{notification.Type}' is not a notification type ({string.Join(", ", NotificationTypes.All)})", nameof(notification));
        }

        if (!notification.Url.IsAbsoluteUri)
        {
            throw new ArgumentException("a notification's link to the deployment must be an absolute URL", nameof(notification));
        }
    }

    private static void WriteStrings(Utf8JsonWriter writer, string name, IReadOnlyList<string> values)
    {
        writer.WriteStartArray(name);
        foreach (var value in values)
        {
            writer.WriteStringValue(value);
        }

        writer.WriteEndArray();
    }

    private static byte[] Write(Action<Utf8JsonWriter> properties)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartObject();
            properties(writer);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }
}
