using System.Text.Json;
using System.Text.Json.Nodes;

namespace Throughline.Intake.Hooks;

/// <summary>PagerDuty v3 webhooks: incident triggered, acknowledged, reopened, escalated → detected; resolved → resolved.</summary>
/// <remarks>The actor is the event's agent when it is a user (who resolved it, on a resolution); an incident carries no labels
/// (its priority and urgency say how bad, not what about).</remarks>
internal static class PagerDutyAdapter
{
    public static void Translate(HookContext context)
    {
        var pdEvent = context.Body.At("event") ?? default;
        var type = pdEvent.Text("event_type");
        context.Event = type ?? "unknown";
        var incident = pdEvent.At("data") ?? default;
        var cdType = type switch
        {
            "incident.triggered" or "incident.acknowledged" or "incident.reopened" or "incident.escalated" => "incident.detected",
            "incident.resolved" => "incident.resolved",
            _ => null,
        };
        if (cdType is null)
        {
            context.Unmapped($"PagerDuty event '{type}' is not translated");
            return;
        }

        // Detection is when the incident was created; later signals about it (escalated) keep that time when they carry it.
        var time = cdType == "incident.detected" ? incident.Time("created_at") ?? pdEvent.Time("occurred_at") : pdEvent.Time("occurred_at");
        var service = incident.Text("service", "summary");
        var environment = context.DefaultIncidentEnvironment;
        context.Emit(cdType, incident.Text("id"), time,
            new JsonObject
            {
                ["description"] = incident.Text("title"),
                ["environment"] = Values.Reference(environment),
                ["service"] = Values.Reference(service, incident.Text("service", "html_url")),
            },
            new JsonObject
            {
                ["service"] = service,
                ["serviceId"] = incident.Text("service", "id"),
                ["environment"] = environment,
                ["status"] = incident.Text("status"),
                ["number"] = incident.Number("number"),
                ["urgency"] = incident.Text("urgency"),
                ["priority"] = incident.Text("priority", "summary"),
                ["url"] = incident.Text("html_url"),
                ["occurredAt"] = Values.Time(pdEvent.Time("occurred_at")),
                ["actor"] = pdEvent.Text("agent", "type") == "user_reference" ? pdEvent.Text("agent", "summary") : null,
            });
    }
}

/// <summary>Opsgenie alert webhooks: Create and Acknowledge → incident detected, Close → resolved.</summary>
/// <remarks><c>createdAt</c> is epoch milliseconds and <c>updatedAt</c> epoch nanoseconds; both read as instants. The alert's
/// <c>tags</c> are its labels, its <c>username</c> the actor (who closed it, on a close).</remarks>
internal static class OpsgenieAdapter
{
    public static void Translate(HookContext context)
    {
        var body = context.Body;
        var action = body.Text("action");
        context.Event = action ?? "unknown";
        var alert = body.At("alert") ?? default;
        var (type, time) = action switch
        {
            "Create" or "Acknowledge" => ("incident.detected", alert.Time("createdAt")),
            "Close" => ("incident.resolved", alert.Time("updatedAt")),
            _ => (null, null),
        };
        if (type is null)
        {
            context.Unmapped($"Opsgenie action '{action}' is not translated");
            return;
        }

        var service = alert.Text("details", context.LabelFor("service")) ?? alert.Text("entity");
        var environment = alert.Text("details", context.LabelFor("environment")) ?? context.DefaultIncidentEnvironment;
        context.Emit(type, alert.Text("alertId"), time,
            new JsonObject
            {
                ["description"] = alert.Text("message"),
                ["environment"] = Values.Reference(environment),
                ["service"] = Values.Reference(service),
            },
            new JsonObject
            {
                ["service"] = service,
                ["environment"] = environment,
                ["alias"] = alert.Text("alias"),
                ["tinyId"] = alert.Text("tinyId"),
                ["priority"] = alert.Text("priority"),
                ["createdAt"] = Values.Time(alert.Time("createdAt")),
                ["updatedAt"] = Values.Time(alert.Time("updatedAt")),
                ["labels"] = Values.Labels(alert.Items("tags").Select(t => t.Text())),
                ["actor"] = alert.Text("username"),
            });
    }
}

/// <summary>Prometheus Alertmanager webhooks (version 4): each firing alert → incident detected, each resolved one → resolved.</summary>
/// <remarks>
/// The service and environment are the alert labels the tool's <c>labels</c> name (default: labels <c>service</c> and
/// <c>environment</c>). The incident id is the alert's fingerprint and start time, so a firing and its resolution
/// name the same incident and a later firing of the same alert is a new one. Its label is the alert rule's name
/// (<c>alertname</c>): what fired.
/// </remarks>
internal static class AlertmanagerAdapter
{
    public static void Translate(HookContext context)
    {
        var body = context.Body;
        context.Event = $"alerts.{body.Text("status") ?? "unknown"}";
        if (body.At("alerts") is not { ValueKind: JsonValueKind.Array })
        {
            context.Unmapped("the body has no alerts list (is it an Alertmanager webhook, version 4?)");
            return;
        }

        foreach (var alert in body.Items("alerts"))
        {
            var status = alert.Text("status");
            var type = status switch { "firing" => "incident.detected", "resolved" => "incident.resolved", _ => null };
            if (type is null)
            {
                continue;
            }

            var service = alert.Text("labels", context.LabelFor("service")) ?? body.Text("commonLabels", context.LabelFor("service"));
            var environment = alert.Text("labels", context.LabelFor("environment")) ?? body.Text("commonLabels", context.LabelFor("environment"));
            var startsAt = alert.Time("startsAt");
            var fingerprint = alert.Text("fingerprint");
            context.Emit(type, fingerprint is null ? null : $"{fingerprint}@{Values.Time(startsAt)}",
                type == "incident.detected" ? startsAt : alert.Time("endsAt"),
                new JsonObject
                {
                    ["description"] = alert.Text("annotations", "summary") ?? alert.Text("labels", "alertname"),
                    ["environment"] = Values.Reference(environment),
                    ["service"] = Values.Reference(service),
                },
                new JsonObject
                {
                    ["alertName"] = alert.Text("labels", "alertname"),
                    ["service"] = service,
                    ["environment"] = environment,
                    ["severity"] = alert.Text("labels", "severity"),
                    ["startsAt"] = Values.Time(startsAt),
                    ["endsAt"] = Values.Time(alert.Time("endsAt")),
                    ["groupKey"] = body.Text("groupKey"),
                    ["url"] = alert.Text("generatorURL"),
                    ["labels"] = Values.Labels([alert.Text("labels", "alertname")]),
                });
        }
    }
}
