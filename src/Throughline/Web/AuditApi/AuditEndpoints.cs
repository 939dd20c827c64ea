using Microsoft.AspNetCore.Http.HttpResults;
using Throughline.Storage;
using Throughline.Web.Auth;
using Throughline.Web.Pages;

namespace Throughline.Web.AuditApi;

/// <summary>The audit log, for admins: <c>GET /api/audit</c> and the <c>/audit</c> page.</summary>
internal static class AuditEndpoints
{
    public const int DefaultLimit = 100;

    public sealed record AuditItem(long Sequence, DateTimeOffset At, string Actor, string Action, string What, string From, string Outcome);

    /// <summary>A page of the log, newest first; <paramref name="Older"/> is the <c>before</c> value of the next page, null at the end.</summary>
    public sealed record AuditList(IReadOnlyList<AuditItem> Items, long? Older);

    public static void MapAuditEndpoints(this WebApplication app)
    {
        app.MapGet("/api/audit", ListAsync)
            .RequireAuthorization(RoleRequirement.Admin.Name)
            .WithName("ListAudit")
            .WithSummary("The audit log, newest first: tokens created and revoked, sign-ins, refused requests, model reloads. Admins only.")
            .WithDescription("Page with before (a sequence number) and limit (1 to 1000, default 100). Refused requests are written once per " +
                "caller per minute; the others of that minute are counted in one 'request.refused.more' line.")
            .Produces<AuditList>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);
        app.MapGet("/audit", PageAsync).RequireAuthorization(RoleRequirement.Admin.Name).ExcludeFromDescription();
    }

    private static async Task<IResult> ListAsync(IEventStore store, string? before, string? limit, CancellationToken cancellationToken)
    {
        if (Read(before, limit) is not { } page)
        {
            return Problems.BadQuery(before is not null && !long.TryParse(before, out _) ? "before" : "limit",
                $"before is a sequence number; limit a whole number from 1 to {ListLimit.Max}");
        }

        var entries = await store.ListAuditAsync(page.Before, page.Limit, cancellationToken);
        return TypedResults.Ok(new AuditList(
            [.. entries.Select(e => new AuditItem(e.Sequence, e.Entry.At, e.Entry.Actor, e.Entry.Action, e.Entry.What, e.Entry.From, e.Entry.Outcome))],
            OlderThan(entries, page.Limit)));
    }

    private static async Task<IResult> PageAsync(IEventStore store, string? before, CancellationToken cancellationToken)
    {
        var page = Read(before, null) ?? (long.MaxValue, DefaultLimit);
        var entries = await store.ListAuditAsync(page.Before, page.Limit, cancellationToken);
        return new RazorComponentResult<AuditPage>(new Dictionary<string, object?>
        {
            [nameof(AuditPage.Entries)] = entries,
            [nameof(AuditPage.Older)] = OlderThan(entries, page.Limit),
        });
    }

    private static (long Before, int Limit)? Read(string? before, string? limit)
    {
        var older = long.MaxValue;
        return (before is null || long.TryParse(before, out older)) && ListLimit.Read(limit, DefaultLimit) is { } count
            ? (older, count)
            : null;
    }

    private static long? OlderThan(IReadOnlyList<AuditEntry> entries, int limit) => entries.Count == limit ? entries[^1].Sequence : null;
}
