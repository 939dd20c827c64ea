using Throughline.Model;

namespace Throughline.Intake;

/// <summary>Which declared tool an event's source names: the one rule release health (an incident's tool) and the diagnostics
/// (drift, tools as they connect) share.</summary>
/// <remarks>
/// A webhook adapter's source, <c>/hooks/TOOL</c> (or below it, <see cref="Hooks.HookTranslator.SourceOf"/>), is that tool's. Any
/// other source (a CDEvents producer posting to <c>POST /api/events</c> or read by <c>ingest</c>) is the tool whose id is the last
/// of the source's host labels and path segments, in that order, to equal a declared tool id
/// (<c>https://github.com/acme/shop/actions</c> is <c>actions</c> when both <c>github</c> and <c>actions</c> are declared): the
/// model has no field naming a CDEvents producer's source, so its tool id in the source is the declaration.
/// </remarks>
public static class ToolSources
{
    private static readonly string HookSource = Hooks.HookTranslator.SourceOf("");

    /// <summary>The declared tool <paramref name="source"/> names; null when none.</summary>
    public static Tool? Of(string source, OperatingModel model)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(model);
        if (source.StartsWith(HookSource, StringComparison.Ordinal))
        {
            var rest = source[HookSource.Length..];
            var slash = rest.IndexOf('/', StringComparison.Ordinal);
            return Find(model, slash < 0 ? rest : rest[..slash]);
        }

        Tool? found = null;
        foreach (var token in Tokens(source))
        {
            found = Find(model, token) ?? found;
        }

        return found;
    }

    /// <summary>The declared tool with id <paramref name="id"/>; null when none.</summary>
    public static Tool? Find(OperatingModel model, string id)
    {
        ArgumentNullException.ThrowIfNull(model);
        return model.Tools.FirstOrDefault(t => t.Id == id);
    }

    /// <summary>The host labels, then the path segments, of a source (a URI or a path).</summary>
    private static IEnumerable<string> Tokens(string source)
    {
        if (Uri.TryCreate(source, UriKind.Absolute, out var uri) && !string.IsNullOrEmpty(uri.Host))
        {
            return uri.Host.Split('.').Concat(uri.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries));
        }

        return source.Split('/', StringSplitOptions.RemoveEmptyEntries);
    }
}
