using System.Text.Json.Nodes;

namespace Throughline.Tests.Support;

/// <summary>Small, valid test data; each test changes only what it is about.</summary>
public static class Some
{
    private static int _counter;

    /// <summary>A valid v0.5 CDEvent as JSON text, with a unique id unless one is given.</summary>
    public static string CdEvent(
        string? id = null, string type = "dev.cdevents.service.deployed.0.2.0", string source = "/argocd/prod",
        string timestamp = "2026-03-20T14:27:05.315Z", string subjectId = "checkout")
    {
        id ??= "event-" + Interlocked.Increment(ref _counter);
        return new JsonObject
        {
            ["context"] = new JsonObject
            {
                ["specversion"] = "0.5.0",
                ["id"] = id,
                ["source"] = source,
                ["type"] = type,
                ["timestamp"] = timestamp,
            },
            ["subject"] = new JsonObject
            {
                ["id"] = subjectId,
                ["content"] = new JsonObject { ["environment"] = new JsonObject { ["id"] = "production" }, ["artifactId"] = "pkg:oci/checkout@sha256%3Aa0" },
            },
        }.ToJsonString();
    }

    /// <summary>The text of a file in TestData.</summary>
    public static string TestData(string relativePath) => File.ReadAllText(TestDataPath(relativePath));

    public static string TestDataPath(string relativePath) => Path.Combine(AppContext.BaseDirectory, "TestData", relativePath);

    /// <summary>Every CDEvents conformance example copied from the shared fixtures (see TestData/cdevents/PROVENANCE.md).</summary>
    public static IReadOnlyList<string> CdEventFixtures() =>
        Directory.GetFiles(TestDataPath("cdevents"), "*.json", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList();
}
