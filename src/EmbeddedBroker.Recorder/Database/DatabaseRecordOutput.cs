using EmbeddedBroker.Recorder.Outputs;
using EmbeddedBroker.Recorder.Pipeline;

namespace EmbeddedBroker.Recorder.Database;

/// <summary>
/// What the SQLite and PostgreSQL outputs share: the rows since the last commit in a <see cref="RowBatch"/>, and the
/// output's side of the commit protocol. <see cref="Flush"/> writes the whole batch in one transaction; once that
/// transaction committed, the batch is durable and a replay (another output failed) writes nothing again until
/// <see cref="MarkCommitted"/> releases it. A transaction that failed rolled back, so the replay writes all of it.
/// </summary>
internal abstract class DatabaseRecordOutput : IRecordOutput, IRetainedOutput
{
    private bool durable;
    private bool disposed;

    public abstract string Name { get; }

    public int PendingBytes => Batch.Length;

    protected RowBatch Batch { get; } = new();

    protected abstract bool IsConnected { get; }

    public void Open()
    {
        if (!IsConnected)
        {
            Connect();
        }
    }

    public void Write(in MessageRecord record)
    {
        EnsureFilling();
        Batch.AddMessage(record);
    }

    public void WriteDelivery(in DeliveryRecord delivery)
    {
        EnsureFilling();
        Batch.AddDelivery(delivery);
    }

    public void Flush()
    {
        if (durable)
        {
            return; // committed in an earlier attempt of this commit
        }

        if (!Batch.IsEmpty)
        {
            if (!IsConnected)
            {
                throw new InvalidOperationException($"{Name} is not open.");
            }

            WriteInOneTransaction(Batch);
        }

        durable = true;
    }

    public void MarkCommitted()
    {
        Batch.Clear();
        durable = false;
    }

    public void DiscardPending()
    {
        Batch.Clear();
        durable = false;
    }

    public void Abandon() => Disconnect();

    public abstract int DeleteOlderThan(DateTimeOffset cutoff, int maxRows);

    public abstract long? UsedBytes();

    public abstract int DeleteOldest(int rows);

    public void Dispose()
    {
        if (disposed)
        {
            return; // the writer loop and the host may both dispose
        }

        disposed = true;
        Disconnect();
        ReleaseResources();
    }

    /// <summary>Opens the connection, creating the database and its tables when missing.</summary>
    protected abstract void Connect();

    /// <summary>Closes the connection (after a failure, or for good); never throws.</summary>
    protected abstract void Disconnect();

    /// <summary>Frees what outlives a connection (a pool), once, when the output is disposed.</summary>
    protected virtual void ReleaseResources()
    {
    }

    /// <summary>Inserts every row of <paramref name="batch"/> in one transaction: all of them, or (throwing) none.</summary>
    protected abstract void WriteInOneTransaction(RowBatch batch);

    private void EnsureFilling()
    {
        if (durable)
        {
            // Rows added now would be lost: the durable batch is released at MarkCommitted.
            throw new InvalidOperationException($"{Name}: a flushed batch must be committed (MarkCommitted) before new records are written.");
        }
    }
}
