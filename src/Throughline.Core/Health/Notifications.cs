using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;

using Throughline.Model;

namespace Throughline.Health;

/// <summary>The bodies of a release-health notification, in each <see cref="NotifyFormat"/>, as the UTF-8 bytes to send and sign.</summary>
/// <remarks>
/// Built with <see cref="Utf8JsonWriter"/>, so every value is escaped as JSON requires whatever it holds. Non-ASCII letters
/// are written as they are; the characters HTML gives meaning to (<c>&lt; &gt; &amp; ' "</c>) are written as <c>\u</c> escapes.
/// </remarks>
public static partial class Notifications
{
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.Create(UnicodeRanges.All) };

    /// <summary>The body of <paramref name="notification"/> in <paramref name="format"/>.</summary>
    /// <param name="notification">What to tell.</param>
    /// <param name="format">The receiver's format.</param>
    public static byte[] Body(ReleaseNotification notification, NotifyFormat format) => format switch
    {
        NotifyFormat.Json => Json(notification),
        NotifyFormat.Slack => Slack(notification),
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
