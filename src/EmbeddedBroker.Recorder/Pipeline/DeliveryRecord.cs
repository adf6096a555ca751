using EmbeddedBroker.Contracts;
using EmbeddedBroker.Protocol;

namespace EmbeddedBroker.Recorder.Pipeline;

/// <summary>
/// One delivery receipt (Recorder:RecordDeliveries): <paramref name="ConsumerClientId"/> acknowledged
/// <paramref name="Message"/> at <paramref name="Qos"/> (PUBACK for QoS 1, PUBCOMP for QoS 2) at <paramref name="AcknowledgedAt"/>.
/// </summary>
internal readonly record struct DeliveryRecord(string ConsumerClientId, MqttApplicationMessage Message, MqttQualityOfService Qos, DateTimeOffset AcknowledgedAt);
