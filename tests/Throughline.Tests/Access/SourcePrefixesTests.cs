using Throughline.Access;

namespace Throughline.Tests.Access;

public sealed class SourcePrefixesTests
{
    [Theory]
    [InlineData("/argocd", "/argocd", true)]
    [InlineData("/argocd", "/argocd/prod", true)]
    [InlineData("/argocd", "/argocd-evil", false)] // anchored AND at a path boundary: a longer name is another source
    [InlineData("/argocd", "/x/argocd", false)]
    [InlineData("/argocd", "/ARGOCD", false)]
    [InlineData("/argocd", "https://evil.example/argocd", false)]
    [InlineData("/jenkins/", "/jenkins/job-1", true)]
    [InlineData("https://ci.example.com/", "https://ci.example.com/job/1", true)]
    [InlineData("https://ci.example.com", "https://ci.example.com.evil.net/job", false)]
    [InlineData("/argocd", "/argocd/../jenkins", false)]
    [InlineData("/argocd", "/argocd/%2E%2e/jenkins", false)]
    [InlineData("/argocd", "/argocd/./prod", false)]
    public void Allows_AnchoredAtAPathBoundary(string prefix, string source, bool allowed) =>
        Assert.Equal(allowed, SourcePrefixes.Allows([prefix], source));

    [Theory]
    [InlineData("")]
    [InlineData("argocd")]
    [InlineData("/argo cd")]
    public void Problem_NotAPathOrUri_Named(string prefix) => Assert.NotNull(SourcePrefixes.Problem(prefix));
}
