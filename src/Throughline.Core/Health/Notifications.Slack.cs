using System.Text;

namespace Throughline.Health;

public static partial class Notifications
{
    // Slack's limit on a section's text; the fallback text is held to it too.
    private const int SlackTextLimit = 3000;
    private const int SlackLineLimit = 500;

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
            $"*Why*: {Escape(notification.Reason, SlackTextLimit - "*Why*: ".Length)}",
        };
        if (notification.Evidence.Count > 0)
        {
            sections.Add(List("*Evidence*", notification.Evidence.Select(evidence => Escape(evidence, SlackLineLimit))));
        }

        if (notification.People.Count > 0)
        {
            sections.Add(List("*Asked to act*", notification.People.Select(Person)));
        }

        sections.Add($"*Next*: {Escape(notification.Next, SlackTextLimit - "*Next*: ".Length)}");
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
}
