namespace Throughline.Simulation;

public sealed partial class HistorySimulator
{
    private static readonly string[] Verbs = ["Fix", "Add", "Refactor", "Speed up", "Remove", "Update", "Handle", "Log"];
    private static readonly string[] Things =
        ["retry on timeout", "currency rounding", "empty basket", "cache headers", "feature flag", "pagination", "null address", "metrics labels", "slow query", "login redirect"];

    private const int MaxBuildAttempts = 3;
    private int _changeNumber;
    private int _pipelineNumber;
    private int _ticketNumber;
    private long _artifactNumber;

    private sealed class ServiceState(SimulatedService service)
    {
        public SimulatedService Service { get; } = service;

        public string? Production { get; set; }

        public string? PreviousProduction { get; set; }

        public string? Ready { get; set; }

        public long ReadyOrder { get; set; }

        public List<SignOffTicket>? WaitingSignOffs { get; set; }

        public bool DeployRequested { get; set; }

        /// <summary>Under a QA bottleneck, when the service's latest held sign-offs start and close: a later batch never overtakes them.</summary>
        public (DateTimeOffset Start, DateTimeOffset Close) SignOffsHeldUntil { get; set; }

        public int ProductionDeploys { get; set; }
    }

    private sealed record Change(int Number, ServiceState State, string Id, string ChainId, string Author, string Title, Incident? Fixes)
    {
        public string Repository => State.Service.Repository;

        public string RepositorySource => "https://github.com/" + Repository;
    }

    private sealed record Artifact(string Id, Change Change, long Order);

    /// <summary>A sign-off ticket waiting for QA: when it was opened, and how to start and close it, naming the tester when the history names one.</summary>
    private sealed record SignOffTicket(DateTimeOffset Opened, Action<string?> Start, Action<string?> Close);

    private void OpenChange(ServiceState state, Incident? fixesIncident)
    {
        ChangesOpened++;
        var number = ++_changeNumber;
        var owner = _organisation.Team(state.Service.Owner);
        var title = fixesIncident is null
            ? $"{_random.Pick(Verbs)} {_random.Pick(Things)} in {state.Service.Id}"
            : $"Hotfix for {fixesIncident.Id} in {state.Service.Id}";
        var change = new Change(number, state, $"{state.Service.Repository}#{number}", $"chain-{_options.Seed}-{number}",
            _random.Pick(owner.People), title, fixesIncident);
        Emit(SimulatedTool.GitHub, change.RepositorySource, "change.created.0.4.0", change.ChainId, change.Id,
            w =>
            {
                w.WriteString("description", change.Title);
                CdEventJson.Reference(w, "repository", change.Repository, "https://github.com");
            },
            w =>
            {
                w.WriteString("author", change.Author);
                w.WriteString("title", change.Title);
                if (state.Service.Path is not null)
                {
                    w.WriteStartArray("paths");
                    w.WriteStringValue($"{state.Service.Path}/{_random.Pick(Things).Replace(' ', '_')}.cs");
                    w.WriteEndArray();
                }
            });

        var firstReview = fixesIncident is null
            ? WorkingHours.Add(Clock, ReviewWait(ReviewPickup(_random.LogNormal(TimeSpan.FromHours(1), 1.0).TotalHours * 80)))
            : Clock + ReviewWait(_random.LogNormal(TimeSpan.FromMinutes(20), 0.5));
        var rounds = 1;
        while (fixesIncident is null && rounds < 4 && _random.Chance(0.35))
        {
            rounds++;
        }

        At(firstReview, () => Review(change, 1, rounds));
    }

    /// <summary>
    /// How long a change waits for its first reviewer, in working hours: skewed (a median of about 3 h, a long tail), longer
    /// for larger changes (<paramref name="linesChanged"/>, median 80) and when the wait begins on a Monday, when
    /// reviewers catch up with the week's start.
    /// </summary>
    private TimeSpan ReviewPickup(double linesChanged)
    {
        var size = Math.Clamp(Math.Pow(linesChanged / 80, 0.4), 0.5, 3);
        var monday = WorkingHours.Next(Clock).DayOfWeek == DayOfWeek.Monday ? 1.8 : 1;
        return _random.LogNormal(TimeSpan.FromHours(3), 0.9) * size * monday;
    }

    private void Review(Change change, int round, int rounds)
    {
        var reviewer = _random.Pick(_organisation.Team(change.State.Service.Owner).People.Where(p => p != change.Author).DefaultIfEmpty(change.Author).ToList());
        Emit(SimulatedTool.GitHub, change.RepositorySource, "change.reviewed.0.3.0", change.ChainId, change.Id,
            w => CdEventJson.Reference(w, "repository", change.Repository, "https://github.com"),
            w =>
            {
                w.WriteString("reviewer", reviewer);
                w.WriteString("state", round < rounds ? "changes_requested" : "approved");
            });

        if (round < rounds)
        {
            At(WorkingHours.Add(Clock, _random.LogNormal(TimeSpan.FromHours(2), 0.8)), () =>
            {
                Emit(SimulatedTool.GitHub, change.RepositorySource, "change.updated.0.3.0", change.ChainId, change.Id,
                    w => CdEventJson.Reference(w, "repository", change.Repository, "https://github.com"));
                At(WorkingHours.Add(Clock, _random.LogNormal(TimeSpan.FromHours(2), 0.9)), () => Review(change, round + 1, rounds));
            });
            return;
        }

        if (change.Fixes is null && _random.Chance(0.12))
        {
            At(WorkingHours.Add(Clock, _random.LogNormal(TimeSpan.FromHours(4), 1.0)), () =>
                Emit(SimulatedTool.GitHub, change.RepositorySource, "change.abandoned.0.3.0", change.ChainId, change.Id,
                    w => CdEventJson.Reference(w, "repository", change.Repository, "https://github.com")));
            return;
        }

        var merge = change.Fixes is null ? WorkingHours.Add(Clock, _random.LogNormal(TimeSpan.FromMinutes(40), 0.7)) : Clock + TimeSpan.FromMinutes(_random.Uniform(2, 10));
        At(merge, () => Merge(change));
    }

    private void Merge(Change change)
    {
        var sha = _random.Hex(40);
        Emit(SimulatedTool.GitHub, change.RepositorySource, "change.merged.0.3.0", change.ChainId, change.Id,
            w => CdEventJson.Reference(w, "repository", change.Repository, "https://github.com"),
            w => w.WriteString("mergeCommitSha", sha));
        After(TimeSpan.FromSeconds(_random.Uniform(30, 180)), () => StartPipeline(change, sha, attempt: 1));
    }

    private void StartPipeline(Change change, string sha, int attempt)
    {
        var run = $"{change.State.Service.Id}-ci-{++_pipelineNumber}";
        var source = change.RepositorySource + "/actions";
        Emit(SimulatedTool.Actions, source, "pipelinerun.started.0.3.0", change.ChainId, run,
            w => w.WriteString("pipelineName", change.State.Service.Id + "-ci"),
            w =>
            {
                w.WriteString("commitSha", sha);
                w.WriteNumber("attempt", attempt);
            });
        var failed = change.Fixes is null && _random.Chance(0.1);
        After(_random.LogNormal(TimeSpan.FromMinutes(12), 0.4), () => FinishPipeline(change, sha, attempt, run, source, failed));
    }

    private void FinishPipeline(Change change, string sha, int attempt, string run, string source, bool failed)
    {
        var outcome = failed ? "failure" : "success";
        Emit(SimulatedTool.Actions, source, "pipelinerun.finished.0.3.0", change.ChainId, run,
            w =>
            {
                w.WriteString("pipelineName", change.State.Service.Id + "-ci");
                w.WriteString("outcome", outcome);
            },
            w => w.WriteString("commitSha", sha));
        var suites = change.State.Service.Cadence == DeployCadence.Weekly ? ["unit-tests"] : new[] { "unit-tests", "lint" };
        foreach (var suite in suites)
        {
            Emit(SimulatedTool.Actions, source, "testsuiterun.finished.0.3.0", change.ChainId, $"{run}-{suite}",
                w =>
                {
                    w.WriteString("outcome", failed && suite == "unit-tests" ? "failure" : "success");
                    CdEventJson.Reference(w, "environment", "ci");
                    w.WriteStartObject("testSuite");
                    w.WriteString("id", suite);
                    w.WriteString("name", suite);
                    w.WriteEndObject();
                });
        }

        if (failed)
        {
            if (attempt < MaxBuildAttempts)
            {
                After(_random.LogNormal(TimeSpan.FromMinutes(20), 0.6), () => StartPipeline(change, sha, attempt + 1));
            }

            return;
        }

        var artifact = new Artifact($"pkg:oci/{change.State.Service.Id}@sha256%3A{_random.Hex(16)}", change, ++_artifactNumber);
        Emit(SimulatedTool.Actions, source, "artifact.packaged.0.3.0", change.ChainId, artifact.Id,
            w => CdEventJson.Reference(w, "change", change.Id, change.RepositorySource));
        After(TimeSpan.FromMinutes(_random.Uniform(2, 6)), () => DeployToStaging(artifact));
    }

    private void DeployToStaging(Artifact artifact)
    {
        var state = artifact.Change.State;
        EmitDeployment(state, "staging", "service.deployed.0.3.0", artifact.Id, artifact.Change.ChainId);
        if (artifact.Change.Fixes is not null)
        {
            MarkReady(state, artifact, requestDeploy: false);
            After(TimeSpan.FromMinutes(_random.Uniform(10, 30)), () => DeployToProduction(state, urgentFix: artifact.Change.Fixes));
            return;
        }

        if (!state.Service.NeedsQaSignOff)
        {
            MarkReady(state, artifact, requestDeploy: true);
            return;
        }

        After(TimeSpan.FromMinutes(_random.Uniform(5, 30)), () => SignOff(artifact));
    }

    private void SignOff(Artifact artifact)
    {
        var ticket = $"QA-{++_ticketNumber}";
        var creator = _random.Pick(_organisation.Team(artifact.Change.State.Service.Owner).People);
        var labels = new[] { "qa-signoff", "service:" + artifact.Change.State.Service.Id, "artifact:" + artifact.Id, "change:" + artifact.Change.Id };
        void Content(System.Text.Json.Utf8JsonWriter w)
        {
            w.WriteString("summary", $"QA sign-off: {artifact.Change.Title}");
            w.WriteString("ticketType", "task");
            w.WriteString("group", _organisation.QaTeam);
            w.WriteString("creator", creator);
            w.WriteStartArray("labels");
            foreach (var label in labels)
            {
                w.WriteStringValue(label);
            }

            w.WriteEndArray();
            w.WriteString("uri", $"https://jira.example.com/browse/{ticket}");
        }

        Emit(SimulatedTool.Jira, "/jira/QA", "ticket.created.0.2.0", artifact.Change.ChainId, ticket, Content);
        var state = artifact.Change.State;
        void StartTicket(string? tester) => Emit(SimulatedTool.Jira, "/jira/QA", "ticket.updated.0.2.0", artifact.Change.ChainId, ticket, w =>
        {
            Content(w);
            w.WriteString("status", "in progress");
        }, Naming("actor", tester));
        void CloseTicket(string? tester)
        {
            Emit(SimulatedTool.Jira, "/jira/QA", "ticket.closed.0.2.0", artifact.Change.ChainId, ticket, w =>
            {
                Content(w);
                w.WriteString("resolution", "done");
            }, Naming("approver", tester));
            MarkReady(state, artifact, requestDeploy: true);
        }

        if (SelfApproves(state))
        {
            SelfApprove(artifact, ticket, StartTicket, CloseTicket);
            return;
        }

        var signOff = new SignOffTicket(Clock, StartTicket, CloseTicket);

        // QA tests what is on staging: tickets of a service that wait together are signed off together.
        if (state.WaitingSignOffs is { } batch)
        {
            batch.Add(signOff);
            return;
        }

        var waiting = new List<SignOffTicket> { signOff };
        state.WaitingSignOffs = waiting;
        string? tester = null;
        var hold = TimeSpan.Zero;
        _qa.Submit(
            () =>
            {
                state.WaitingSignOffs = null;
                tester = Tester();
                hold = QaHold(Clock - waiting[0].Opened);
                Held(state, hold, closing: false, () => waiting.ForEach(ticket => ticket.Start(tester)));
                return _random.LogNormal(TimeSpan.FromHours(2), 0.6) + TimeSpan.FromMinutes(Math.Min(10 * (waiting.Count - 1), 120));
            },
            () => Held(state, hold, closing: true, () => waiting.ForEach(ticket => ticket.Close(tester))));
    }
}
