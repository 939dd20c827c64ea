using Throughline.Model;

namespace Throughline.Intake.Hooks;

/// <summary>One kind of tool, and everything Throughline needs to receive its webhooks.</summary>
/// <param name="Name">The kind as written in the model (<c>kind: github</c>) and stored with each delivery.</param>
/// <param name="Credential">How the tool proves that a delivery is its own.</param>
/// <param name="DeliveryId">Where the tool puts its own id for a delivery.</param>
/// <param name="Translate">Turns a verified delivery into CDEvents: for a webhook adapter, <see cref="ToolKinds.Adapter"/>.</param>
/// <param name="Emits">The standard events (<c>subject.predicate</c>) the translator can write; null when any (<c>cdevents</c>).</param>
internal sealed record ToolKindEntry(
    string Name, HookCredential Credential, DeliveryIdSource DeliveryId, Func<HookMessage, HookTranslation> Translate, IReadOnlySet<string>? Emits = null);

/// <summary>The table of tool kinds: per kind its name, credential, delivery id and translator.</summary>
/// <remarks>
/// The one place a kind is described: the model accepts exactly these names, and verification, delivery ids and
/// translation read their row. Adding a tool is one adapter file and one row (docs/integrations.md). Immutable.
/// </remarks>
public sealed class ToolKinds
{
    private readonly IReadOnlyList<ToolKindEntry> _entries;
    private readonly Dictionary<string, ToolKindEntry> _byName;

    private ToolKinds(IReadOnlyList<ToolKindEntry> entries)
    {
        _entries = entries;
        _byName = entries.ToDictionary(e => e.Name, StringComparer.Ordinal);
        Names = [.. entries.Select(e => e.Name)];
        SecretHeaders = entries.Where(e => e.Credential.Scheme == CredentialScheme.HeaderToken).Select(e => e.Credential.Header!.ToLowerInvariant())
            .Concat(["authorization", "cookie"]).ToHashSet(StringComparer.Ordinal);
        DeliveryIdHeaders = entries.SelectMany(e => e.DeliveryId.HeaderNames).Select(h => h.ToLowerInvariant()).ToHashSet(StringComparer.Ordinal);
        Events = entries.ToDictionary(e => e.Name, e => e.Emits, StringComparer.Ordinal);
    }

    /// <summary>The kinds Throughline ships, in the order the model's messages list them.</summary>
    public static ToolKinds Builtin { get; } = new([
        new("github", HookCredential.Signature("X-Hub-Signature-256", "sha256="), DeliveryIdSource.Headers("X-GitHub-Delivery"), Adapter(GitHubAdapter.Translate),
            Emits(Of("change"), Of("branch"), Of("pipelinerun"), Of("build"), Of("testcaserun", "queued", "started", "finished"), Of("service", "deployed"))),
        new("gitlab", HookCredential.HeaderToken("X-Gitlab-Token"), DeliveryIdSource.Headers("Idempotency-Key", "X-Gitlab-Event-UUID"), Adapter(GitLabAdapter.Translate),
            Emits(Of("change"), Of("branch"), Of("pipelinerun"), Of("build"), Of("service", "deployed"))),
        new("argocd", HookCredential.Bearer, DeliveryIdSource.BodyHash, Adapter(ArgoCdAdapter.Translate),
            Emits(Of("service", "deployed", "upgraded", "rolledback"), Of("incident", "detected", "resolved"))),
        new("jenkins", HookCredential.Bearer, DeliveryIdSource.BodyHash, Adapter(JenkinsAdapter.Translate), Emits(Of("pipelinerun"))),
        new("jira", HookCredential.Bearer, DeliveryIdSource.Headers("X-Atlassian-Webhook-Identifier"), Adapter(JiraAdapter.Translate), Emits(Of("ticket"))),
        new("pagerduty", HookCredential.Signature("X-PagerDuty-Signature", "v1="), DeliveryIdSource.Body(["event", "id"], "X-Webhook-Id"), Adapter(PagerDutyAdapter.Translate),
            Emits(Of("incident", "detected", "resolved"))),
        new("opsgenie", HookCredential.Bearer, DeliveryIdSource.BodyHash, Adapter(OpsgenieAdapter.Translate), Emits(Of("incident", "detected", "resolved"))),
        new("alertmanager", HookCredential.Bearer, DeliveryIdSource.BodyHash, Adapter(AlertmanagerAdapter.Translate), Emits(Of("incident", "detected", "resolved"))),
        new("cdevents", HookCredential.Bearer, DeliveryIdSource.BodyHash, HookTranslator.ReadCdEvents, null),
    ]);

    /// <summary>The kinds' names, in table order.</summary>
    public IReadOnlyList<string> Names { get; }

    /// <summary>Per kind, the standard events (<c>subject.predicate</c>) its tools can send; null when any. For the model's check of a stage's tool.</summary>
    public IReadOnlyDictionary<string, IReadOnlySet<string>?> Events { get; }

    /// <summary>The headers never stored with a delivery (lowercase): <c>Authorization</c>, <c>Cookie</c> and every kind's token header.</summary>
    internal IReadOnlySet<string> SecretHeaders { get; }

    /// <summary>The headers every kind's delivery ids are read from (lowercase): stored with each delivery, so that a replay sees them.</summary>
    internal IReadOnlySet<string> DeliveryIdHeaders { get; }

    /// <summary>The row of <paramref name="kind"/>.</summary>
    /// <exception cref="InvalidOperationException">The table has no such kind (the model only accepts kinds it has).</exception>
    internal ToolKindEntry this[ToolKind kind] =>
        _byName.TryGetValue(kind.Name, out var entry) ? entry : throw new InvalidOperationException($"No tool kind '{kind.Name}' in the table of tool kinds.");

    /// <summary>This table with <paramref name="entry"/> added, or put in place of the kind of the same name.</summary>
    internal ToolKinds With(ToolKindEntry entry) => new([.. _entries.Where(e => e.Name != entry.Name), entry]);

    private static HashSet<string> Emits(params IEnumerable<string>[] kinds) => kinds.SelectMany(k => k).ToHashSet(StringComparer.Ordinal);

    private static IEnumerable<string> Of(string subject, params string[] predicates) => EventVocabulary.Of(subject, predicates);

    /// <summary>The translator of a webhook adapter: the body is read as a JSON object and <paramref name="adapt"/> writes its events.</summary>
    internal static Func<HookMessage, HookTranslation> Adapter(Action<HookContext> adapt) => message => HookTranslator.Translate(message, adapt);
}
