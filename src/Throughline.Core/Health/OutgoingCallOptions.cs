namespace Throughline.Health;

/// <summary>How one outgoing call is made: signed or not, how patiently, and to which internal hosts it may go.</summary>
/// <param name="Secret">
/// The shared secret for <c>X-Throughline-Signature-256</c> (HMAC-SHA256 of the body's bytes); null or empty sends no signature.
/// </param>
/// <param name="Timeout">How long one attempt may take, from connecting to the answer's headers.</param>
/// <param name="Retries">How many times a failed attempt is tried again (0 for one attempt only).</param>
/// <param name="AllowHosts">
/// Hosts that may be internal addresses (see <see cref="InternalAddresses"/>): a host name or literal IP address as the URL
/// writes it (compared ignoring case, an IPv6 address with or without brackets). Empty for none.
/// </param>
/// <param name="IdempotencyKey">
/// Sent as <c>Idempotency-Key</c>, the same on every attempt, so a receiver that saw an attempt whose answer was lost can
/// tell the retry is the same call. The caller derives it from what the call is about (a deployment and a step).
/// </param>
/// <param name="AllowHostsSetting">The setting an operator edits to allow a host, named when an internal address is refused.</param>
public sealed record OutgoingCallOptions(
    string? Secret,
    TimeSpan Timeout,
    int Retries,
    IReadOnlyList<string> AllowHosts,
    string IdempotencyKey,
    string AllowHostsSetting = OutgoingCallOptions.RollbackAllowHostsSetting)
{
    /// <summary>The setting that allows internal hosts for the rollback action.</summary>
    public const string RollbackAllowHostsSetting = "health.rollback.action.allow-hosts";
}
