using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using Throughline.Health;
using Throughline.Simulation;
using Throughline.Storage;

namespace Throughline.Web.Demo;

/// <summary>The answer to a rollback call the demo's Argo CD took (202): taken, not yet done.</summary>
/// <param name="Status">Always <c>accepted</c>.</param>
/// <param name="Service">The service to roll back.</param>
/// <param name="IdempotencyKey">The call's key; a retry with it does nothing more.</param>
internal sealed record DemoRollbackAccepted(string Status, string Service, string IdempotencyKey);

/// <summary>
/// The demo's stand-in for Argo CD's rollback: takes Throughline's rollback action calls, answers 202 at once and, a moment
/// later (<see cref="DemoToolsSettings.RollbackTime"/>), rolls the service back in the simulation and stores the
/// <c>service.rolledback</c> event Argo CD sends, from the source the simulated Argo CD deploys production from.
/// </summary>
/// <remarks>
/// A call is refused with 401 unless <c>X-Throughline-Signature-256</c> is <c>sha256=</c> and the HMAC-SHA256 of the raw body
/// with the demo's secret, in hex. One rollback per <c>Idempotency-Key</c> (the body's <c>idempotencyKey</c> when the header
/// is missing): a retry with a key already taken is answered 202 again and does nothing more. The 202 says only that the call
/// was taken; the stored event says the rollback is done, as Argo CD's own event would.
/// </remarks>
internal sealed class DemoRollbacks(DemoToolsSettings settings, DemoToolsInbox received) : IAsyncDisposable
{
    /// <summary>The header holding the body's signature.</summary>
    public const string SignatureHeader = OutgoingSignature.Header;

    /// <summary>The header naming one rollback, however often it is retried.</summary>
    public const string IdempotencyHeader = "Idempotency-Key";

    private readonly ConcurrentDictionary<string, DemoRollbackCall> _calls = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();
    private IEventStore? _store;

    /// <summary>Gives the store the rollbacks' events go to.</summary>
    public void Connect(IEventStore store) => Volatile.Write(ref _store, store);

    /// <summary>Takes one call to <c>POST /rollback/{service}</c>.</summary>
    public async Task<IResult> ReceiveAsync(string service, HttpRequest request, CancellationToken cancellationToken)
    {
        var body = await DemoTools.ReadBodyAsync(request, cancellationToken);
        if (!Signed(request.Headers[SignatureHeader].ToString(), body))
        {
            return Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: $"The {SignatureHeader} signature is missing or does not match the body.");
        }

        if (DemoTools.Parse(body) is not { ValueKind: JsonValueKind.Object } call)
        {
            return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "The rollback call is not a JSON object.");
        }

        var key = request.Headers[IdempotencyHeader].ToString() is { Length: > 0 } header ? header : DemoTools.Text(call, "idempotencyKey");
        var artifact = DemoTools.Text(call, "artifact");
        if (key is null || artifact is null)
        {
            return Results.Problem(statusCode: StatusCodes.Status400BadRequest,
                title: key is null ? $"The {IdempotencyHeader} header is missing." : "The rollback call names no 'artifact' to roll back from.");
        }

        if (Volatile.Read(ref _store) is not { } store)
        {
            return Results.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "The demo is still starting.");
        }

        var to = DemoTools.Text(call, "to");
        var done = new TaskCompletionSource<SimulatedRollback?>(TaskCreationOptions.RunContinuationsAsynchronously);
        var taken = new DemoRollbackCall(service, key, artifact, to, Encoding.UTF8.GetString(body), done.Task);
        if (_calls.TryAdd(key, taken))
        {
            received.Add(taken);
            var by = DemoTools.Text(call, "requestedBy") is { } person ? $" (asked by {person})" : "";
            received.Say(settings.Console, $"demo: argocd ← rollback {service} to {to ?? "the artifact before " + artifact}{by}");
            _ = RollBackAsync(taken, store, done);
        }

        return Results.Accepted(value: new DemoRollbackAccepted("accepted", service, key));
    }

    /// <summary>Stops the rollbacks under way (their events are not stored) and waits for them.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        await ((Task)Task.WhenAll(_calls.Values.Select(c => c.Done))).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stopping.Dispose();
    }

    private bool Signed(string header, byte[] body) => OutgoingSignature.Matches(settings.Secret, header, body);

    private async Task RollBackAsync(DemoRollbackCall call, IEventStore store, TaskCompletionSource<SimulatedRollback?> done)
    {
        try
        {
            await Task.Delay(settings.RollbackTime, settings.Clock, _stopping.Token);
            var at = settings.Clock.GetUtcNow();
            if (settings.Simulator.RollBack(call.Service, call.Artifact, call.To, call.IdempotencyKey, at) is not { } rollback)
            {
                received.Say(settings.Console, $"demo: argocd cannot roll {call.Service} back: it knows no production artifact before {call.Artifact}");
                done.SetResult(null);
                return;
            }

            await store.AppendAsync(SimulatedEventReader.ToDrafts([rollback.Event], "demo"), at, _stopping.Token);
            received.Say(settings.Console, $"demo: argocd → {call.Service} rolled back to {rollback.To}");
            done.SetResult(rollback);
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            done.SetResult(null);
        }
        catch (Exception exception) when (TransientFailures.Include(exception))
        {
            // As when a real tool fails after accepting the call: no event confirms the rollback, and Throughline shows that.
            received.Say(settings.Console, $"demo: argocd could not record the rollback of {call.Service}: {exception.Message}");
            done.SetResult(null);
        }
        catch (Exception exception)
        {
            done.SetException(exception);
        }
    }
}
