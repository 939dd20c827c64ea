using System.Text.Json;
using System.Text.Json.Nodes;
using Throughline.Intake.Hooks;

namespace Throughline.Tests.Intake.Hooks;

/// <summary>Fixtures fed straight into an adapter: no HTTP, no verification, no storage.</summary>
internal static class Adapted
{
    /// <summary>When the test deliveries arrive; the time of events whose payload gives none.</summary>
    public static readonly DateTimeOffset ReceivedAt = new(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);

    /// <summary>What <paramref name="adapter"/> makes of <c>TestData/hooks/{tool}/{fixture}</c>, sent to the test model's tool <paramref name="tool"/>.</summary>
    public static HookContext Run(Action<HookContext> adapter, string tool, string fixture, params (string Name, string Value)[] headers)
    {
        var model = Support.Hooks.Model();
        using var document = JsonDocument.Parse(Support.Hooks.Fixture($"{tool}/{fixture}"));
        var context = new HookContext(
            model.Tools.Single(t => t.Id == tool), model, headers.ToDictionary(h => h.Name.ToLowerInvariant(), h => h.Value, StringComparer.Ordinal),
            document.RootElement.Clone(), ReceivedAt);

        adapter(context);

        return context;
    }

    /// <summary>Each event as <c>TYPE SUBJECT</c>, in the order written.</summary>
    public static IReadOnlyList<string> Summary(HookContext context) => [.. context.Events.Select(e => $"{e.Type} {e.SubjectId}")];

    /// <summary>Checks one fixture's events, and that a fixture giving none says why.</summary>
    public static void AssertEvents(HookContext context, string[] expected)
    {
        Assert.Equal(expected, Summary(context));
        Assert.True(expected.Length > 0 || context.UnmappedReason is not null, "an unmapped delivery says why");
    }

    /// <summary>The text at <paramref name="path"/> of generated content or data; null when absent.</summary>
    public static string? At(this JsonNode? node, params string[] path)
    {
        foreach (var name in path)
        {
            node = node?[name];
        }

        return node?.ToString();
    }
}
