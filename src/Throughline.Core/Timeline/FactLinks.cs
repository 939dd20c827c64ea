using Throughline.Model;

namespace Throughline.Timeline;

/// <summary>The values a fact is linked to other facts by: the one place that says what links facts.</summary>
/// <remarks>
/// <para>The builder links facts only through these values: a change by its id, chain, merge commit, artifact or ticket
/// label; deployments, incidents and changes through their service and repository; a push and a change through their repository
/// and branch; an incident's facts through its id.
/// The projection builds together every fact that shares one of <see cref="Keys"/> (and every service with its
/// repositories, <see cref="ModelKeys"/>), so a partition never splits what the builder would link.</para>
/// <para>A new way of linking facts is added here, and both follow.</para>
/// </remarks>
internal readonly struct FactLinks(Fact fact, OperatingModel? model)
{
    private const string ChangeLabel = "change:";
    private const string ArtifactLabel = "artifact:";

    /// <summary>The change the fact names explicitly (its own id for change events); null when it names none or an empty one.</summary>
    public string? Change => fact.ChangeId is { Length: > 0 } id ? id : null;

    /// <summary>The chain (<c>context.chainId</c>) the fact belongs to.</summary>
    public string? Chain => fact.ChainId;

    /// <summary>The commit the fact names: a merged change's merge commit, the commit a run built or a deployment shipped.</summary>
    public string? Sha => fact.Sha;

    /// <summary>The artifact packaged, deployed or named.</summary>
    public string? Artifact => fact.ArtifactId;

    /// <summary>The repository the fact names; the model links it to the services holding it.</summary>
    public string? Repository => fact.Repository;

    /// <summary>The branch a push went to, or a change's head branch: a push joins a change by it, within <see cref="Repository"/>,
    /// so the repository's key keeps both in one partition and the branch needs no key of its own.</summary>
    public string? Branch => Repository is null ? null : fact.Branch;

    /// <summary>The model's id of the service the fact names (<see cref="OperatingModel.ServiceIdFor"/>).</summary>
    public string? Service => fact.Service is { } named ? OperatingModel.ServiceIdFor(model, named) : null;

    /// <summary>The incident an incident event is about; its facts are read together.</summary>
    public string? Incident => fact.Subject == "incident" ? fact.SubjectId : null;

    /// <summary>The changes and artifacts a ticket's labels name, in the labels' order (<see cref="Label"/>).</summary>
    public IEnumerable<LinkKey> Labels
    {
        get
        {
            foreach (var label in fact.Labels ?? [])
            {
                if (Label(label) is { } key)
                {
                    yield return key;
                }
            }
        }
    }

    /// <summary>Every key the fact may be linked by; a fact with none has a key of its own (its source and id).</summary>
    public IEnumerable<LinkKey> Keys
    {
        get
        {
            var any = false;
            LinkKey?[] named =
            [
                Key(LinkKind.Change, Change), Key(LinkKind.Repository, Repository), Key(LinkKind.Chain, Chain), Key(LinkKind.Sha, Sha),
                Key(LinkKind.Artifact, Artifact), Key(LinkKind.Service, Service), Key(LinkKind.Incident, Incident),
            ];
            foreach (var key in named)
            {
                if (key is { } some)
                {
                    any = true;
                    yield return some;
                }
            }

            foreach (var key in Labels)
            {
                any = true;
                yield return key;
            }

            if (!any)
            {
                yield return new LinkKey(LinkKind.Fact, fact.Source, fact.Id);
            }
        }
    }

    /// <summary>What a ticket label links to: <c>change:ID</c> names a change, <c>artifact:ID</c> an artifact; other labels nothing.</summary>
    /// <remarks>Prefixes are matched exactly (ordinal, case included). <c>change:</c> with nothing after it names the empty
    /// change id, which no change has: it links nothing, but ends the search through the labels.</remarks>
    public static LinkKey? Label(string label)
    {
        ArgumentNullException.ThrowIfNull(label);
        return label.StartsWith(ChangeLabel, StringComparison.Ordinal) ? new LinkKey(LinkKind.Change, label[ChangeLabel.Length..])
            : label.StartsWith(ArtifactLabel, StringComparison.Ordinal) ? new LinkKey(LinkKind.Artifact, label[ArtifactLabel.Length..])
            : null;
    }

    /// <summary>The links the model makes: each service with each of its repositories.</summary>
    public static IEnumerable<(LinkKey Service, LinkKey Repository)> ModelKeys(OperatingModel? model) =>
        (model?.Services ?? []).SelectMany(s => s.Repositories.Select(r => (new LinkKey(LinkKind.Service, s.Id), new LinkKey(LinkKind.Repository, r))));

    private static LinkKey? Key(LinkKind kind, string? value) => value is null ? null : new LinkKey(kind, value);
}

/// <summary>What a <see cref="LinkKey"/> names.</summary>
internal enum LinkKind : byte
{
    Change,
    Repository,
    Chain,
    Sha,
    Artifact,
    Service,
    Incident,

    /// <summary>One fact that names nothing else: its source and id.</summary>
    Fact,
}

/// <summary>One value facts are linked by: what it names and the name.</summary>
/// <param name="Kind">What it names.</param>
/// <param name="Value">The name (for <see cref="LinkKind.Fact"/>, the fact's source).</param>
/// <param name="More">The fact's id, for <see cref="LinkKind.Fact"/>.</param>
internal readonly record struct LinkKey(LinkKind Kind, string Value, string? More = null)
{
    /// <summary>The key hashed to 64 bits, the same in every process: its kind, then its text.</summary>
    /// <remarks>Repositories are hashed by <see cref="OperatingModel.RepositoryKey"/>, so the key joins what the model's
    /// repository rule joins; two keys that collide only build two partitions together, which gives the same result.</remarks>
    public ulong Hash
    {
        get
        {
            var hash = Fnv.Add(Fnv.Empty, (char)Kind);
            hash = Fnv.Add(hash, Kind == LinkKind.Repository ? OperatingModel.RepositoryKey(Value) : Value);
            return More is null ? hash : Fnv.Add(Fnv.Add(hash, '\uFFFF'), More);
        }
    }
}
