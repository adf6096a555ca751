using System.Runtime.InteropServices;
using EmbeddedBroker.Contracts.Storage;
using EmbeddedBroker.Protocol.Packets;

namespace EmbeddedBroker.Persistence.Sqlite.Changes;

/// <summary>
/// The coalesced changes of one client id within a batch. Each keyed item keeps only its last change (the last
/// subscription to a filter, the last state of a delivery, ...); a session deletion drops everything pending before
/// it and is written first, so that a session created again after it starts clean.
/// </summary>
internal sealed class SessionChanges(BatchAccount account)
{
    private Dictionary<string, Pending<MqttTopicSubscription?>>? subscriptions;
    private Dictionary<long, DeliveryChange>? deliveries;
    private Dictionary<ushort, Pending<bool>>? incomingQos2;

    /// <summary>Charged size of the session deletion this batch writes first, or -1 when there is none.</summary>
    public int WipeSize { get; private set; } = -1;

    public bool Wiped => WipeSize >= 0;

    public Pending<StoredSession>? Session { get; private set; }

    /// <summary>The will to write (null value: delete it), or null when the batch does not touch it.</summary>
    public Pending<StoredWill?>? Will { get; private set; }

    public IReadOnlyDictionary<string, Pending<MqttTopicSubscription?>> Subscriptions =>
        subscriptions ?? (IReadOnlyDictionary<string, Pending<MqttTopicSubscription?>>)EmptyDictionary<string, Pending<MqttTopicSubscription?>>.Instance;

    public IReadOnlyDictionary<long, DeliveryChange> Deliveries =>
        deliveries ?? (IReadOnlyDictionary<long, DeliveryChange>)EmptyDictionary<long, DeliveryChange>.Instance;

    public IReadOnlyDictionary<ushort, Pending<bool>> IncomingQos2 =>
        incomingQos2 ?? (IReadOnlyDictionary<ushort, Pending<bool>>)EmptyDictionary<ushort, Pending<bool>>.Instance;

    public void Delete(int size)
    {
        if (Session is { } session) account.Release(session.Size);
        if (Will is { } will) account.Release(will.Size);
        foreach (var item in Subscriptions.Values) account.Release(item.Size);
        foreach (var item in Deliveries.Values) account.Release(item.Size);
        foreach (var item in IncomingQos2.Values) account.Release(item.Size);
        if (Wiped) account.Release(WipeSize);
        Session = null;
        Will = null;
        subscriptions = null;
        deliveries = null;
        incomingQos2 = null;
        WipeSize = size;
    }

    public void SaveSession(StoredSession session, int size)
    {
        if (Session is { } previous) account.Release(previous.Size);
        Session = new(session, size);
    }

    public void SetSubscription(string topicFilter, MqttTopicSubscription? subscription, int size)
    {
        subscriptions ??= new(StringComparer.Ordinal);
        ref var slot = ref CollectionsMarshal.GetValueRefOrAddDefault(subscriptions, topicFilter, out var existed);
        if (existed) account.Release(slot.Size);
        slot = new(subscription, size);
    }

    public void SetIncomingQos2(ushort packetId, bool present, int size)
    {
        incomingQos2 ??= [];
        ref var slot = ref CollectionsMarshal.GetValueRefOrAddDefault(incomingQos2, packetId, out var existed);
        if (existed) account.Release(slot.Size);
        slot = new(present, size);
    }

    public void SetWill(StoredWill? will, int size)
    {
        if (Will is { } previous) account.Release(previous.Size);
        Will = new(will, size);
    }

    public void SaveDelivery(StoredDelivery delivery, int size)
    {
        deliveries ??= [];
        ref var slot = ref CollectionsMarshal.GetValueRefOrAddDefault(deliveries, delivery.Sequence, out var existed);
        var afterDelete = existed && (slot.Deleted || slot.AfterDelete);
        if (existed) account.Release(slot.Size);
        slot = new DeliveryChange { Saved = delivery, AfterDelete = afterDelete, Size = size };
    }

    public void UpdateDelivery(long sequence, ushort packetId, StoredDeliveryState state, int size)
    {
        deliveries ??= [];
        ref var slot = ref CollectionsMarshal.GetValueRefOrAddDefault(deliveries, sequence, out var existed);
        if (!existed)
        {
            slot = new DeliveryChange { Updated = true, PacketId = packetId, State = state, Size = size };
        }
        else if (slot.Saved is { } saved)
        {
            // Folded into the row to insert: the update itself is never written.
            slot.Saved = saved with { PacketId = packetId, State = state };
            account.Release(size);
        }
        else if (slot.Deleted)
        {
            account.Release(size);
        }
        else
        {
            account.Release(slot.Size);
            slot = new DeliveryChange { Updated = true, PacketId = packetId, State = state, Size = size };
        }
    }

    public void DeleteDelivery(long sequence, int size)
    {
        deliveries ??= [];
        ref var slot = ref CollectionsMarshal.GetValueRefOrAddDefault(deliveries, sequence, out var existed);
        if (existed && slot.Saved is not null && !slot.AfterDelete)
        {
            // Saved and acknowledged within one batch: neither is written.
            account.Release(slot.Size);
            account.Release(size);
            deliveries.Remove(sequence);
            return;
        }
        if (existed && slot.Deleted)
        {
            account.Release(size);
            return;
        }
        if (existed) account.Release(slot.Size);
        slot = new DeliveryChange { Deleted = true, Size = size };
    }

    private static class EmptyDictionary<TKey, TValue> where TKey : notnull
    {
        public static readonly Dictionary<TKey, TValue> Instance = [];
    }
}
