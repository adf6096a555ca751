namespace EmbeddedBroker.Broker;

/// <summary>
/// Live counters of one broker. Each is updated with <see cref="Interlocked"/> by the connection that causes it;
/// reading gives a consistent value per counter (not a snapshot across counters).
/// </summary>
public sealed class BrokerStatistics
{
    private long _connectionsCurrent;
    private long _connectionsTotal;
    private long _connectionsRejected;
    private long _messagesReceived;
    private long _messagesSent;
    private long _bytesReceived;
    private long _bytesSent;
    private long _messagesDroppedQueueFull;
    private long _messagesDroppedTooLarge;
    private long _publishesToDollarTopicsDropped;
    private long _publishesNotAuthorized;
    private long _malformedPackets;
    private long _protocolViolations;
    private long _connectTimeouts;
    private long _keepAliveTimeouts;
    private long _sessionTakeovers;
    private long _willsPublished;
    private long _observerFailures;
    private long _sessionsCount;
    private long _retainedCount;
    private long _subscriptionsCount;
    private long _publisherThrottles;
    private long _publisherBackpressureTimeouts;
    private long _recordingAcknowledgementFailures;
    private long _messagesDroppedMemory;
    private long _publishesRefusedMemory;
    private long _partialPacketTimeouts;
    private Func<long>? _heldBytes;

    /// <summary>When the broker started (UTC).</summary>
    public DateTimeOffset StartedAt { get; } = DateTimeOffset.UtcNow;

    /// <summary>Clients that completed CONNECT/CONNACK and are still connected.</summary>
    public long ConnectionsCurrent => Volatile.Read(ref _connectionsCurrent);

    /// <summary>Clients accepted (CONNACK 0x00) since start.</summary>
    public long ConnectionsTotal => Volatile.Read(ref _connectionsTotal);

    /// <summary>CONNECTs answered with a refusal return code.</summary>
    public long ConnectionsRejected => Volatile.Read(ref _connectionsRejected);

    /// <summary>PUBLISH packets accepted from clients plus messages published by the broker itself (wills, $SYS, API).</summary>
    public long MessagesReceived => Volatile.Read(ref _messagesReceived);

    /// <summary>PUBLISH packets written to clients (resends included).</summary>
    public long MessagesSent => Volatile.Read(ref _messagesSent);

    public long BytesReceived => Volatile.Read(ref _bytesReceived);
    public long BytesSent => Volatile.Read(ref _bytesSent);

    /// <summary>Messages not queued for a subscriber because its queue held MaximumQueuedMessagesPerClient.</summary>
    public long MessagesDroppedQueueFull => Volatile.Read(ref _messagesDroppedQueueFull);

    /// <summary>Times a publishing connection paused reading because a subscriber's queue reached the high-water mark.</summary>
    public long PublisherThrottles => Volatile.Read(ref _publisherThrottles);

    /// <summary>Times a paused publisher gave up waiting (PublisherBackpressureTimeout) on a stuck subscriber.</summary>
    public long PublisherBackpressureTimeouts => Volatile.Read(ref _publisherBackpressureTimeouts);

    /// <summary>QoS 1/2 publishes whose recording failed with at-least-once recording on (MQTT 5: acknowledged with 0x80;
    /// 3.1.x: not acknowledged).</summary>
    public long RecordingAcknowledgementFailures => Volatile.Read(ref _recordingAcknowledgementFailures);

    /// <summary>QoS 0 messages not queued for a subscriber because the broker's memory budget was exceeded.</summary>
    public long MessagesDroppedMemory => Volatile.Read(ref _messagesDroppedMemory);

    /// <summary>Large publishes refused (0x97 Quota exceeded, or the connection closed) because the memory budget was exceeded.</summary>
    public long PublishesRefusedMemory => Volatile.Read(ref _publishesRefusedMemory);

    /// <summary>Connections closed because a packet they had started to send was not complete within PartialPacketTimeout.</summary>
    public long PartialPacketTimeouts => Volatile.Read(ref _partialPacketTimeouts);

    /// <summary>Bytes held for clients now (queued and in-flight messages, partial packets), against MemoryLimitBytes.</summary>
    public long HeldBytes => _heldBytes?.Invoke() ?? 0;

    /// <summary>Messages not sent to an MQTT 5 client because they exceed its Maximum Packet Size (MQTT-3.1.2-25).</summary>
    public long MessagesDroppedTooLarge => Volatile.Read(ref _messagesDroppedTooLarge);

    /// <summary>PUBLISH from clients to '$' topics, dropped (see MqttBrokerOptions.AllowClientPublishToDollarTopics).</summary>
    public long PublishesToDollarTopicsDropped => Volatile.Read(ref _publishesToDollarTopicsDropped);

    public long PublishesNotAuthorized => Volatile.Read(ref _publishesNotAuthorized);

    /// <summary>Connections closed because they sent bytes the decoder rejected (malformed or too large).</summary>
    public long MalformedPackets => Volatile.Read(ref _malformedPackets);

    /// <summary>Connections closed for a well-formed but forbidden packet (second CONNECT, first packet not CONNECT, ...).</summary>
    public long ProtocolViolations => Volatile.Read(ref _protocolViolations);

    public long ConnectTimeouts => Volatile.Read(ref _connectTimeouts);
    public long KeepAliveTimeouts => Volatile.Read(ref _keepAliveTimeouts);
    public long SessionTakeovers => Volatile.Read(ref _sessionTakeovers);
    public long WillsPublished => Volatile.Read(ref _willsPublished);
    public long ObserverFailures => Volatile.Read(ref _observerFailures);

    /// <summary>Sessions held (online and offline persistent ones).</summary>
    public long SessionsCount => Volatile.Read(ref _sessionsCount);

    public long RetainedCount => Volatile.Read(ref _retainedCount);
    public long SubscriptionsCount => Volatile.Read(ref _subscriptionsCount);

    internal void ClientConnected()
    {
        Interlocked.Increment(ref _connectionsCurrent);
        Interlocked.Increment(ref _connectionsTotal);
    }

    internal void ClientDisconnected() => Interlocked.Decrement(ref _connectionsCurrent);
    internal void ConnectionRejected() => Interlocked.Increment(ref _connectionsRejected);
    internal void MessageReceived() => Interlocked.Increment(ref _messagesReceived);
    internal void MessageSent() => Interlocked.Increment(ref _messagesSent);
    internal void AddMessagesSent(long count) => Interlocked.Add(ref _messagesSent, count);
    internal void MessageDroppedMemory() => Interlocked.Increment(ref _messagesDroppedMemory);
    internal void PublishRefusedMemory() => Interlocked.Increment(ref _publishesRefusedMemory);
    internal void PartialPacketTimeout() => Interlocked.Increment(ref _partialPacketTimeouts);
    internal void AttachHeldBytes(Func<long> heldBytes) => _heldBytes = heldBytes;
    internal void RecordingAcknowledgementFailed() => Interlocked.Increment(ref _recordingAcknowledgementFailures);
    internal void PublisherThrottled() => Interlocked.Increment(ref _publisherThrottles);
    internal void PublisherBackpressureTimeout() => Interlocked.Increment(ref _publisherBackpressureTimeouts);
    internal void AddBytesReceived(long count) => Interlocked.Add(ref _bytesReceived, count);
    internal void AddBytesSent(long count) => Interlocked.Add(ref _bytesSent, count);
    internal void MessageDroppedQueueFull() => Interlocked.Increment(ref _messagesDroppedQueueFull);
    internal void MessageDroppedTooLarge() => Interlocked.Increment(ref _messagesDroppedTooLarge);
    internal void PublishToDollarTopicDropped() => Interlocked.Increment(ref _publishesToDollarTopicsDropped);
    internal void PublishNotAuthorized() => Interlocked.Increment(ref _publishesNotAuthorized);
    internal void MalformedPacket() => Interlocked.Increment(ref _malformedPackets);
    internal void ProtocolViolation() => Interlocked.Increment(ref _protocolViolations);
    internal void ConnectTimeout() => Interlocked.Increment(ref _connectTimeouts);
    internal void KeepAliveTimeout() => Interlocked.Increment(ref _keepAliveTimeouts);
    internal void SessionTakeover() => Interlocked.Increment(ref _sessionTakeovers);
    internal void WillPublished() => Interlocked.Increment(ref _willsPublished);
    internal void ObserverFailure() => Interlocked.Increment(ref _observerFailures);
    internal void SessionAdded() => Interlocked.Increment(ref _sessionsCount);
    internal void SessionRemoved() => Interlocked.Decrement(ref _sessionsCount);
    internal void SetRetainedCount(long count) => Volatile.Write(ref _retainedCount, count);
    internal void SubscriptionAdded() => Interlocked.Increment(ref _subscriptionsCount);
    internal void SubscriptionRemoved() => Interlocked.Decrement(ref _subscriptionsCount);
}
