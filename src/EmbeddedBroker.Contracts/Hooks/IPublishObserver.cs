namespace EmbeddedBroker.Contracts.Hooks;

/// <summary>
/// Sees every message accepted by the publish pipeline, whatever its source (client, will, $SYS, API, simulator),
/// after validation, authorization and interceptors and before retain and fan-out.
/// <para>
/// Called on the publishing connection's thread: it must return at once and never block (hand the message to a
/// bounded queue, count what does not fit).
/// </para>
/// <para>
/// The returned receipt is the acknowledgement gate. An observer that has nothing to add returns
/// <see cref="PublishReceipt.None"/>. One that must finish with the message before the publisher may consider it delivered
/// (the recorder with <c>Recorder:AckAfterRecorded</c>, a durable store) returns a receipt that completes once it has,
/// or faults when it could not. The broker then holds that client's PUBACK / PUBREC until the receipt completes,
/// keeping acknowledgements in PUBLISH order (MQTT-4.6.0-2, -3) while it goes on reading; a faulted receipt gives an
/// MQTT 5 client reason 0x80 and a 3.1.x client no acknowledgement, so that it sends the message again. QoS 0
/// publishes and non-client sources are never held back. A pending receipt must complete by itself (no cancellation
/// is passed): the broker abandons it when the connection closes.
/// </para>
/// </summary>
public interface IPublishObserver
{
    PublishReceipt OnMessageAccepted(MqttApplicationMessage message);
}
