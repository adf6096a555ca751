namespace EmbeddedBroker.Persistence.Sqlite;

/// <summary>
/// How <see cref="SqliteBrokerStore.FlushedAsync"/> faults: the changes handed over before the call are not durable
/// (yet). The write is failing (full disk, read-only file, I/O error: they are kept and retried), changes were dropped
/// (the pending buffer overflowed), or the store is closed. With durable acknowledgements the engine withholds the
/// PUBACK/PUBREC it was waiting for.
/// </summary>
public sealed class StoreNotDurableException : IOException
{
    public StoreNotDurableException()
        : base("The broker store could not make the changes durable.")
    {
    }

    public StoreNotDurableException(string message)
        : base(message)
    {
    }

    public StoreNotDurableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
