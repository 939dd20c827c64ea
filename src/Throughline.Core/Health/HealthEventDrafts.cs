using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Throughline.Intake;
using Throughline.Storage;
using Throughline.Timeline;

namespace Throughline.Health;

/// <summary>
/// Builds the release-health events Throughline stores (<see cref="HealthEvents"/>). Their ids are derived from what they are
/// about (the deployment, the rule and the measurement's due time; the step), so a second node or a restart that does the same
/// work again stores nothing new: the store keeps one event per source and id.
/// </summary>
public static class HealthEventDrafts
{
    private const string Version = ".0.1.0";

    /// <summary>A metric rule measured for a deployment at its due time.</summary>
    public static EventDraft Measured(Deployment deployment, string rule, DateTimeOffset due, double? value, string? noDataReason, bool? failed, double? baseline = null)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        var custom = Common(deployment);
        custom["name"] = rule;
        custom["value"] = value;
        custom["baseline"] = baseline;
        custom["outcome"] = value is null ? "no-data" : failed == true ? "failure" : "success";
        custom["detail"] = noDataReason;
        return Draft(HealthEvents.Measured, $"measured:{Key(deployment)}:{rule}:{due.UtcDateTime.ToString("O", CultureInfo.InvariantCulture)}", deployment, due, custom);
    }

    /// <summary>A rollback asked for, by a person or by the automatic policy (<paramref name="actor"/> <c>policy</c>).</summary>
    /// <param name="deployment">The failed deployment.</param>
    /// <param name="actor">Who asked: a person's id, a token's name, or <c>policy</c>.</param>
    /// <param name="to">The artifact to roll back to, when the person named one.</param>
    /// <param name="at">When.</param>
    /// <param name="detail">What was asked, in a sentence.</param>
    public static EventDraft RollbackRequested(Deployment deployment, string actor, string? to, DateTimeOffset at, string detail)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        var custom = Common(deployment);
        custom["actor"] = actor;
        custom["name"] = to;
        custom["detail"] = detail;
        return Draft(HealthEvents.RollbackRequested, $"rollback-requested:{Key(deployment)}", deployment, at, custom);
    }

    /// <summary>The rollback action's HTTP call and how it went.</summary>
    public static EventDraft RollbackCalled(Deployment deployment, string requestId, bool succeeded, DateTimeOffset at, string detail)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        var custom = Common(deployment);
        custom["actor"] = "throughline";
        custom["outcome"] = succeeded ? "success" : "failure";
        custom["detail"] = detail;
        custom["request"] = requestId;
        return Draft(HealthEvents.RollbackCalled, $"rollback-called:{Key(deployment)}", deployment, at, custom);
    }

    /// <summary>A notification about <paramref name="step"/> of the deployment's verdict.</summary>
    public static EventDraft Notified(Deployment deployment, string step, bool succeeded, DateTimeOffset at, string detail)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        var custom = Common(deployment);
        custom["actor"] = "throughline";
        custom["name"] = step;
        custom["outcome"] = succeeded ? "success" : "failure";
        custom["detail"] = detail;
        return Draft(HealthEvents.Notified, $"notified:{Key(deployment)}:{step}", deployment, at, custom);
    }

    /// <summary>The key Throughline's calls about a deployment share (idempotency keys, event ids): a hash of its source and id.</summary>
    public static string Key(Deployment deployment)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(deployment.Source + "\n" + deployment.Id));
        return Convert.ToHexStringLower(hash.AsSpan(0, 12));
    }

    private static JsonObject Common(Deployment deployment) => new()
    {
        ["deploymentSource"] = deployment.Source,
        ["service"] = deployment.Service,
        ["environment"] = deployment.Environment,
        ["artifactId"] = deployment.ArtifactId,
    };

    private static EventDraft Draft(string kind, string id, Deployment deployment, DateTimeOffset at, JsonObject custom)
    {
        var type = CdEventVocabulary.CustomPrefix + kind + Version;
        var payload = new JsonObject
        {
            ["context"] = new JsonObject
            {
                ["specversion"] = "0.4.1",
                ["id"] = id,
                ["source"] = HealthEvents.Source,
                ["type"] = type,
                ["timestamp"] = at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture),
            },
            ["subject"] = new JsonObject { ["id"] = deployment.Id, ["content"] = new JsonObject() },
            ["customData"] = custom,
        };
        return new EventDraft(HealthEvents.Source, id, type, deployment.Id, at, "0.4.1", true, "throughline", payload.ToJsonString());
    }
}
