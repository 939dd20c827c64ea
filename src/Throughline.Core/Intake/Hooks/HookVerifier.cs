using System.Security.Cryptography;
using System.Text;
using Throughline.Model;

namespace Throughline.Intake.Hooks;

/// <summary>Whether a delivery may be trusted.</summary>
public enum HookVerdict
{
    /// <summary>The signature or token is right.</summary>
    Authentic,

    /// <summary>The signature or token is missing or wrong.</summary>
    Rejected,

    /// <summary>The tool has no secret or token configured: every delivery is refused until it has.</summary>
    NotConfigured,

    /// <summary>Authentic, but the body is not Unicode text (invalid UTF-8, or a <c>\u</c> escape of a lone surrogate): it
    /// could not be kept verbatim and read back by every reader, so it is refused and nothing is stored.</summary>
    NotText,
}

/// <summary>The verdict on a delivery and, when it is refused, why (for the answer and the log; never holds a secret).</summary>
/// <param name="Verdict">The verdict.</param>
/// <param name="Reason">Why it is refused; empty when authentic.</param>
/// <param name="Field">For <see cref="HookVerdict.NotText"/>, where in the body (a JSON path; empty for the body as a whole).</param>
public sealed record HookVerification(HookVerdict Verdict, string Reason, string Field = "");

/// <summary>Checks a delivery's authenticity the way its tool proves it (its kind's <see cref="HookCredential"/>).</summary>
/// <remarks>
/// <para><see cref="CredentialScheme.Signature"/>: the header holds <c>PREFIX HEX[,PREFIX HEX...]</c>, HMAC-SHA256 of the raw
/// body with the tool's <c>secret</c>; any one matching signature is enough (PagerDuty sends several while a secret is
/// rotated). <see cref="CredentialScheme.HeaderToken"/>: the header equals the tool's <c>token</c>.
/// <see cref="CredentialScheme.Bearer"/>: <c>Authorization: Bearer TOKEN</c>, or <c>?token=TOKEN</c> for tools that cannot
/// set headers. Which kind uses which is in <see cref="ToolKinds"/>.</para>
/// <para>Every comparison is constant-time (<see cref="CryptographicOperations.FixedTimeEquals"/>).</para>
/// </remarks>
internal static class HookVerifier
{
    /// <summary>Why the tool cannot verify anything, or null when the credential its kind uses is configured.</summary>
    internal static string? MissingCredential(Tool tool, HookCredential credential)
    {
        ArgumentNullException.ThrowIfNull(tool);
        ArgumentNullException.ThrowIfNull(credential);
        var key = credential.Key;
        var value = credential.UsesSecret ? tool.Secret : tool.Token;
        return value?.Value is { Length: > 0 }
            ? null
            : value?.VariableName is { } variable
                ? $"tool '{tool.Id}' ({tool.Kind.Name}) has no {key}: the environment variable {variable} is not set"
                : $"tool '{tool.Id}' ({tool.Kind.Name}) has no {key} in the model (a {tool.Kind.Name} tool needs '{key}: ${{VARIABLE}}')";
    }

    /// <summary>Verifies a delivery.</summary>
    /// <param name="tool">The tool it claims to come from.</param>
    /// <param name="headers">Its headers, names in lowercase.</param>
    /// <param name="queryToken">The <c>token</c> query parameter, if any.</param>
    /// <param name="body">The raw body, as signed.</param>
    /// <param name="kinds">The table of tool kinds; <see cref="ToolKinds.Builtin"/> when null.</param>
    public static HookVerification Verify(
        Tool tool, IReadOnlyDictionary<string, string> headers, string? queryToken, ReadOnlySpan<byte> body, ToolKinds? kinds = null)
    {
        ArgumentNullException.ThrowIfNull(tool);
        ArgumentNullException.ThrowIfNull(headers);
        var credential = (kinds ?? ToolKinds.Builtin)[tool.Kind].Credential;
        if (MissingCredential(tool, credential) is { } missing)
        {
            return new(HookVerdict.NotConfigured, missing);
        }

        var header = credential.Header is { } name ? headers.GetValueOrDefault(name.ToLowerInvariant()) : null;
        return credential.Scheme switch
        {
            CredentialScheme.Signature => Signature(tool.Secret!.Value!, header, credential.Prefix!, body, credential.Header!),
            CredentialScheme.HeaderToken => Token(tool.Token!.Value!, header, credential.Header!),
            _ => Token(tool.Token!.Value!, BearerToken(headers.GetValueOrDefault("authorization")) ?? queryToken, "Authorization: Bearer (or ?token=)"),
        };
    }

    /// <summary>The HMAC-SHA256 signature of <paramref name="body"/> with <paramref name="secret"/>, as lowercase hex.</summary>
    public static string Sign(string secret, ReadOnlySpan<byte> body) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));

    private static HookVerification Signature(string secret, string? header, string prefix, ReadOnlySpan<byte> body, string headerName)
    {
        if (string.IsNullOrWhiteSpace(header))
        {
            return new(HookVerdict.Rejected, $"the {headerName} header is missing");
        }

        var expected = Encoding.ASCII.GetBytes(Sign(secret, body));
        var matched = false;
        foreach (var part in header.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (part.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            {
                // Every candidate is compared, so the time taken does not tell which one matched.
                matched |= CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(part[prefix.Length..].ToLowerInvariant()));
            }
        }

        return matched ? new(HookVerdict.Authentic, "") : new(HookVerdict.Rejected, $"the {headerName} signature does not match the body");
    }

    private static HookVerification Token(string token, string? presented, string where)
    {
        if (string.IsNullOrEmpty(presented))
        {
            return new(HookVerdict.Rejected, $"no token was sent ({where})");
        }

        var expectedHash = SHA256.HashData(Encoding.UTF8.GetBytes(token));
        var presentedHash = SHA256.HashData(Encoding.UTF8.GetBytes(presented));
        // Hashing first makes the comparison constant-time whatever the lengths.
        return CryptographicOperations.FixedTimeEquals(expectedHash, presentedHash)
            ? new(HookVerdict.Authentic, "")
            : new(HookVerdict.Rejected, $"the token sent ({where}) is wrong");
    }

    private static string? BearerToken(string? authorization) =>
        authorization is not null && authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? authorization[7..].Trim() : null;
}
