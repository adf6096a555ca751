namespace EmbeddedBroker.Broker.Hooks;

/// <summary>
/// At-least-once recording seam (Recorder:AckAfterRecorded). When a registered acknowledger <see cref="IsEnabled"/>, the
/// broker answers a client's QoS 1 PUBLISH (PUBACK) or QoS 2 PUBLISH (PUBREC) only after
/// <see cref="WaitUntilRecordedAsync"/> completed for it; the message itself reaches observers and subscribers at once.
/// Acknowledgements keep the order of the PUBLISH packets (MQTT-4.6.0-2, -3) and the connection keeps reading meanwhile.
/// When the wait faults, MQTT 5 clients get reason 0x80 (unspecified error) and 3.1.x clients no acknowledgement at all,
/// so that they send the message again after reconnecting (see docs/recorder.md).
/// </summary>
public interface IRecordingAcknowledger
{
    /// <summary>True when acknowledgements should wait for the recorder (recorder enabled and AckAfterRecorded set).</summary>
    bool IsEnabled { get; }

    /// <summary>
    /// Completes once <paramref name="message"/> has been written and flushed to every output file, at once when it is
    /// not recorded at all (QoS 0, topic not selected, feature off). Faults with <see cref="RecordingFailedException"/>
    /// when the message was dropped (queue full or recorder stopped).
    /// Never completes synchronously on the caller's thread when it has to wait; continuations run on the thread pool.
    /// </summary>
    ValueTask WaitUntilRecordedAsync(MqttApplicationMessage message, CancellationToken cancellationToken);
}
