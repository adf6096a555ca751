using EmbeddedBroker.Broker;

namespace EmbeddedBroker.Recorder;

/// <summary>
/// At-least-once recording seam (Recorder:AckAfterRecorded). A broker that wants publishers acknowledged only after
/// their message is on disk calls, for a QoS 1/2 PUBLISH, <see cref="IPublishObserver.OnMessageAccepted"/> as usual and
/// then awaits <see cref="WaitUntilRecordedAsync"/> before sending PUBACK / PUBREC.
/// <para>
/// Proposed to move into EmbeddedBroker.Broker/Hooks: the broker cannot reference this project.
/// </para>
/// </summary>
public interface IRecordingAcknowledger
{
    /// <summary>True when acknowledgements should wait for the recorder (recorder enabled and AckAfterRecorded set).</summary>
    bool IsEnabled { get; }

    /// <summary>
    /// Completes once <paramref name="message"/> has been written and flushed to every output file, at once when it is
    /// not recorded at all (QoS 0, topic not selected, feature off). Faults with <see cref="RecordingFailedException"/>
    /// when the message was dropped (queue full or recorder stopped): the broker then answers PUBACK/PUBREC with reason
    /// 0x97 Quota exceeded (MQTT 5) or withholds the acknowledgement so the client retries (3.1.1).
    /// Never completes synchronously on the caller's thread when it has to wait; continuations run on the thread pool.
    /// </summary>
    ValueTask WaitUntilRecordedAsync(MqttApplicationMessage message, CancellationToken cancellationToken);
}
