namespace Throughline.Access;

/// <summary>Which CloudEvents sources an ingest token may write: anchored prefixes that end at a path boundary.</summary>
/// <remarks>
/// <c>/argocd</c> allows <c>/argocd</c> and <c>/argocd/prod</c>, never <c>/argocd-evil</c> nor <c>/x/argocd</c>: the prefix is
/// matched from the first character, and unless it ends in <c>/</c> the source must end there or continue with <c>/</c>.
/// Case matters, as it does in a URI path. A source with <c>.</c> or <c>..</c> segments is under no prefix.
/// </remarks>
public static class SourcePrefixes
{
    /// <summary>Whether <paramref name="source"/> lies under one of <paramref name="prefixes"/>.</summary>
    public static bool Allows(IReadOnlyList<string> prefixes, string source) => !ClimbsOut(source) && prefixes.Any(prefix => Under(prefix, source));

    /// <summary>A source with a <c>.</c> or <c>..</c> segment (also percent-encoded) could resolve outside its prefix
    /// (<c>/argocd/../jenkins</c>): never allowed under a prefix.</summary>
    private static bool ClimbsOut(string source) =>
        source.Split('/', '\\').Any(segment => segment.Replace("%2e", ".", StringComparison.OrdinalIgnoreCase) is "." or "..");

    private static bool Under(string prefix, string source) =>
        source.StartsWith(prefix, StringComparison.Ordinal)
        && (source.Length == prefix.Length || prefix.EndsWith('/') || source[prefix.Length] is '/' or '?' or '#');

    /// <summary>Why <paramref name="prefix"/> cannot be a token's source prefix, or null when it can.</summary>
    public static string? Problem(string prefix)
    {
        if (string.IsNullOrWhiteSpace(prefix))
        {
            return "a source prefix cannot be empty (to allow every source, use an admin token)";
        }

        if (prefix.Any(char.IsControl) || prefix.Any(char.IsWhiteSpace))
        {
            return $"source prefix '{prefix}' holds a space or control character";
        }

        return prefix.StartsWith('/') || Uri.TryCreate(prefix, UriKind.Absolute, out _)
            ? null
            : $"source prefix '{prefix}' is neither a path starting with '/' (such as /argocd) nor an absolute URI (such as https://ci.example.com/)";
    }
}
