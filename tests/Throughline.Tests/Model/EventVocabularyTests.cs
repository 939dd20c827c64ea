using Throughline.Intake;
using Throughline.Intake.Hooks;
using Throughline.Model;
using Throughline.Timeline;

namespace Throughline.Tests.Model;

public sealed class EventVocabularyTests
{
    [Fact]
    public void FiltersOf_EverySubject_OnlyKeysTheTimelineReads()
    {
        var fact = new Fact(1, "src", "id", "service", "deployed", DateTimeOffset.UnixEpoch, "s", Repository: "r", Service: "s",
            Environment: "e", Outcome: "o", Name: "n");

        var keys = EventVocabulary.SubjectNames.SelectMany(EventVocabulary.FiltersOf).Distinct();

        Assert.All(keys, key => Assert.NotNull(fact.Attribute(key)));
    }

    [Fact]
    public void ToolKinds_EveryEventAKindSends_IsInTheVocabulary()
    {
        var sent = ToolKinds.Builtin.Events.Values.OfType<IReadOnlySet<string>>().SelectMany(s => s);

        Assert.All(sent, kind => Assert.Contains(kind, EventVocabulary.Kinds));
        Assert.Null(ToolKinds.Builtin.Events["cdevents"]);
    }

    [Theory]
    [InlineData("dev.cdevents.change.merged.0.2.0", true)]
    [InlineData("dev.cdevents.approval.created.0.1.0-draft", true)]
    [InlineData("dev.cdeventsx.git-push.received.0.1.0", true)]
    [InlineData("dev.cdevents.change.mergd.0.2.0", false)]
    public void IsMapped_ReadsTheModelsVocabulary(string type, bool mapped)
    {
        Assert.Equal(mapped, CdEventVocabulary.IsMapped(type));
    }
}
