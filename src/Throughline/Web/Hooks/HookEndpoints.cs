using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Throughline.Access;
using Throughline.Intake;
using Throughline.Intake.Hooks;
using Throughline.Model;
using Throughline.Storage;
using Throughline.Web.Events;
using Throughline.Web.Auth;
using Throughline.Web.ModelReload;

namespace Throughline.Web.Hooks;

/// <summary>The tools of the model in force, by id, the table of their kinds, and what has been logged about each.</summary>
internal sealed class HookTools(ModelInForce models, ToolKinds kinds, TimeProvider time)
{
    /// <summary>How often a tool's refused deliveries are logged at most: a flood of bad deliveries writes a line a minute, not one each.</summary>
    public static readonly TimeSpan RefusalLogInterval = TimeSpan.FromMinutes(1);

    private readonly ConcurrentDictionary<string, bool> _reported = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, DateTimeOffset> _lastRefusalLogged = new(StringComparer.Ordinal);

    /// <summary>The model in force now; a request reads it once.</summary>
    public OperatingModel? Model => models.Current.Model;

    public ToolKinds Kinds => kinds;

    /// <summary>True the first time a tool is reported, so the log says why once, not once per request.</summary>
    public bool FirstReport(string toolId) => _reported.TryAdd(toolId, true);

    /// <summary>True when a refused delivery to the tool is to be logged: none was in the last <see cref="RefusalLogInterval"/>.</summary>
    public bool RefusalToLog(string toolId)
    {
        var now = time.GetUtcNow();
        var last = _lastRefusalLogged.GetOrAdd(toolId, DateTimeOffset.MinValue);
        return now - last >= RefusalLogInterval && _lastRefusalLogged.TryUpdate(toolId, now, last);
    }
}

internal static partial class HookEndpoints
{
    public sealed record HookResponse(string Tool, string DeliveryId, string Event, bool Duplicate, int Accepted, bool Mapped, string? Reason);

    public static IServiceCollection AddHooks(this IServiceCollection services) =>
        services.AddSingleton(ToolKinds.Builtin).AddSingleton<HookTools>();

    public static void MapHookEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/hooks/{tool}", ReceiveAsync)
            .AllowAnonymous() // each tool proves a delivery with its own signature or token, checked by the hook
            .WithName("ReceiveHook")
            .WithSummary("Receives a tool's native webhook: verified, stored verbatim, translated into CDEvents.")
            .WithDescription("{tool} is a tool id from the operating model; its kind picks the adapter and how the delivery is verified " +
                "(see docs/integrations.md). The delivery is stored before 202 is answered; a re-delivery (same delivery id) is " +
                "acknowledged and changes nothing; a delivery that does not translate, or whose translation holds a field no engine may store, is " +
                "stored and listed as unmapped with the reason. A body that is not Unicode text (invalid UTF-8, a lone surrogate escape) is refused (400).")
            .Produces<HookResponse>(StatusCodes.Status202Accepted)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge);
    }

    private static async Task<IResult> ReceiveAsync(
        string tool, HttpRequest request, HookTools tools, IEventStore store, TimeProvider time, IOptions<IntakeOptions> options,
        ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var model = tools.Model;
        if (model?.Tools.FirstOrDefault(t => t.Id == tool) is not { } known)
        {
            return Problems.UnknownTool(tool, model?.Tools.Select(t => t.Id) ?? []);
        }

        var body = await EventEndpoints.RequestBody.ReadAsync(request, options.Value.MaxBodyBytes, cancellationToken);
        if (body is null)
        {
            return Problems.TooLarge(options.Value.MaxBodyBytes);
        }

        var headers = request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString(), StringComparer.Ordinal);
        var received = HookReceiver.Receive(known, model, headers, request.Query["token"].FirstOrDefault(), body.Value, time.GetUtcNow(), out var verification, tools.Kinds);
        if (received is null && verification.Verdict == HookVerdict.NotText)
        {
            return Problems.DeliveryNotText(known.Id, verification.Field, verification.Reason);
        }

        if (received is null)
        {
            var logger = loggers.CreateLogger("Throughline.Web.Hooks");
            if (verification.Verdict == HookVerdict.NotConfigured)
            {
                if (tools.FirstReport(known.Id))
                {
                    Log.NotConfigured(logger, known.Id, verification.Reason);
                }
            }
            else
            {
                if (tools.RefusalToLog(known.Id))
                {
                    Log.Rejected(logger, known.Id, verification.Reason);
                }

                // A wrong signature or token counts like any refused credential: throttled per address, and audited.
                var failure = new CredentialFailure(verification.Reason, null) { Actor = AuditActions.WebhookSender(known.Id) };
                if (await AccessRegistration.CountRefusedCredentialsAsync(request.HttpContext, failure) is { } throttled)
                {
                    return throttled;
                }
            }

            return Problems.Unauthorized(known.Id, verification.Reason);
        }

        var stored = await store.AppendDeliveryAsync(received.Delivery, received.Translation.Events, cancellationToken);
        return TypedResults.Json(
            new HookResponse(known.Id, received.Delivery.DeliveryId, received.Translation.Event, stored.Duplicate, stored.Accepted,
                received.Translation.IsMapped, received.Translation.UnmappedReason),
            statusCode: StatusCodes.Status202Accepted);
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Warning, Message = "Every delivery to /hooks/{ToolId} is refused: {Reason}")]
        public static partial void NotConfigured(ILogger logger, string toolId, string reason);

        [LoggerMessage(Level = LogLevel.Information, Message = "Delivery to /hooks/{ToolId} refused: {Reason} (a tool's refusals are logged once a minute at most)")]
        public static partial void Rejected(ILogger logger, string toolId, string reason);
    }
}
