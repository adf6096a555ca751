using EmbeddedBroker.Broker.Sessions;

namespace EmbeddedBroker.Broker.Publishing;

/// <summary>
/// What one publish through the pipeline tells the connection that published it: the message the observers saw (an
/// interceptor may have replaced the original; the recorder acknowledges that one) and the subscriber sessions that
/// reached the back-pressure high-water mark. One instance per publishing connection, reset before each publish.
/// </summary>
internal sealed class PublishFeedback(bool trackCongestion)
{
    /// <summary>The message handed to observers; null when the pipeline stopped before them (refused, intercepted).</summary>
    public MqttApplicationMessage? Accepted { get; set; }

    /// <summary>What the observers ask the publisher's acknowledgement to wait for (completed when nothing).</summary>
    public PublishReceipt Receipt { get; set; }

    /// <summary>Sessions to wait for before reading more from the publisher (empty when back-pressure is off).</summary>
    public List<MqttSession> Congested { get; } = new(2);

    public void AddCongested(MqttSession session)
    {
        if (trackCongestion)
            Congested.Add(session);
    }

    public void Reset()
    {
        Accepted = null;
        Receipt = default;
        Congested.Clear();
    }
}
