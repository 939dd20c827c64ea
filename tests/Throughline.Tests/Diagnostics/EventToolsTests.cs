using Throughline.Diagnostics;

namespace Throughline.Tests.Diagnostics;

public sealed class EventToolsTests
{
    [Theory]
    [InlineData("/hooks/github", "api", "github")]
    [InlineData("/hooks/actions/run/7", "api", "actions")]
    [InlineData("https://github.com/acme/checkout", "api", "github")]
    [InlineData("https://github.com/acme/checkout/actions", "api", "actions")]
    [InlineData("https://ci.example/anything", "hook:jira", "jira")]
    [InlineData("https://jenkins.example/job/x", "api", null)]
    [InlineData("/hooks/jenkins", "api", null)]
    [InlineData("https://ci.example/x", "hook:jenkins", null)]
    public void ToolOf_SourceAndOrigin_NameTheDeclaredTool(string source, string origin, string? tool)
    {
        var observed = new ObservedEvent(1, source, origin, "dev.cdevents.change.created.0.4.0", History.At(0), true);

        var found = EventTools.ToolOf(observed, History.Model());

        Assert.Equal(tool, found?.Id);
    }
}
