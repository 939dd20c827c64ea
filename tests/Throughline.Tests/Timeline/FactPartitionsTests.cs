using Throughline.Timeline;

namespace Throughline.Tests.Timeline;

public sealed class FactPartitionsTests
{
    private readonly List<int> _started = [];
    private readonly List<(int Kept, int Merged)> _merges = [];

    private FactPartitions NewPartitions() => new(Facts.Model(), _started.Add, (kept, merged) => _merges.Add((kept, merged)));

    [Fact]
    public void Add_TicketLabelledWithAnArtifact_JoinsThePartitionOfTheArtifactsChange()
    {
        var partitions = NewPartitions();

        var change = partitions.Add(Facts.Created("acme/checkout#1", 0));
        var packaged = partitions.Add(Facts.Packaged("a1", "acme/checkout#1", 1));
        var ticket = partitions.Add(Facts.Event("ticket", "created", 2, labels: ["artifact:a1"]));
        var other = partitions.Add(Facts.Created("acme/ledger#1", 0, repository: "acme/ledger"));

        Assert.Equal([change, change], [packaged, ticket]);
        Assert.NotEqual(change, other);
        Assert.Equal([change, other], _started);
        Assert.Equal(2, partitions.Count);
        Assert.Empty(_merges);
    }

    [Fact]
    public void Add_FactLinkingTwoPartitions_MovesTheSmallerIntoTheLarger()
    {
        var partitions = NewPartitions();
        var larger = partitions.Add(Facts.Event("ticket", "created", 0, chain: "chain-1"));
        partitions.Add(Facts.Event("ticket", "closed", 1, chain: "chain-1"));
        var smaller = partitions.Add(Facts.Event("pipelinerun", "started", 0, sha: "sha-2"));

        var joined = partitions.Add(Facts.Event("pipelinerun", "finished", 2, chain: "chain-1", sha: "sha-2"));

        Assert.Equal(larger, joined);
        Assert.Equal([(larger, smaller)], _merges);
        Assert.Equal([larger, smaller], _started);
        Assert.Equal(1, partitions.Count);
        Assert.Equal(4, partitions.SequencesOf(joined).Count);
    }

    [Fact]
    public void Add_ServiceAndARepositoryOfIt_ArePartitionedTogether()
    {
        var partitions = NewPartitions();

        var deployment = partitions.Add(Facts.Deployed("ledger", "l1", 0));
        var change = partitions.Add(Facts.Created("acme/ledger-schema#1", 0, repository: "acme/ledger-schema"));

        Assert.Equal(deployment, change);
    }
}
