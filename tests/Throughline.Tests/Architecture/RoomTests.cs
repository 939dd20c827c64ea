using System.Text.RegularExpressions;
using Throughline.Tests.Support;

namespace Throughline.Tests.Architecture;

/// <summary>docs/architecture.md's rooms, checked: each folder of Throughline.Core uses only the rooms to its left.</summary>
public sealed partial class RoomTests
{
    /// <summary>Each room of Throughline.Core and the rooms it may use (besides itself), as docs/architecture.md draws them.</summary>
    public static TheoryData<string, string[]> Rooms => new()
    {
        { "Model", [] },
        { "Storage", [] },
        { "Access", ["Model", "Storage"] },
        { "Intake", ["Model", "Storage"] },
        { "Timeline", ["Model", "Storage", "Intake"] },
        { "Health", ["Model", "Storage", "Intake", "Timeline"] },
        { "Metrics", ["Model", "Timeline", "Health"] },
        { "Board", ["Model", "Timeline", "Metrics", "Health"] },
        { "Diagnostics", ["Model", "Storage", "Access", "Intake", "Timeline", "Metrics", "Health"] },
        { "Onboarding", ["Model", "Timeline", "Metrics", "Health", "Diagnostics", "Board"] },
        { "Simulation", ["Model", "Storage", "Intake"] },
    };

    [Theory, MemberData(nameof(Rooms))]
    public void Room_UsesOnlyTheRoomsToItsLeft(string room, string[] allowed)
    {
        var folder = RepositoryFiles.PathOf(Path.Combine("src", "Throughline.Core", room));
        var used = Directory.EnumerateFiles(folder, "*.cs", SearchOption.AllDirectories)
            .SelectMany(file => Reference().Matches(File.ReadAllText(file)).Select(m => (File: Path.GetRelativePath(folder, file), Room: m.Groups["room"].Value)))
            .Where(r => r.Room != room && !allowed.Contains(r.Room))
            .Select(r => $"{r.File} uses Throughline.{r.Room}")
            .Distinct()
            .ToList();

        Assert.True(Directory.Exists(folder), $"no room {folder}");
        Assert.Empty(used);
    }

    [Fact]
    public void Core_HasNoRoomTheMapDoesNotName()
    {
        var rooms = Directory.EnumerateDirectories(RepositoryFiles.PathOf(Path.Combine("src", "Throughline.Core")))
            .Select(Path.GetFileName)
            .Where(name => name is not ("bin" or "obj"))
            .Order(StringComparer.Ordinal);

        Assert.Equal(Rooms.Select(r => r.Data.Item1).Order(StringComparer.Ordinal), rooms);
    }

    [GeneratedRegex(@"\bThroughline\.(?<room>Model|Storage|Access|Intake|Timeline|Metrics|Board|Simulation|Health|Diagnostics|Onboarding)\b")]
    private static partial Regex Reference();
}
