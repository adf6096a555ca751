using System.Threading.Channels;

namespace EmbeddedBroker.Recorder.Pipeline;

/// <summary>
/// Waits for the next queued message or for the flush deadline, whichever comes first, reusing one timer source
/// (a wait happens once per batch, so this keeps the idle loop allocation-light).
/// </summary>
internal sealed class FlushDeadlineWait(CancellationToken abort) : IDisposable
{
    private CancellationTokenSource timeout = CancellationTokenSource.CreateLinkedTokenSource(abort);

    /// <summary>Returns when data is available, the channel completes or <paramref name="delay"/> has passed.</summary>
    public async ValueTask WaitAsync<T>(ChannelReader<T> reader, TimeSpan delay)
    {
        if (delay <= TimeSpan.Zero)
        {
            return;
        }

        timeout.CancelAfter(delay);
        try
        {
            await reader.WaitToReadAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!abort.IsCancellationRequested)
        {
            // Deadline reached: time to flush.
        }

        if (!timeout.TryReset())
        {
            timeout.Dispose();
            timeout = CancellationTokenSource.CreateLinkedTokenSource(abort);
        }
    }

    public void Dispose() => timeout.Dispose();
}
