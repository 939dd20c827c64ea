using Throughline.Timeline;

namespace Throughline.Tests.Timeline;

public sealed class DerivedCacheTests
{
    private sealed record CountKey(string Scope) : DerivedKey<string>;

    private sealed record OtherKey(string Scope) : DerivedKey<string>;

    private static TimelineSnapshot Part(params Fact[] facts) => TimelineBuilder.Build(facts, Facts.Model());

    [Fact]
    public void GetOrAdd_SameKey_ComputedOnce_KeysOfAnotherTypeNeverShareAnEntry()
    {
        var snapshot = Part(Facts.Created("acme/checkout#1", 0));
        var computed = 0;
        string Compute(string value)
        {
            computed++;
            return value;
        }

        var first = snapshot.Derived.GetOrAdd(new CountKey("checkout"), () => Compute("count"));
        var again = snapshot.Derived.GetOrAdd(new CountKey("checkout"), () => Compute("recomputed"));
        var other = snapshot.Derived.GetOrAdd(new OtherKey("checkout"), () => Compute("other"));

        Assert.Equal(("count", "count", "other"), (first, again, other));
        Assert.Equal(2, computed);
    }

    [Fact]
    public void Copy_StartsWithNothingDerived()
    {
        var snapshot = Part(Facts.Created("acme/checkout#1", 0));
        snapshot.Derived.GetOrAdd(new CountKey("checkout"), () => "kept");

        var copy = snapshot with { Facts = 0 };

        Assert.Equal(0, copy.Derived.Count);
        Assert.Equal("fresh", copy.Derived.GetOrAdd(new CountKey("checkout"), () => "fresh"));
        Assert.Same(snapshot.Changes, copy.Changes);
    }

    [Fact]
    public void PerPartition_UnitedSnapshot_KeepsEachValueWithItsPartition()
    {
        var checkout = Part(Facts.Created("acme/checkout#1", 0));
        var ledger = Part(Facts.Created("acme/ledger#1", 0, repository: "acme/ledger"));
        var derived = new List<TimelineSnapshot>();
        string Derive(TimelineSnapshot part)
        {
            derived.Add(part);
            return part.Changes.Keys.Single();
        }

        var united = TimelineSnapshot.Combine([checkout, ledger]).Derived.PerPartition(new CountKey("changes"), Derive);
        var unitedAgain = TimelineSnapshot.Combine([checkout, ledger]).Derived.PerPartition(new CountKey("changes"), Derive);

        Assert.Equal(["acme/checkout#1", "acme/ledger#1"], united);
        Assert.Equal(united, unitedAgain);
        Assert.Equal([checkout, ledger], derived);
        Assert.Equal("acme/ledger#1", ledger.Derived.GetOrAdd(new CountKey("changes"), () => "not derived again"));
    }
}
