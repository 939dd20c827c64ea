namespace Throughline.Model;

/// <summary>A team of the organization, in Team Topologies terms.</summary>
/// <param name="Id">The id other parts of the model use to name the team.</param>
/// <param name="Name">A display name; null when the file gives none (show the id).</param>
/// <param name="Type">The team's topology type; null when not given.</param>
/// <param name="Contact">Where to reach the team (a chat channel, an address); null when not given.</param>
public sealed record Team(string Id, string? Name, TeamType? Type, string? Contact);

/// <summary>The four team types of Team Topologies, written in the file in kebab-case.</summary>
public enum TeamType
{
    /// <summary><c>stream-aligned</c>: builds and runs a slice of the product for its users.</summary>
    StreamAligned,

    /// <summary><c>platform</c>: provides internal services (pipelines, infrastructure) to other teams.</summary>
    Platform,

    /// <summary><c>enabling</c>: helps other teams acquire a capability (QA, SRE practices).</summary>
    Enabling,

    /// <summary><c>complicated-subsystem</c>: owns a part that needs specialist knowledge.</summary>
    ComplicatedSubsystem,
}
