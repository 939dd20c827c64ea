using Throughline.Timeline;

namespace Throughline.Tests.Timeline;

public sealed class FactLinksTests
{
    private static IReadOnlyList<ulong> KeysOf(Fact fact) => [.. new FactLinks(fact, Facts.Model()).Keys.Select(k => k.Hash)];

    [Theory]
    [InlineData("change:acme/checkout#1", "Change", "acme/checkout#1")]
    [InlineData("artifact:checkout:1.2.0", "Artifact", "checkout:1.2.0")]
    [InlineData("change:", "Change", "")]
    public void Label_ChangeOrArtifactPrefix_NamesWhatItLinksTo(string label, string kind, string value)
    {
        Assert.Equal(new LinkKey(Enum.Parse<LinkKind>(kind), value), FactLinks.Label(label));
    }

    [Theory]
    [InlineData("qa-signoff")]
    [InlineData("service:checkout")]
    [InlineData("Change:acme/checkout#1")]
    public void Label_OtherLabels_NameNothing(string label)
    {
        Assert.Null(FactLinks.Label(label));
    }

    [Fact]
    public void Keys_TicketLabelledWithAChangeAndAnArtifact_ShareTheirKeys()
    {
        var ticket = Facts.Event("ticket", "created", 1, labels: ["qa-signoff", "change:acme/checkout#1", "artifact:a1"]);

        var keys = KeysOf(ticket);

        Assert.Contains(KeysOf(Facts.Created("acme/checkout#1", 0))[0], keys);
        Assert.Contains(new LinkKey(LinkKind.Artifact, "a1").Hash, keys);
        Assert.Equal(2, keys.Count);
    }

    [Fact]
    public void Keys_DeploymentNamingARepository_LinksByTheModelsServiceId()
    {
        var deployment = Facts.Deployed("acme/ledger-schema", "a1", 0);

        Assert.Contains(new LinkKey(LinkKind.Service, "ledger").Hash, KeysOf(deployment));
    }

    [Fact]
    public void Keys_FactNamingNothing_HaveAKeyOfTheirOwn()
    {
        var first = Facts.Event("pipelinerun", "started", 0);
        var second = Facts.Event("pipelinerun", "started", 0);

        Assert.Equal([new LinkKey(LinkKind.Fact, first.Source, first.Id).Hash], KeysOf(first));
        Assert.NotEqual(KeysOf(first), KeysOf(second));
    }

    [Fact]
    public void Hash_RepositoriesDifferingInCase_HashAlike()
    {
        Assert.Equal(new LinkKey(LinkKind.Repository, "Acme/Checkout").Hash, new LinkKey(LinkKind.Repository, "acme/checkout").Hash);
        Assert.NotEqual(new LinkKey(LinkKind.Change, "Acme/Checkout#1").Hash, new LinkKey(LinkKind.Change, "acme/checkout#1").Hash);
        Assert.NotEqual(new LinkKey(LinkKind.Change, "x").Hash, new LinkKey(LinkKind.Artifact, "x").Hash);
    }
}
