using EmbeddedBroker.Contracts.Storage;

namespace EmbeddedBroker.Persistence.Sqlite.Changes;

/// <summary>
/// What a batch will do to one stored delivery (one client id, one sequence), after coalescing every change to it
/// the batch took: insert or replace the row (<see cref="Saved"/>, with the latest packet id and state), update its
/// flow state only, or delete it. A delivery saved and deleted within the batch is removed from the batch altogether.
/// </summary>
internal struct DeliveryChange
{
    public StoredDelivery? Saved;
    public bool Deleted;
    public bool Updated;
    public ushort PacketId;
    public StoredDeliveryState State;

    /// <summary>Set when <see cref="Saved"/> follows a delete of the same sequence in this batch: a later delete must
    /// still reach the file, the row may exist there.</summary>
    public bool AfterDelete;

    /// <summary>The charged size of the change this entry holds.</summary>
    public int Size;
}
