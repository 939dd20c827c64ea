using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Throughline.Timeline;

/// <summary>A fingerprint of a snapshot's whole content, to show two computations agree exactly.</summary>
/// <remarks>
/// Store positions (sequence numbers) are left out: they depend on arrival order, the content does not. The source of the
/// deployment a delivery or an incident names is left out too, so that digests stay comparable with those computed before it
/// was recorded: it is covered all the same, by the deployment's own source, id, delivered changes and incidents.
/// </remarks>
public static class TimelineDigest
{
    /// <summary>SHA-256 (hex) of the snapshot in a canonical JSON form.</summary>
    public static string Compute(TimelineSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var canonical = new
        {
            changes = snapshot.Changes.Values.OrderBy(c => c.Id, StringComparer.Ordinal).Select(c => new
            {
                c.Id,
                c.Repository,
                c.Title,
                c.Author,
                c.Services,
                c.FirstCommitAt,
                c.CreatedAt,
                c.FirstReviewAt,
                c.Reviews,
                c.MergedAt,
                c.AbandonedAt,
                c.MergeSha,
                c.State,
                c.Artifacts,
                Deliveries = c.Deliveries.Select(d => new { d.DeploymentId, d.Service, d.Environment, d.Production, d.At, d.RodeAlong }),
                c.FirstProductionDeliveryAt,
                c.PredatesHistory,
                c.LeadTimeHours,
                c.Stages,
                Events = c.EventSequences.Count,
                c.EventsHash,
            }),
            // The facts a deployment holds are named by source and id: their sequence numbers depend on the order they were stored in.
            deployments = snapshot.Deployments.Select(d => new
            {
                d.Id,
                d.Service,
                d.Environment,
                d.Production,
                d.At,
                d.ArtifactId,
                d.IsRollback,
                d.ChangeId,
                d.Delivered,
                d.Incidents,
                d.RolledBackAt,
                d.Source,
                Checks = (d.Checks ?? []).Select(f => f.Source + "\n" + f.Id),
                HealthEvents = (d.HealthEvents ?? []).Select(f => f.Source + "\n" + f.Id),
                d.Next,
                d.NextAt,
            }),
            incidents = snapshot.Incidents.OrderBy(i => i.Id, StringComparer.Ordinal)
                .Select(i => new IncidentDigest(i.Id, i.Service, i.Environment, i.DetectedAt, i.ResolvedAt, i.ArtifactId, i.DeploymentId, i.Basis, i.UnattributedReason, i.Labels, i.ResolvedBy)),
        };
        // Streamed through the hash: the canonical text of a large timeline is hundreds of megabytes.
        using var sha = SHA256.Create();
        using (var hashing = new CryptoStream(Stream.Null, sha, CryptoStreamMode.Write))
        {
            JsonSerializer.Serialize(hashing, canonical);
        }

        return Convert.ToHexStringLower(sha.Hash!);
    }

    /// <summary>An incident as the digest reads it; the fields added later are written only when present, so that digests of
    /// timelines without them stay what they were.</summary>
    private sealed record IncidentDigest(
        string Id, string? Service, string? Environment, DateTimeOffset DetectedAt, DateTimeOffset? ResolvedAt, string? ArtifactId, string? DeploymentId,
        string? Basis, string? UnattributedReason,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<string>? Labels,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? ResolvedBy);
}
