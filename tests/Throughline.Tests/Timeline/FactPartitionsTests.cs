using Throughline.Timeline;

namespace Throughline.Tests.Timeline;

public sealed class FactPartitionsTests
{
    private readonly List<(int Kept, int Merged, bool Started)> _merges = [];

    private FactPartitions NewPartitions() => new(Facts.Model(), (kept, merged, started) => _merges.Add((kept, merged, started)));

    [Fact]
    public void Add_TicketLabelledWithAnArtifact_JoinsThePartitionOfTheArtifactsChange()
    {
        var partitions = NewPartitions();

        var (change, started) = partitions.Add(Facts.Created("acme/checkout#1", 0));
        var (packaged, _) = partitions.Add(Facts.Packaged("a1", "acme/checkout#1", 1));
        var (ticket, _) = partitions.Add(Facts.Event("ticket", "created", 2, labels: ["artifact:a1"]));
        var (other, otherStarted) = partitions.Add(Facts.Created("acme/ledger#1", 0, repository: "acme/ledger"));

        Assert.True(started);
        Assert.Equal([change, change], [packaged, ticket]);
        Assert.True(otherStarted);
        Assert.NotEqual(change, other);
        Assert.Equal(2, partitions.Count);
        Assert.Empty(_merges);
    }

    [Fact]
    public void Add_FactLinkingTwoPartitions_MovesTheSmallerIntoTheLarger()
    {
        var partitions = NewPartitions();
        var ticket = Facts.Event("ticket", "created", 0, chain: "chain-1");
        var (larger, _) = partitions.Add(ticket);
        partitions.Add(Facts.Event("ticket", "closed", 1, chain: "chain-1"));
        var (smaller, _) = partitions.Add(Facts.Event("pipelinerun", "started", 0, sha: "sha-2"));

        var (joined, started) = partitions.Add(Facts.Event("pipelinerun", "finished", 2, chain: "chain-1", sha: "sha-2"));

        Assert.Equal(larger, joined);
        Assert.False(started);
        Assert.Equal([(larger, smaller, false)], _merges);
        Assert.Equal(1, partitions.Count);
        Assert.Equal(4, partitions.SequencesOf(joined).Count);
    }

    [Fact]
    public void Add_ServiceAndARepositoryOfIt_ArePartitionedTogether()
    {
        var partitions = NewPartitions();

        var (deployment, _) = partitions.Add(Facts.Deployed("ledger", "l1", 0));
        var (change, _) = partitions.Add(Facts.Created("acme/ledger-schema#1", 0, repository: "acme/ledger-schema"));

        Assert.Equal(deployment, change);
    }
}
