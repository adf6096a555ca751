using EmbeddedBroker.Contracts;

namespace EmbeddedBroker.Recorder.Pipeline;

/// <summary>
/// A message on its way to the files, with the completion its publisher's acknowledgement waits for
/// (Recorder:AckAfterRecorded, QoS 1 and 2), null otherwise. A struct: queueing a message allocates nothing, and the
/// completion travels with its message instead of being looked up by it.
/// </summary>
internal readonly record struct QueuedMessage(MqttApplicationMessage Message, TaskCompletionSource? Recorded)
{
    /// <summary>The message will not be in the files: the acknowledgement waiting for it fails.</summary>
    public void Fail(string reason) => Recorded?.TrySetException(new RecordingFailedException(reason));
}
