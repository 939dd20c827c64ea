using System.Text.Json.Nodes;

namespace Throughline.Intake.Hooks;

/// <summary>Jira issue webhooks as tickets: created → ticket.created; updated → ticket.updated, or ticket.closed when the issue reaches a done status.</summary>
/// <remarks>Which projects are sent is chosen in Jira, by the webhook's JQL filter (docs/integrations.md).</remarks>
internal static class JiraAdapter
{
    public static void Translate(HookContext context)
    {
        var body = context.Body;
        var webhookEvent = body.Text("webhookEvent");
        context.Event = webhookEvent ?? "unknown";
        var issue = body.At("issue") ?? default;
        var fields = issue.At("fields") ?? default;
        var statusChange = body.Items("changelog", "items").FirstOrDefault(i => i.Text("field") == "status");
        var transitioned = statusChange.ValueKind != System.Text.Json.JsonValueKind.Undefined;
        var done = fields.Text("status", "statusCategory", "key") == "done";
        var type = webhookEvent switch
        {
            "jira:issue_created" => "ticket.created",
            "jira:issue_updated" when done && transitioned => "ticket.closed",
            "jira:issue_updated" => "ticket.updated",
            _ => null,
        };
        if (type is null)
        {
            context.Unmapped($"Jira event '{webhookEvent}' is not translated");
            return;
        }

        if (transitioned)
        {
            context.Event = "jira:issue_transitioned";
        }

        var time = type == "ticket.created" ? fields.Time("created") : fields.Time("updated") ?? body.Time("timestamp");
        var content = new JsonObject
        {
            ["summary"] = fields.Text("summary"),
            ["ticketType"] = fields.Text("issuetype", "name"),
            ["group"] = fields.Text("project", "key"),
            ["creator"] = fields.Text("creator", "displayName") ?? fields.Text("reporter", "displayName"),
            ["assignees"] = fields.Text("assignee", "displayName") is { } assignee ? Values.Strings([assignee]) : null,
            ["priority"] = fields.Text("priority", "name"),
            ["labels"] = Values.Strings(fields.Items("labels").Select(l => l.Text())),
            ["uri"] = issue.Text("self"),
        };
        if (type != "ticket.created")
        {
            content["updatedBy"] = body.Text("user", "displayName");
        }

        if (type == "ticket.closed")
        {
            content["resolution"] = fields.Text("resolution", "name") ?? "completed";
        }

        context.Emit(type, issue.Text("key"), time, content, new JsonObject
        {
            ["project"] = fields.Text("project", "key"),
            ["status"] = fields.Text("status", "name"),
            ["statusCategory"] = fields.Text("status", "statusCategory", "key"),
            ["fromStatus"] = transitioned ? statusChange.Text("fromString") : null,
            ["toStatus"] = transitioned ? statusChange.Text("toString") : null,
            ["createdAt"] = Values.Time(fields.Time("created")),
            ["updatedAt"] = Values.Time(fields.Time("updated")),
        });
    }
}
