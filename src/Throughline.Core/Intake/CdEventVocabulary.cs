using Throughline.Model;

namespace Throughline.Intake;

/// <summary>The CDEvents types Throughline understands, across spec versions 0.3 to 0.6-draft.</summary>
/// <remarks>
/// A type reads <c>dev.cdevents.SUBJECT.PREDICATE.VERSION</c>. Custom types (<c>dev.cdeventsx.*</c>) and
/// subject/predicate pairs missing from <see cref="EventVocabulary"/> (the one list, in Model) are valid but unmapped: stored and reported, not interpreted.
/// </remarks>
internal static class CdEventVocabulary
{
    /// <summary>The prefix of every standard CDEvents type.</summary>
    public const string StandardPrefix = "dev.cdevents.";

    /// <summary>The prefix of custom CDEvents types.</summary>
    public const string CustomPrefix = "dev.cdeventsx.";

    /// <summary>True when <paramref name="type"/> has a CDEvents prefix, standard or custom.</summary>
    public static bool HasCdEventsPrefix(string type) =>
        type.StartsWith(StandardPrefix, StringComparison.Ordinal) || type.StartsWith(CustomPrefix, StringComparison.Ordinal);

    /// <summary>Reads the subject and predicate of a standard type; false for custom or malformed types.</summary>
    public static bool TryParse(string type, out string subject, out string predicate)
    {
        subject = predicate = "";
        if (!type.StartsWith(StandardPrefix, StringComparison.Ordinal))
        {
            return false;
        }

        var parts = type[StandardPrefix.Length..].Split('.');
        // SUBJECT.PREDICATE.MAJOR.MINOR.PATCH (a pre-release suffix may follow the patch).
        if (parts.Length < 5 || parts[0].Length == 0 || parts[1].Length == 0)
        {
            return false;
        }

        subject = parts[0];
        predicate = parts[1];
        return true;
    }

    /// <summary>True when Throughline interprets events of <paramref name="type"/>.</summary>
    /// <remarks>Custom types are unmapped, except Throughline's own (<c>dev.cdeventsx.git-push.received.0.1.0</c> and the
    /// other <c>git-*</c> types the tool adapters write; see docs/integrations.md).</remarks>
    public static bool IsMapped(string type) =>
        (TryParse(type, out var subject, out var predicate) && EventVocabulary.Kinds.Contains(subject + "." + predicate)) || IsKnownCustom(type);

    private static bool IsKnownCustom(string type)
    {
        if (!type.StartsWith(CustomPrefix, StringComparison.Ordinal))
        {
            return false;
        }

        var parts = type[CustomPrefix.Length..].Split('.');
        return parts.Length >= 5 && EventVocabulary.CustomKinds.Contains(parts[0] + "." + parts[1]);
    }
}
