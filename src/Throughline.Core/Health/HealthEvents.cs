using Throughline.Intake;

namespace Throughline.Health;

/// <summary>
/// The events Throughline writes itself while it verifies a production deployment and acts on its verdict, so that
/// every verdict and every step is derived from stored events like everything else (<c>rebuild</c> gives the same).
/// </summary>
/// <remarks>
/// They are CDEvents custom types (<c>dev.cdeventsx.NAME.PREDICATE.0.1.0</c>) from one reserved source,
/// <see cref="Source"/>, which no caller of <c>POST /api/events</c> may claim (<see cref="ReservedSources"/>).
/// </remarks>
public static class HealthEvents
{
    /// <summary>The source of every event Throughline writes about release health.</summary>
    public const string Source = ReservedSources.Health;

    /// <summary>One measurement of a metric rule for a deployment under verification.</summary>
    public const string Measured = "verification-metric.measured";

    /// <summary>Someone (or the automatic policy) asked for a rollback of a failed deployment.</summary>
    public const string RollbackRequested = "rollback.requested";

    /// <summary>The rollback action was called; the outcome of the HTTP call (not the rollback's: the tool's event confirms that).</summary>
    public const string RollbackCalled = "rollback.called";

    /// <summary>The holders of the rollback and incident-response responsibilities were told.</summary>
    public const string Notified = "release-notification.sent";

}
