using System.Xml.Linq;
using Throughline.Tests.Support;

namespace Throughline.Tests.Cli;

/// <summary>The <c>dotnet tool</c> package: packed from the build, installed from a local folder, run as a user runs it.</summary>
public sealed class ToolPackageTests
{
    private static readonly TimeSpan Slow = TimeSpan.FromMinutes(4);

    [Fact]
    public async Task Tool_PackedAndInstalledFromAFolder_PrintsItsVersionAndValidatesTheExample()
    {
        var work = Directory.CreateTempSubdirectory("throughline-tool-");
        try
        {
            var (packages, tools) = (Path.Combine(work.FullName, "packages"), Path.Combine(work.FullName, "tools"));
            var project = RepositoryFiles.PathOf("src/Throughline/Throughline.csproj");
            var version = XDocument.Load(project).Descendants("Version").Single().Value;
            // Only the folder as a source: the package must hold everything it needs.
            var config = Path.Combine(work.FullName, "nuget.config");
            await File.WriteAllTextAsync(config, $"""
                <?xml version="1.0" encoding="utf-8"?>
                <configuration><packageSources><clear /><add key="local" value="{packages}" /></packageSources></configuration>
                """, TestContext.Current.CancellationToken);

            var pack = await SystemCommand.RunAsync("dotnet", ["pack", project, "--no-build", "-c", "Debug", "-o", packages, "--nologo"], timeout: Slow);
            Assert.True(pack.ExitCode == 0 && File.Exists(Path.Combine(packages, $"throughline.{version}.nupkg")), pack.Output);
            var install = await SystemCommand.RunAsync("dotnet", ["tool", "install", "throughline", "--tool-path", tools, "--configfile", config, "--version", version], timeout: Slow);
            Assert.True(install.ExitCode == 0, install.Output);
            var installed = Path.Combine(tools, "throughline");
            var printed = await SystemCommand.RunAsync(installed, ["--version"]);
            var validated = await SystemCommand.RunAsync(installed, ["validate", RepositoryFiles.PathOf("docs/examples/throughline.yaml")]);

            Assert.True(printed.ExitCode == 0, printed.Output);
            Assert.StartsWith(version + "+", printed.Output.Trim(), StringComparison.Ordinal);
            Assert.True(validated.ExitCode == 0, validated.Output);
            Assert.Contains("throughline.yaml: valid", validated.Output, StringComparison.Ordinal);
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }
}
