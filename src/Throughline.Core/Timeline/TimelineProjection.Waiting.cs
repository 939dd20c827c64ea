namespace Throughline.Timeline;

/// <summary>What a finished catch-up publishes, and how to await it.</summary>
public sealed partial class TimelineProjection
{
    private long _watermark;
    private long _catchUpsBegun;
    private long _catchUpsFinished;
    private TaskCompletionSource _finished = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes once a catch-up that began after this call has finished and published its snapshot.</summary>
    /// <remarks>
    /// <para>Every event committed before the call is then in <see cref="Current"/> (or counted in <see cref="Unmapped"/>):
    /// a sequence number skipped while its insert was in flight is looked up again until that insert has ended.</para>
    /// <para>It starts no catch-up: it waits for whoever tails the store (in <c>serve</c>, a background loop). A catch-up
    /// that fails does not count; the next one that finishes does.</para>
    /// </remarks>
    public async Task WaitForCatchUpAsync(CancellationToken cancellationToken)
    {
        var wanted = Interlocked.Read(ref _catchUpsBegun) + 1;
        while (true)
        {
            // The signal is taken before the count is checked: a catch-up finishing in between completes this very signal.
            var finished = Volatile.Read(ref _finished);
            if (Interlocked.Read(ref _catchUpsFinished) >= wanted)
            {
                return;
            }

            await finished.Task.WaitAsync(cancellationToken);
        }
    }

    /// <summary>Completes once <see cref="Loaded"/> is true: a first catch-up has finished, whenever it began.</summary>
    /// <remarks>It starts no catch-up, like <see cref="WaitForCatchUpAsync"/>.</remarks>
    public async Task WaitUntilLoadedAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var finished = Volatile.Read(ref _finished);
            if (Loaded)
            {
                return;
            }

            await finished.Task.WaitAsync(cancellationToken);
        }
    }

    /// <summary>Numbers a catch-up before it reads the store; callers hold the gate.</summary>
    private long BeginCatchUp() => Interlocked.Increment(ref _catchUpsBegun);

    /// <summary>Publishes what catch-up <paramref name="catchUp"/> read: its watermark after its snapshot, then that it finished.</summary>
    private void FinishCatchUp(long catchUp, long watermark)
    {
        Volatile.Write(ref _watermark, watermark);
        Interlocked.Exchange(ref _catchUpsFinished, catchUp);
        Interlocked.Exchange(ref _finished, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).SetResult();
    }
}
