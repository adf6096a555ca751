namespace EmbeddedBroker.Recorder;

/// <summary>A message that should have been recorded was not (queue full, or the recorder stopped before writing it):
/// the fault of the receipt that holds its publisher's acknowledgement (Recorder:AckAfterRecorded).</summary>
public sealed class RecordingFailedException : Exception
{
    public RecordingFailedException()
    {
    }

    public RecordingFailedException(string message)
        : base(message)
    {
    }

    public RecordingFailedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
