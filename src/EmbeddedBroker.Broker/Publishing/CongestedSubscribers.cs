using EmbeddedBroker.Broker.Sessions;

namespace EmbeddedBroker.Broker.Publishing;

/// <summary>
/// The online subscribers one publish left at their back-pressure high-water mark, and the wait for them: shared by a
/// client's <c>PublisherThrottle</c> and an in-process publisher that can wait (a bridge, through
/// <see cref="MqttBroker.PublishForAcknowledgementAsync"/>). Each congested session is waited for until it is back at
/// its low-water mark; one that does not drain within the timeout (counted from the first wait, for all of them) is
/// marked stalled, so that nobody waits for it again until it drains and its overflow is dropped and counted: one stuck
/// subscriber cannot stall every publisher.
/// </summary>
internal sealed class CongestedSubscribers(BrokerStatistics statistics, TimeSpan timeout) : ICongestionSink
{
    /// <summary>Created at the first congestion, so idle publishers do not pay for it.</summary>
    private List<MqttSession>? _congested;

    public bool IsCongested => _congested is { Count: > 0 };

    public void OnCongested(MqttSession session) => (_congested ??= new List<MqttSession>(2)).Add(session);

    /// <summary>Waits for every congested session to drain (or to be found stuck), then forgets them.
    /// <paramref name="beforeFirstWait"/> runs once, only if there is something to wait for;
    /// <paramref name="stalled"/> for each session given up on.</summary>
    public async ValueTask WaitAsync(Action? beforeFirstWait, Action<MqttSession>? stalled, CancellationToken cancellationToken)
    {
        var congested = _congested!;
        var started = Environment.TickCount64;
        var waited = false;
        try
        {
            foreach (var session in congested)
            {
                if (session.GetDrainTask() is not { } drained)
                    continue;
                if (!waited)
                {
                    waited = true;
                    statistics.PublisherThrottled();
                    beforeFirstWait?.Invoke();
                }

                var left = timeout - TimeSpan.FromMilliseconds(Environment.TickCount64 - started);
                try
                {
                    if (left <= TimeSpan.Zero)
                        throw new TimeoutException();
                    await drained.WaitAsync(left, cancellationToken).ConfigureAwait(false);
                }
                catch (TimeoutException)
                {
                    session.MarkStalled();
                    statistics.PublisherBackpressureTimeout();
                    stalled?.Invoke(session);
                }
            }
        }
        finally
        {
            congested.Clear();
        }
    }
}
