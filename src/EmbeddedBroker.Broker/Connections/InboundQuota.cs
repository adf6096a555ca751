namespace EmbeddedBroker.Broker.Connections;

/// <summary>
/// The broker's Receive Maximum towards an MQTT 5 client (3.3.4, 4.9): QoS 1 and 2 publications received and not yet
/// answered with PUBACK, PUBCOMP or an error PUBREC. A client that sends more than the announced maximum gets
/// DISCONNECT 0x93 (MQTT-3.3.4-7). Taken by the read loop, given back by whichever part sends the answer.
/// </summary>
internal sealed class InboundQuota(int maximum)
{
    private int _inUse;

    /// <summary>Takes one slot; false when the client exceeded the maximum.</summary>
    public bool TryTake() => Interlocked.Increment(ref _inUse) <= maximum;

    public void Release() => Interlocked.Decrement(ref _inUse);
}
