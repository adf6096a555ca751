using EmbeddedBroker.Broker.Publishing;
using EmbeddedBroker.Broker.Sessions;
using Microsoft.Extensions.Logging;

namespace EmbeddedBroker.Broker.Connections;

/// <summary>
/// Back-pressure from subscribers to this publisher. When a PUBLISH leaves an online subscriber's queue at the
/// high-water mark (<see cref="OnCongested"/>, during fan-out), the read loop waits (asynchronously, no thread held,
/// no lock held) until that queue is back at the low-water mark before it decodes the next packet. Unread bytes then
/// pile up in the transport, TCP flow control slows the publisher down, and the broker stops accepting messages it
/// would have to drop. A subscriber that does not drain within PublisherBackpressureTimeout is marked stalled: nobody
/// waits for it again until it drains, and what does not fit in its queue is dropped and counted, so one stuck client
/// cannot stall every publisher.
/// </summary>
internal sealed class PublisherThrottle(MqttConnection connection, TimeSpan timeout) : ICongestionSink
{
    /// <summary>Sessions the last PUBLISH left congested; created at the first congestion, so idle clients do not pay for it.</summary>
    private List<MqttSession>? _congested;

    public bool IsCongested => _congested is { Count: > 0 };

    public void OnCongested(MqttSession session) => (_congested ??= new List<MqttSession>(2)).Add(session);

    /// <summary>Waits for every congested session to drain (or to be found stuck), then forgets them.</summary>
    public async ValueTask WaitAsync()
    {
        var congested = _congested!;
        var statistics = connection.Core.Statistics;
        var started = Environment.TickCount64;
        var paused = false;
        try
        {
            foreach (var session in congested)
            {
                if (session.GetDrainTask() is not { } drained)
                    continue;
                if (!paused)
                {
                    paused = true;
                    statistics.PublisherThrottled();
                    connection.Deadline.Pause(); // the client is not silent, the broker does not read: bounded by the timeout below
                }

                var left = timeout - TimeSpan.FromMilliseconds(Environment.TickCount64 - started);
                try
                {
                    if (left <= TimeSpan.Zero)
                        throw new TimeoutException();
                    await drained.WaitAsync(left, connection.ClosingToken).ConfigureAwait(false);
                }
                catch (TimeoutException)
                {
                    session.MarkStalled();
                    statistics.PublisherBackpressureTimeout();
                    connection.Logger.LogDebug("Publisher {ClientId} stopped waiting for subscriber {Subscriber} after {Timeout}",
                        connection.ClientId, session.ClientId, timeout);
                }
            }
        }
        finally
        {
            congested.Clear();
            if (paused && !connection.IsClosing)
                connection.Deadline.Resume();
        }
    }
}
