using EmbeddedBroker.Contracts;
using EmbeddedBroker.Protocol;

namespace EmbeddedBroker.Recorder.Pipeline;

/// <summary>
/// A message on its way to the outputs, with the completion its publisher's acknowledgement waits for
/// (Recorder:AckAfterRecorded, QoS 1 and 2), null otherwise; or a delivery receipt of that message
/// (<see cref="DeliveredTo"/> set: the subscriber that acknowledged it). A struct: queueing allocates nothing, and the
/// completion travels with its message instead of being looked up by it.
/// </summary>
internal readonly record struct QueuedMessage(MqttApplicationMessage Message, TaskCompletionSource? Recorded)
{
    /// <summary>The client id of the subscriber that acknowledged the message; null for a message to record.</summary>
    public string? DeliveredTo { get; init; }

    /// <summary>QoS of the acknowledged delivery.</summary>
    public MqttQualityOfService DeliveredQos { get; init; }

    /// <summary>When the subscriber's acknowledgement arrived (UTC ticks).</summary>
    public long DeliveredAtTicks { get; init; }

    /// <summary>Bytes the queue counts for this item against Recorder:QueueMaxBytes: the payload and the strings, plus a fixed overhead.</summary>
    public long Size => Message.Payload.Length + (Message.Topic.Length * 2L) + (DeliveredTo?.Length * 2L ?? 0) + 64;

    public static QueuedMessage Delivery(MqttApplicationMessage message, string consumer, MqttQualityOfService qos, DateTimeOffset at) =>
        new(message, null) { DeliveredTo = consumer, DeliveredQos = qos, DeliveredAtTicks = at.UtcTicks };

    public DeliveryRecord AsDelivery() =>
        new(DeliveredTo!, Message, DeliveredQos, new DateTimeOffset(DeliveredAtTicks, TimeSpan.Zero));

    /// <summary>The message will not be in the outputs: the acknowledgement waiting for it fails.</summary>
    public void Fail(string reason) => Recorded?.TrySetException(new RecordingFailedException(reason));
}
