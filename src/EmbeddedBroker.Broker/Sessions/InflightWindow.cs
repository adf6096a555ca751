using EmbeddedBroker.Protocol;

namespace EmbeddedBroker.Broker.Sessions;

/// <summary>
/// Outbound QoS 1/2 messages sent to one session and not yet fully acknowledged, keyed by packet id, within the send
/// window (MaximumInflightPerClient, lowered by an MQTT 5 client's Receive Maximum, MQTT-3.3.4-9). After a reconnect
/// everything in it is sent again in its original order (MQTT-4.4.0-1, MQTT-4.6.0-1).
/// Not thread-safe: only <see cref="MqttSession"/> uses it, under its lock.
/// </summary>
internal sealed class InflightWindow
{
    private readonly Dictionary<ushort, InflightDelivery> _entries = [];
    private int _sendWindow = 1;
    private ushort _lastPacketId;
    private bool _resendPending;

    public int Count => _entries.Count;

    public bool HasRoom => _entries.Count < _sendWindow;

    public bool HasResends => _resendPending;

    /// <summary>A new connection with its send window: every entry is to be sent again, PUBLISH with DUP=1.</summary>
    public void Restart(int sendWindow)
    {
        _sendWindow = sendWindow;
        foreach (var entry in _entries.Values)
            entry.NeedsSend = true;
        _resendPending = _entries.Count > 0;
    }

    /// <summary>Takes a packet id for <paramref name="delivery"/> and keeps it until acknowledged.</summary>
    public InflightDelivery Add(in QueuedDelivery delivery)
    {
        var entry = new InflightDelivery(delivery, NextPacketId());
        _entries.Add(entry.PacketId, entry);
        return entry;
    }

    /// <summary>Puts back a delivery that was in flight when the broker stopped; it is re-sent at the next connection.</summary>
    public void Restore(in QueuedDelivery delivery, ushort packetId, InflightState state)
    {
        _entries[packetId] = new InflightDelivery(delivery, packetId) { State = state, NeedsSend = true };
        _resendPending = true;
    }

    /// <summary>Appends what must be re-sent after a reconnect, in original order: PUBLISH (DUP=1) or, once PUBREC came, PUBREL.</summary>
    public void TakeResends(List<OutboundItem> batch)
    {
        _resendPending = false;
        foreach (var entry in _entries.Values.Where(e => e.NeedsSend).OrderBy(e => e.Sequence))
        {
            entry.NeedsSend = false;
            var d = entry.Delivery;
            batch.Add(entry.State == InflightState.AwaitingPubComp
                ? new OutboundItem(OutboundKind.PubRel, null, d.Qos, false, false, entry.PacketId)
                : new OutboundItem(OutboundKind.Publish, d.Message, d.Qos, d.Retain, Dup: true, entry.PacketId, d.Identifiers));
        }
    }

    /// <summary>Ends the flow of <paramref name="packetId"/> if it is in <paramref name="expected"/> state (any state when
    /// null) and returns its entry.</summary>
    public InflightDelivery? Complete(ushort packetId, InflightState? expected)
    {
        if (!_entries.TryGetValue(packetId, out var entry) || (expected is { } state && entry.State != state))
            return null;
        _entries.Remove(packetId);
        return entry;
    }

    /// <summary>Which flow <paramref name="packetId"/> is in; null when no delivery uses it.</summary>
    public InflightState? StateOf(ushort packetId) => _entries.TryGetValue(packetId, out var entry) ? entry.State : null;

    /// <summary>PUBREC: the receiver owns the message now; only the PUBREL is re-sent from here on (MQTT-4.3.3-1).</summary>
    public InflightDelivery? ReceivedPubRec(ushort packetId)
    {
        if (!_entries.TryGetValue(packetId, out var entry) || entry.Delivery.Qos != MqttQualityOfService.ExactlyOnce)
            return null;
        entry.State = InflightState.AwaitingPubComp;
        return entry;
    }

    public void Clear() => _entries.Clear();

    /// <summary>
    /// The QoS 1 deliveries of shared subscriptions sent and not acknowledged, which another member should get when this
    /// session ends (MQTT 4.8.2). A QoS 2 one sent and not answered is not among them: the client may have received it,
    /// and it must not reach another member (MQTT-4.8.2-5) — exactly once wins over delivery.
    /// </summary>
    public IEnumerable<QueuedDelivery> SharedNotYetReceived() =>
        _entries.Values.Where(e => e.Delivery.Group is not null && e.State == InflightState.AwaitingPubAck).OrderBy(e => e.Sequence).Select(e => e.Delivery);

    private ushort NextPacketId()
    {
        // Non-zero (MQTT-2.3.1-1) and not used by another unacknowledged message (MQTT-2.3.1-2).
        do
        {
            _lastPacketId = _lastPacketId == ushort.MaxValue ? (ushort)1 : (ushort)(_lastPacketId + 1);
        }
        while (_entries.ContainsKey(_lastPacketId));
        return _lastPacketId;
    }
}
