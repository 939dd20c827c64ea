using System.Security.Cryptography;
using System.Text;
using Throughline.Intake.Hooks;

namespace Throughline.Health;

/// <summary>The signature of Throughline's outgoing calls: <c>X-Throughline-Signature-256: sha256=HEX</c>, the lowercase hex
/// HMAC-SHA256 of the body's exact bytes with the shared secret (the scheme GitHub's webhooks use, so receivers know it).</summary>
public static class OutgoingSignature
{
    /// <summary>The header that carries it.</summary>
    public const string Header = "X-Throughline-Signature-256";

    private const string Prefix = "sha256=";

    /// <summary>The header's value for <paramref name="body"/> signed with <paramref name="secret"/>.</summary>
    public static string Of(string secret, ReadOnlySpan<byte> body) => Prefix + HookVerifier.Sign(secret, body);

    /// <summary>Whether <paramref name="header"/> is the signature of <paramref name="body"/> with <paramref name="secret"/>, compared in constant time.</summary>
    public static bool Matches(string secret, string? header, ReadOnlySpan<byte> body) =>
        header is not null && header.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase)
        && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Of(secret, body)), Encoding.ASCII.GetBytes(Prefix + header[Prefix.Length..].Trim().ToLowerInvariant()));
}
