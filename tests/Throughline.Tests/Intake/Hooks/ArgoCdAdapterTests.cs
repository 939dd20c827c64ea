using Throughline.Intake.Hooks;

namespace Throughline.Tests.Intake.Hooks;

public sealed class ArgoCdAdapterTests() : AdapterTests("argocd", ArgoCdAdapter.Translate)
{
    private const string Revision = "ea8759964626a583667a2bfd08f334ec2070040a";

    public static TheoryData<string, string[]> Fixtures => new()
    {
        { "payloads/deployed-first.json", ["service.deployed velero-test"] },
        { "payloads/deployed-rollback.json", ["service.rolledback velero-test"] },
        { "payloads/deployed-upgrade.json", ["service.upgraded velero-test"] },
        { "payloads/health-degraded.json", [$"incident.detected argocd/velero-test@{Revision}"] },
        { "payloads/sync-failed.json", [] },
        { "payloads/sync-succeeded-same-revision.json", [] },
    };

    [Fact]
    public void Translate_FirstDeployment_EnvironmentArtifactAndGoTimes()
    {
        var deployed = Assert.Single(Adapt("payloads/deployed-first.json").Events);

        Assert.Equal(DateTimeOffset.Parse("2024-03-05T07:33:04Z"), deployed.Timestamp);
        Assert.Equal("test-lla", deployed.Content.At("environment", "id"));
        Assert.Equal($"pkg:github/foo/manifests-velero@{Revision}", deployed.Content.At("artifactId"));
        Assert.Equal(("foo/manifests-velero", Revision), (deployed.Data.At("repository"), deployed.Data.At("commitSha")));
        Assert.Equal("2024-03-05T07:33:03.0000000Z", deployed.Data.At("startedAt"));
        Assert.Null(deployed.Data.At("previousRevision"));
    }

    [Fact]
    public void Translate_UpgradeAndRollback_PreviousRevision()
    {
        var upgrade = Assert.Single(Adapt("payloads/deployed-upgrade.json").Events);
        var rollback = Assert.Single(Adapt("payloads/deployed-rollback.json").Events);

        Assert.Equal(("1f0c3b6a2d9e4f5a8b7c6d5e4f3a2b1c0d9e8f7a", Revision), (upgrade.Data.At("previousRevision"), upgrade.Data.At("commitSha")));
        Assert.Equal((Revision, "1f0c3b6a2d9e4f5a8b7c6d5e4f3a2b1c0d9e8f7a"), (rollback.Data.At("previousRevision"), rollback.Data.At("commitSha")));
    }

    [Fact]
    public void Translate_HealthDegraded_IncidentOnTheApplicationsService()
    {
        var incident = Assert.Single(Adapt("payloads/health-degraded.json").Events);

        Assert.Equal(DateTimeOffset.Parse("2024-03-05T07:41:10Z"), incident.Timestamp);
        Assert.Equal(("velero-test", "test-lla"), (incident.Content.At("service", "id"), incident.Content.At("environment", "id")));
        Assert.Equal("Argo CD application velero-test health is Degraded", incident.Content.At("description"));
        Assert.Equal("[\"health Degraded\"]", incident.Data["labels"]?.ToJsonString());
    }

    [Fact]
    public void Translate_SyncOfTheDeployedRevision_UnmappedNotADeployment()
    {
        var context = Adapt("payloads/sync-succeeded-same-revision.json");

        Assert.Contains("already deployed", context.UnmappedReason, StringComparison.Ordinal);
    }
}
