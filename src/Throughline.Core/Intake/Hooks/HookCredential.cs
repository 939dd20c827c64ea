namespace Throughline.Intake.Hooks;

/// <summary>The ways tools prove that a delivery is their own (see <see cref="HookVerifier"/>).</summary>
internal enum CredentialScheme
{
    /// <summary>An HMAC-SHA256 of the raw body with the tool's <c>secret</c>, as hex after a prefix in a header.</summary>
    Signature,

    /// <summary>The tool's <c>token</c> in a header of its own.</summary>
    HeaderToken,

    /// <summary>The tool's <c>token</c> as <c>Authorization: Bearer TOKEN</c>, or <c>?token=TOKEN</c> for tools that cannot set headers.</summary>
    Bearer,
}

/// <summary>How one kind of tool proves that a delivery is its own.</summary>
/// <param name="Scheme">The way it proves it.</param>
/// <param name="Header">The header that carries the signature or token, as the tool's documentation writes it; null for <see cref="CredentialScheme.Bearer"/>.</param>
/// <param name="Prefix">What precedes each hex signature in the header (<c>sha256=</c>); null unless <see cref="CredentialScheme.Signature"/>.</param>
internal sealed record HookCredential(CredentialScheme Scheme, string? Header, string? Prefix)
{
    /// <summary><c>Authorization: Bearer TOKEN</c> or <c>?token=TOKEN</c>.</summary>
    public static HookCredential Bearer { get; } = new(CredentialScheme.Bearer, null, null);

    /// <summary>True when the tool signs bodies with a <c>secret</c>; false when it sends a <c>token</c>.</summary>
    public bool UsesSecret => Scheme == CredentialScheme.Signature;

    /// <summary>The model key the credential is configured under.</summary>
    public string Key => UsesSecret ? "secret" : "token";

    /// <summary>HMAC-SHA256 signatures in <paramref name="header"/>, each written <paramref name="prefix"/>HEX, comma-separated.</summary>
    public static HookCredential Signature(string header, string prefix) => new(CredentialScheme.Signature, header, prefix);

    /// <summary>The token in <paramref name="header"/>.</summary>
    public static HookCredential HeaderToken(string header) => new(CredentialScheme.HeaderToken, header, null);
}
