namespace Throughline.Web;

/// <summary>
/// Which failures a background loop (the timeline updater, the model version follower, the demo feed) retries after a
/// pause rather than stopping for: the store unreachable or busy, a file or socket error, a timeout.
/// </summary>
internal static class TransientFailures
{
    /// <summary>True for a failure worth retrying: the loop logs it once, waits its retry delay and carries on.</summary>
    public static bool Include(Exception exception) =>
        exception is System.Data.Common.DbException or IOException or InvalidOperationException or TimeoutException;
}
