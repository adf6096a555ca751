using EmbeddedBroker.Broker.Publishing;
using EmbeddedBroker.Broker.Sessions;
using Microsoft.Extensions.Logging;

namespace EmbeddedBroker.Broker.Connections;

/// <summary>
/// Back-pressure from subscribers to publishers. When a PUBLISH leaves an online subscriber's queue at the high-water
/// mark, this connection's read loop waits (asynchronously, no thread held, no lock held) until that queue is back at
/// the low-water mark before it decodes the next packet. Unread bytes then pile up in the transport, TCP flow control
/// slows the publisher down, and the broker stops accepting messages it would have to drop. A subscriber that does not
/// drain within PublisherBackpressureTimeout is marked stalled: nobody waits for it again until it drains, and what
/// does not fit in its queue is dropped and counted, so one stuck client cannot stall every publisher.
/// </summary>
internal sealed partial class MqttConnection
{
    /// <summary>What the last PUBLISH found (congested sessions, the observed message); created by the first publish,
    /// so idle clients do not pay for it.</summary>
    private PublishFeedback? _feedback;

    private PublishFeedback Feedback
    {
        get
        {
            var feedback = _feedback ??= new PublishFeedback(trackCongestion: _options.PublisherBackpressureTimeout > TimeSpan.Zero);
            feedback.Reset();
            return feedback;
        }
    }

    private async ValueTask WaitForCongestedSubscribersAsync(List<MqttSession> congested)
    {
        var timeout = _options.PublisherBackpressureTimeout;
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
                    _statistics.PublisherThrottled();
                    // The client is not silent, we are not reading it: no keep-alive timeout while we wait (bounded by timeout).
                    _readCts.CancelAfter(Timeout.InfiniteTimeSpan);
                }

                var left = timeout - TimeSpan.FromMilliseconds(Environment.TickCount64 - started);
                try
                {
                    if (left <= TimeSpan.Zero)
                        throw new TimeoutException();
                    await drained.WaitAsync(left, _readCts.Token).ConfigureAwait(false);
                }
                catch (TimeoutException)
                {
                    session.MarkStalled();
                    _statistics.PublisherBackpressureTimeout();
                    _logger.LogDebug("Publisher {ClientId} stopped waiting for subscriber {Subscriber} after {Timeout}", ClientId, session.ClientId, timeout);
                }
            }
        }
        finally
        {
            congested.Clear();
            if (paused && !_closing)
                _readCts.CancelAfter(_keepAliveTimeout);
        }
    }
}
