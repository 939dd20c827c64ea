using Throughline.Intake.Hooks;

namespace Throughline.Tests.Intake.Hooks;

/// <summary>What every adapter's tests check: the events each fixture of its tool gives, and that no fixture goes unlisted.</summary>
/// <remarks>A derived class names its tool and adapter and lists <c>public static TheoryData&lt;string, string[]&gt; Fixtures</c>:
/// each fixture (relative to <c>TestData/hooks/{tool}</c>) with its events as <c>TYPE SUBJECT</c>, none when it is unmapped.</remarks>
public abstract class AdapterTests
{
    private protected AdapterTests(string tool, Action<HookContext> adapter) => (Tool, Adapter) = (tool, adapter);

    /// <summary>The test model's tool, and the fixture folder, the adapter is tried with.</summary>
    internal string Tool { get; }

    internal Action<HookContext> Adapter { get; }

    /// <summary>The derived class's <c>Fixtures</c>.</summary>
    private TheoryData<string, string[]> Table =>
        (TheoryData<string, string[]>)GetType().GetProperty("Fixtures")!.GetValue(null)!;

    /// <summary>The headers a fixture is sent with; none unless the tool names its events in one.</summary>
    internal virtual (string Name, string Value)[] Headers(string fixture) => [];

    internal HookContext Adapt(string fixture) => Adapted.Run(Adapter, Tool, fixture, Headers(fixture));

    [Theory, MemberData("Fixtures")]
    public void Translate_EveryFixture_TypesAndSubjects(string fixture, string[] expected) => Adapted.AssertEvents(Adapt(fixture), expected);

    [Fact]
    public void Fixtures_EveryFileListed() =>
        Assert.Equal(Support.Hooks.Fixtures(Tool), Table.Select(row => row.Data.Item1).Order(StringComparer.Ordinal));
}
