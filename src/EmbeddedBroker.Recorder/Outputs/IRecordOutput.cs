using EmbeddedBroker.Recorder.Pipeline;

namespace EmbeddedBroker.Recorder.Outputs;

/// <summary>
/// One place the recorder writes to: a file (CSV, JSON array, JSON Lines) or a database (SQLite, PostgreSQL). Every
/// output takes part in the same two-phase commit (<see cref="RecordOutputSet"/>):
/// <list type="number">
/// <item><see cref="Write(in MessageRecord)"/> adds a record to the output's in-memory batch; nothing reaches the output yet;</item>
/// <item><see cref="Flush"/> makes the whole batch durable in one step (one positional write, one database transaction)
/// and keeps it: when another output fails afterwards, the recovery reopens every output and flushes again, and an
/// output whose batch is already durable (a committed transaction) writes nothing the second time, while a file,
/// truncated back to its last commit, writes its batch again: every record ends up in every output exactly once;</item>
/// <item><see cref="MarkCommitted"/>, once every output flushed, releases the batch.</item>
/// </list>
/// Not thread-safe: only the writer loop uses an output.
/// </summary>
internal interface IRecordOutput : IDisposable
{
    /// <summary>What the operator recognises in logs and in the dashboard: a file path, a database file, a server.</summary>
    string Name { get; }

    /// <summary>Bytes the batch holds in memory until the next commit.</summary>
    int PendingBytes { get; }

    /// <summary>Opens the output (file, connection) when it is closed; after a failure, as the last commit left it.</summary>
    void Open();

    /// <summary>Adds one message to the batch.</summary>
    void Write(in MessageRecord record);

    /// <summary>Adds one delivery receipt to the batch (Recorder:RecordDeliveries); outputs that keep none ignore it.</summary>
    void WriteDelivery(in DeliveryRecord delivery);

    /// <summary>Makes the batch durable; the batch is kept until <see cref="MarkCommitted"/>. Throws when it cannot.</summary>
    void Flush();

    /// <summary>Every output flushed: the batch is released.</summary>
    void MarkCommitted();

    /// <summary>Forgets the batch (the recorder gave up on it).</summary>
    void DiscardPending();

    /// <summary>Closes after a failure, keeping the batch for the next <see cref="Open"/> and <see cref="Flush"/>.</summary>
    void Abandon();
}
