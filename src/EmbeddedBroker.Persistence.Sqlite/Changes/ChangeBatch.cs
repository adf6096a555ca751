using EmbeddedBroker.Contracts;
using EmbeddedBroker.Contracts.Storage;
using EmbeddedBroker.Protocol.Packets;

namespace EmbeddedBroker.Persistence.Sqlite.Changes;

/// <summary>
/// The changes one transaction writes, coalesced as they are taken: the last retained message of a topic, the last
/// state of each session item, deliveries saved and deleted within the batch cancelled out, a deleted session's
/// earlier changes dropped. Owned by the writer thread only. Kept whole when a commit fails and retried; changes taken
/// meanwhile coalesce into it.
/// </summary>
internal sealed class ChangeBatch(ChangeBuffer? buffer)
{
    private readonly Dictionary<string, Pending<MqttApplicationMessage?>> retained = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SessionChanges> sessions = new(StringComparer.Ordinal);
    private readonly List<FlushBarrier> barriers = [];
    private readonly BatchAccount account = new(buffer);

    /// <summary>Changes taken (barriers excluded), including those coalesced away: what the commit makes durable.</summary>
    public long ChangesTaken { get; private set; }

    /// <summary>A resynchronisation: the commit empties every table before writing this batch (the engine's snapshot).</summary>
    public bool ReplacesEverything { get; init; }

    public IReadOnlyDictionary<string, Pending<MqttApplicationMessage?>> Retained => retained;

    public IReadOnlyDictionary<string, SessionChanges> Sessions => sessions;

    public IReadOnlyList<FlushBarrier> Barriers => barriers;

    public bool IsEmpty => ChangesTaken == 0 && barriers.Count == 0 && !ReplacesEverything;

    public void Add(in StoreChange change)
    {
        account.Charge(change.Size);
        if (change.Kind == ChangeKind.FlushBarrier)
        {
            barriers.Add((FlushBarrier)change.Value!);
            return;
        }
        ChangesTaken++;
        switch (change.Kind)
        {
            case ChangeKind.SetRetained:
                SetRetained(change.Key, (MqttApplicationMessage)change.Value!, change.Size);
                break;
            case ChangeKind.ClearRetained:
                SetRetained(change.Key, null, change.Size);
                break;
            case ChangeKind.SaveSession:
                SessionOf(change.Key).SaveSession((StoredSession)change.Value!, change.Size);
                break;
            case ChangeKind.DeleteSession:
                SessionOf(change.Key).Delete(change.Size);
                break;
            case ChangeKind.SaveSubscription:
                SessionOf(change.Key).SetSubscription(change.Text!, (MqttTopicSubscription)change.Value!, change.Size);
                break;
            case ChangeKind.DeleteSubscription:
                SessionOf(change.Key).SetSubscription(change.Text!, null, change.Size);
                break;
            case ChangeKind.SaveDelivery:
                SessionOf(change.Key).SaveDelivery((StoredDelivery)change.Value!, change.Size);
                break;
            case ChangeKind.UpdateDelivery:
                SessionOf(change.Key).UpdateDelivery(change.Sequence, change.PacketId, change.State, change.Size);
                break;
            case ChangeKind.DeleteDelivery:
                SessionOf(change.Key).DeleteDelivery(change.Sequence, change.Size);
                break;
            case ChangeKind.SaveIncomingQos2:
                SessionOf(change.Key).SetIncomingQos2(change.PacketId, true, change.Size);
                break;
            case ChangeKind.DeleteIncomingQos2:
                SessionOf(change.Key).SetIncomingQos2(change.PacketId, false, change.Size);
                break;
            case ChangeKind.SaveWill:
                SessionOf(change.Key).SetWill((StoredWill)change.Value!, change.Size);
                break;
            case ChangeKind.DeleteWill:
                SessionOf(change.Key).SetWill(null, change.Size);
                break;
            default:
                throw new InvalidOperationException($"Unknown change kind {change.Kind}.");
        }
    }

    /// <summary>Takes the barriers out (to complete or fault them) and keeps the changes for a retry.</summary>
    public List<FlushBarrier> TakeBarriers()
    {
        var taken = new List<FlushBarrier>(barriers);
        foreach (var _ in barriers)
        {
            account.Release(ChangeSize.Overhead);
        }
        barriers.Clear();
        return taken;
    }

    /// <summary>After the commit (or when the batch is given up): releases what it held and empties it.</summary>
    public void Clear()
    {
        account.ReleaseAll();
        retained.Clear();
        sessions.Clear();
        barriers.Clear();
        ChangesTaken = 0;
    }

    private void SetRetained(string topic, MqttApplicationMessage? message, int size)
    {
        if (retained.TryGetValue(topic, out var previous))
        {
            account.Release(previous.Size);
        }
        retained[topic] = new(message, size);
    }

    private SessionChanges SessionOf(string clientId)
    {
        if (!sessions.TryGetValue(clientId, out var changes))
        {
            changes = new SessionChanges(account);
            sessions.Add(clientId, changes);
        }
        return changes;
    }

    /// <summary>A batch that rewrites the whole file from the engine's state (after changes were dropped).</summary>
    public static ChangeBatch FromSnapshot(StoredBrokerState state, IEnumerable<FlushBarrier> waiters)
    {
        var batch = new ChangeBatch(null) { ReplacesEverything = true };
        batch.barriers.AddRange(waiters);
        foreach (var message in state.Retained)
        {
            batch.Add(StoreChange.SetRetained(message));
        }
        foreach (var session in state.Sessions)
        {
            var clientId = session.Session.ClientId;
            batch.Add(StoreChange.SaveSession(session.Session));
            foreach (var subscription in session.Subscriptions) batch.Add(StoreChange.SaveSubscription(clientId, subscription));
            foreach (var delivery in session.Deliveries) batch.Add(StoreChange.SaveDelivery(clientId, delivery));
            foreach (var packetId in session.IncomingQos2) batch.Add(StoreChange.SaveIncomingQos2(clientId, packetId));
            if (session.Will is { } will) batch.Add(StoreChange.SaveWill(clientId, will));
        }
        return batch;
    }
}
