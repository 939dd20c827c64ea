namespace Throughline.Timeline;

/// <summary>What a change's start (the start of its lead time) rests on, in the order they are preferred.</summary>
public enum StartBasis : byte
{
    /// <summary>Nothing: the change has no commit, creation or merge time.</summary>
    None,

    /// <summary>The earliest commit time the change's own events report (<c>firstCommitAt</c>, <c>commits[].timestamp</c>).</summary>
    Commit,

    /// <summary>The earliest commit time of the pushes to the change's head branch, earlier than any its own events report.</summary>
    Push,

    /// <summary>No commit time known: when the change was opened.</summary>
    Created,

    /// <summary>Neither commit nor creation known: when it was merged.</summary>
    Merged,
}
