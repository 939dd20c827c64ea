using System.Text.Json.Nodes;

namespace Throughline.Intake.Hooks;

/// <summary>Small builders shared by the adapters, so every adapter writes the same fields the same way.</summary>
internal static class Values
{
    /// <summary>A time as written into generated events; null stays null.</summary>
    public static string? Time(DateTimeOffset? time) => time is { } value ? Timestamps.Format(value) : null;

    /// <summary>A CDEvents repository reference.</summary>
    public static JsonObject? Repository(string? id, string? url) =>
        id is null ? null : new JsonObject { ["id"] = id, ["source"] = url };

    /// <summary>The <c>subject.content</c> of a change event: its repository, and its title as description when it is created.</summary>
    public static JsonObject ChangeContent(string type, string? repository, string? url, string? title)
    {
        var content = new JsonObject { ["repository"] = Repository(repository, url) };
        if (type == "change.created")
        {
            content["description"] = title;
        }

        return content;
    }

    /// <summary>A CDEvents reference to something by id (environment, service).</summary>
    public static JsonObject? Reference(string? id, string? source = null) =>
        id is null ? null : new JsonObject { ["id"] = id, ["source"] = source };

    /// <summary>A JSON array of strings, leaving out empty ones.</summary>
    public static JsonArray Strings(IEnumerable<string?> values) => new([.. values.Where(v => !string.IsNullOrEmpty(v)).Select(v => (JsonNode)JsonValue.Create(v!))]);

    /// <summary>An incident's labels (what its tool says it is about) as <c>customData.labels</c>: null when there are none.</summary>
    public static JsonArray? Labels(IEnumerable<string?> values) => Strings(values) is { Count: > 0 } labels ? labels : null;

    /// <summary>A package URL naming a commit of a repository, the artifact id of a deployment made straight from source.</summary>
    public static string? SourceArtifact(string host, string? repository, string? sha) =>
        repository is null || sha is null ? null : $"pkg:{host}/{repository}@{sha}";

    /// <summary>The branch or tag name of a full ref (<c>refs/heads/main</c> → <c>main</c>).</summary>
    public static string? ShortRef(string? reference) =>
        reference is null ? null
        : reference.StartsWith("refs/heads/", StringComparison.Ordinal) ? reference["refs/heads/".Length..]
        : reference.StartsWith("refs/tags/", StringComparison.Ordinal) ? reference["refs/tags/".Length..]
        : reference;

    /// <summary><paramref name="node"/> without its null-valued properties (what an event leaves out rather than writes as null).</summary>
    public static JsonObject WithoutNulls(JsonObject node)
    {
        foreach (var key in node.Where(p => p.Value is null).Select(p => p.Key).ToList())
        {
            node.Remove(key);
        }

        return node;
    }

    /// <summary>True for the all-zero sha git uses for "no commit" (a created or deleted ref).</summary>
    public static bool IsZeroSha(string? sha) => sha is { Length: > 0 } && sha.All(c => c == '0');
}
