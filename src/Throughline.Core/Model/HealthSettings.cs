namespace Throughline.Model;

/// <summary>How production deployments are watched and tied to incidents, and how they are rolled back.</summary>
/// <param name="AttributionWindow">
/// How long after a deployment an incident may be attributed to it (for change failure rate);
/// <see cref="DefaultAttributionWindow"/> when not given.
/// </param>
/// <param name="VerificationWindow">How long a new production deployment is watched; null when not given (deployments are not watched).</param>
/// <param name="Rollback">How to roll back; null when not given (Throughline never rolls back).</param>
/// <remarks>Durations are written as a whole number and a unit: <c>90s</c>, <c>30m</c>, <c>24h</c>, <c>2d</c>.</remarks>
public sealed record HealthSettings(TimeSpan AttributionWindow, TimeSpan? VerificationWindow, RollbackSettings? Rollback)
{
    /// <summary>The attribution window when the file sets none: 24 hours.</summary>
    public static readonly TimeSpan DefaultAttributionWindow = TimeSpan.FromHours(24);

    /// <summary>The settings used when the file has no <c>health</c> section.</summary>
    public static HealthSettings Default { get; } = new(DefaultAttributionWindow, null, null);
}

/// <summary>How a failed production deployment is rolled back.</summary>
/// <param name="Automatic">True: act on a failed verification without asking; false (the default): ask the owner first.</param>
/// <param name="Owner">Who decides on and answers for a rollback; null when not given.</param>
/// <param name="Action">What Throughline calls to roll back; null when not given (the owner rolls back by hand).</param>
public sealed record RollbackSettings(bool Automatic, StageOwner? Owner, RollbackAction? Action);

/// <summary>A webhook that rolls a service back.</summary>
/// <param name="Webhook">An absolute http(s) URL; <c>{service}</c> in it is replaced by the service id.</param>
/// <param name="Secret">The key the call is signed with; null when not given.</param>
public sealed record RollbackAction(string Webhook, SecretValue? Secret);
