namespace Throughline.Access;

/// <summary>The kinds of line the audit log holds (its <c>action</c> column).</summary>
public static class AuditActions
{
    public const string TokenCreated = "token.created";
    public const string TokenRevoked = "token.revoked";
    public const string SignedIn = "sign-in";
    public const string SignInRefused = "sign-in.refused";
    public const string SignedOut = "sign-out";
    public const string RequestRefused = "request.refused";
    public const string RefusalsHeldBack = "request.refused.more";
    public const string ModelReloaded = "model.reloaded";
    public const string ModelRefused = "model.refused";

    /// <summary>The outcome of an action that was carried out.</summary>
    public const string Done = "done";
}
