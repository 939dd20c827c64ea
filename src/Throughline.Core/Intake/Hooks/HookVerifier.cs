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
}

/// <summary>The verdict on a delivery and, when it is refused, why (for the answer and the log; never holds a secret).</summary>
public sealed record HookVerification(HookVerdict Verdict, string Reason);

/// <summary>Checks a delivery's authenticity the way its tool proves it.</summary>
/// <remarks>
/// <para>github: <c>X-Hub-Signature-256: sha256=HEX</c>, HMAC-SHA256 of the raw body with the tool's <c>secret</c>.
/// pagerduty: <c>X-PagerDuty-Signature: v1=HEX[,v1=HEX...]</c>, the same HMAC; any one matching signature is enough (PagerDuty
/// sends several while a secret is rotated). gitlab: <c>X-Gitlab-Token</c> equal to the tool's <c>token</c>. Every other
/// kind: <c>Authorization: Bearer TOKEN</c>, or <c>?token=TOKEN</c> for tools that cannot set headers.</para>
/// <para>Every comparison is constant-time (<see cref="CryptographicOperations.FixedTimeEquals"/>).</para>
/// </remarks>
public static class HookVerifier
{
    /// <summary>True when <paramref name="kind"/> signs bodies with a <c>secret</c>; false when it sends a <c>token</c>.</summary>
    public static bool UsesSecret(ToolKind kind) => kind is ToolKind.GitHub or ToolKind.PagerDuty;

    /// <summary>Why the tool cannot verify anything, or null when its credential is configured.</summary>
    public static string? MissingCredential(Tool tool)
    {
        ArgumentNullException.ThrowIfNull(tool);
        var key = UsesSecret(tool.Kind) ? "secret" : "token";
        var value = UsesSecret(tool.Kind) ? tool.Secret : tool.Token;
        return value?.Value is { Length: > 0 }
            ? null
            : value?.VariableName is { } variable
                ? $"tool '{tool.Id}' ({HookTranslator.KindName(tool.Kind)}) has no {key}: the environment variable {variable} is not set"
                : $"tool '{tool.Id}' ({HookTranslator.KindName(tool.Kind)}) has no {key} in the model (a {HookTranslator.KindName(tool.Kind)} tool needs '{key}: ${{VARIABLE}}')";
    }

    /// <summary>Verifies a delivery.</summary>
    /// <param name="tool">The tool it claims to come from.</param>
    /// <param name="headers">Its headers, names in lowercase.</param>
    /// <param name="queryToken">The <c>token</c> query parameter, if any.</param>
    /// <param name="body">The raw body, as signed.</param>
    public static HookVerification Verify(Tool tool, IReadOnlyDictionary<string, string> headers, string? queryToken, ReadOnlySpan<byte> body)
    {
        ArgumentNullException.ThrowIfNull(tool);
        ArgumentNullException.ThrowIfNull(headers);
        if (MissingCredential(tool) is { } missing)
        {
            return new(HookVerdict.NotConfigured, missing);
        }

        return tool.Kind switch
        {
            ToolKind.GitHub => Signature(tool.Secret!.Value!, headers.GetValueOrDefault("x-hub-signature-256"), "sha256=", body, "X-Hub-Signature-256"),
            ToolKind.PagerDuty => Signature(tool.Secret!.Value!, headers.GetValueOrDefault("x-pagerduty-signature"), "v1=", body, "X-PagerDuty-Signature"),
            ToolKind.GitLab => Token(tool.Token!.Value!, headers.GetValueOrDefault("x-gitlab-token"), "X-Gitlab-Token"),
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
