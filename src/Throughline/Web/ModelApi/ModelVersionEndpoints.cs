using Throughline.Storage;

namespace Throughline.Web.ModelApi;

/// <summary>The operating models the server put in force, each kept with its text, and what changed between two.</summary>
internal static class ModelVersionEndpoints
{
    /// <summary>One version: its number, hash (SHA-256 of the YAML), when it took effect and where it came from.</summary>
    public sealed record VersionSummary(long N, string Hash, DateTimeOffset EffectiveAt, string Origin)
    {
        public static VersionSummary From(ModelVersion version) => new(version.Number, version.Hash, version.EffectiveAt, version.Origin);
    }

    /// <summary>One version with its YAML, exactly as loaded.</summary>
    public sealed record VersionDocument(long N, string Hash, DateTimeOffset EffectiveAt, string Origin, string Yaml);

    public static void MapModelVersionEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/model/versions", ListAsync)
            .WithName("ListModelVersions")
            .WithSummary("Every operating model the server put in force, oldest first; the last is the one in force.")
            .Produces<IReadOnlyList<VersionSummary>>();
        app.MapGet("/api/model/versions/{n:long}", GetAsync)
            .WithName("GetModelVersion")
            .WithSummary("One model version with its YAML, exactly as loaded.")
            .Produces<VersionDocument>()
            .ProducesProblem(StatusCodes.Status404NotFound);
        app.MapGet("/api/model/versions/{n:long}/diff", DiffAsync)
            .WithName("DiffModelVersions")
            .WithSummary("What changed from version 'from' (default: the one before) to version n, as a unified line diff (text/plain; empty when equal).")
            .Produces<string>(contentType: "text/plain")
            .ProducesProblem(StatusCodes.Status404NotFound);
    }

    private static async Task<IResult> ListAsync(IEventStore store, CancellationToken cancellationToken) =>
        TypedResults.Ok((await store.ListModelVersionsAsync(cancellationToken)).Select(VersionSummary.From).ToList());

    private static async Task<IResult> GetAsync(long n, IEventStore store, CancellationToken cancellationToken) =>
        await store.FindModelVersionAsync(n, cancellationToken) is { } stored
            ? TypedResults.Ok(new VersionDocument(n, stored.Version.Hash, stored.Version.EffectiveAt, stored.Version.Origin, stored.Yaml))
            : Problems.NotFound("model version", n);

    private static async Task<IResult> DiffAsync(long n, long? from, IEventStore store, CancellationToken cancellationToken)
    {
        var before = from ?? n - 1;
        if (await store.FindModelVersionAsync(n, cancellationToken) is not { } after)
        {
            return Problems.NotFound("model version", n);
        }

        if (await store.FindModelVersionAsync(before, cancellationToken) is not { } earlier)
        {
            return Problems.NotFound("model version", before);
        }

        return TypedResults.Text(LineDiff.Unified(earlier.Yaml, after.Yaml, $"version {before}", $"version {n}"), "text/plain");
    }
}
