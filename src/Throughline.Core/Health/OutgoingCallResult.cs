namespace Throughline.Health;

/// <summary>What became of an outgoing call.</summary>
/// <param name="Succeeded">True when the receiver answered 2xx.</param>
/// <param name="Status">The status of the last answer, or null when the last attempt got none (refused, unreachable, timed out).</param>
/// <param name="Attempts">How many requests were tried; a refusal is not one (0 when the call was refused at once).</param>
/// <param name="Errors">
/// One short line per failed attempt, in order, naming the receiver by its origin only (<c>https://hooks.slack.com/…</c>):
/// a webhook URL's path or query is often its secret, so no line holds them, nor any user information.
/// </param>
/// <param name="Refusal">
/// Why the call was refused before anything was sent, or null: an internal address (naming it and how to allow the host), a
/// scheme other than http and https. A refusal is never retried.
/// </param>
/// <param name="RefusedAddress">The internal address the URL's host is or resolved to, when that is why it was refused.</param>
public sealed record OutgoingCallResult(
    bool Succeeded, int? Status, int Attempts, IReadOnlyList<string> Errors, string? Refusal = null, string? RefusedAddress = null)
{
    /// <summary>True when nothing was sent because the URL is not one Throughline may call as it stands.</summary>
    public bool Refused => Refusal is not null;

    /// <summary>True when nothing was sent because the host is or resolved to an internal address and is not allowed.</summary>
    public bool RefusedInternalAddress => RefusedAddress is not null;
}
