namespace EmbeddedBroker.Persistence.Sqlite.Changes;

/// <summary>
/// What a batch holds of the buffer's bounds: each change it took is charged (one change, its size) until it is either
/// coalesced away (released at once) or committed (released with the batch). A batch built from a snapshot has no
/// buffer behind it and releases nothing.
/// </summary>
internal sealed class BatchAccount(ChangeBuffer? buffer)
{
    public long HeldChanges { get; private set; }

    public long HeldBytes { get; private set; }

    public void Charge(int size)
    {
        HeldChanges++;
        HeldBytes += size;
    }

    /// <summary>A held change was made pointless by a later one (replaced, cancelled out, its session deleted).</summary>
    public void Release(int size)
    {
        HeldChanges--;
        HeldBytes -= size;
        buffer?.Release(1, size);
    }

    /// <summary>The batch committed, or was given up: everything it held is released.</summary>
    public void ReleaseAll()
    {
        buffer?.Release(HeldChanges, HeldBytes);
        HeldChanges = 0;
        HeldBytes = 0;
    }
}
