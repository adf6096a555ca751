using EmbeddedBroker.Broker.Publishing;
using EmbeddedBroker.Broker.Sessions;
using Microsoft.Extensions.Logging;

namespace EmbeddedBroker.Broker.Connections;

/// <summary>
/// Back-pressure from subscribers to this publisher. When a PUBLISH leaves an online subscriber's queue at the
/// high-water mark (<see cref="OnCongested"/>, during fan-out), the read loop waits (asynchronously, no thread held,
/// no lock held) until that queue is back at the low-water mark before it decodes the next packet. Unread bytes then
/// pile up in the transport, TCP flow control slows the publisher down, and the broker stops accepting messages it
/// would have to drop. A subscriber that does not drain within PublisherBackpressureTimeout is marked stalled (see
/// <see cref="CongestedSubscribers"/>).
/// </summary>
internal sealed class PublisherThrottle(MqttConnection connection, TimeSpan timeout) : ICongestionSink
{
    private readonly CongestedSubscribers _subscribers = new(connection.Core.Statistics, timeout);

    public bool IsCongested => _subscribers.IsCongested;

    public void OnCongested(MqttSession session) => _subscribers.OnCongested(session);

    /// <summary>Waits for every congested session to drain (or to be found stuck), then forgets them.</summary>
    public async ValueTask WaitAsync()
    {
        var paused = false;
        try
        {
            await _subscribers.WaitAsync(
                () =>
                {
                    paused = true;
                    connection.Deadline.Pause(); // the client is not silent, the broker does not read: bounded by the timeout
                },
                session => connection.Logger.LogDebug("Publisher {ClientId} stopped waiting for subscriber {Subscriber} after {Timeout}",
                    connection.ClientId, session.ClientId, timeout),
                connection.ClosingToken).ConfigureAwait(false);
        }
        finally
        {
            if (paused && !connection.IsClosing)
                connection.Deadline.Resume();
        }
    }
}
