using EmbeddedBroker.Protocol;

namespace EmbeddedBroker.Replay;

/// <summary>One recorded message: when the broker accepted it, and what to publish (the payload's exact bytes).</summary>
public sealed record ReplayRecord(DateTimeOffset Timestamp, string Topic, byte[] Payload, MqttQualityOfService Qos, bool Retain);

/// <summary>A recording read message by message, in recorded order.</summary>
internal interface IReplaySource : IAsyncDisposable
{
    /// <summary>How far the reading is, 0..1, for the progress bar.</summary>
    double Progress { get; }

    IAsyncEnumerable<ReplayRecord> ReadAsync(CancellationToken cancellationToken);
}

/// <summary>A recording that cannot be read: the message names the file and what is wrong with it.</summary>
public sealed class ReplaySourceException : Exception
{
    public ReplaySourceException()
    {
    }

    public ReplaySourceException(string message)
        : base(message)
    {
    }

    public ReplaySourceException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
