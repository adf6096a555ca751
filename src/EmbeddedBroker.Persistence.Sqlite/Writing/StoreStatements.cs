using EmbeddedBroker.Contracts;
using EmbeddedBroker.Contracts.Storage;
using EmbeddedBroker.Persistence.Sqlite.Storage;
using EmbeddedBroker.Protocol.Packets;
using Microsoft.Data.Sqlite;

namespace EmbeddedBroker.Persistence.Sqlite.Writing;

/// <summary>Every statement a commit executes, compiled once per connection and reused by every batch.</summary>
internal sealed class StoreStatements : IDisposable
{
    private static readonly string[] SessionTables = ["sessions", "subscriptions", "deliveries", "incoming_qos2", "wills"];

    private readonly List<PreparedStatement> all = [];
    private readonly PreparedStatement upsertRetained, deleteRetained, upsertSession, upsertSubscription, deleteSubscription;
    private readonly PreparedStatement insertMessage, upsertDelivery, updateDelivery, deleteDelivery;
    private readonly PreparedStatement insertQos2, deleteQos2, upsertWill, deleteWill, setLastAlive, wipeAll;
    private readonly PreparedStatement[] wipeSession;
    private readonly MessageColumns.MessageBinder retainedMessage, storedMessage, willMessage;
    private readonly SqliteParameter retainedTopic, session, expiry, disconnectedAt, username;
    private readonly SqliteParameter subscriptionClient, filter, maximumQos, noLocal, retainAsPublished, retainHandling, identifier;
    private readonly SqliteParameter deleteSubscriptionClient, deleteFilter, messageId;
    private readonly SqliteParameter deliveryClient, deliverySequence, deliveryMessage, deliveryQos, deliveryRetain, deliveryPacketId, deliveryState;
    private readonly SqliteParameter updateClient, updateSequence, updatePacketId, updateState, deleteClient, deleteSequence;
    private readonly SqliteParameter qos2Client, qos2PacketId, deleteQos2Client, deleteQos2PacketId;
    private readonly SqliteParameter willClient, willDueAt, willUsername, deleteWillClient, lastAlive;
    private readonly SqliteParameter[] wipeClient;

    public StoreStatements(SqliteConnection connection)
    {
        PreparedStatement S(string sql)
        {
            var statement = new PreparedStatement(connection, sql);
            all.Add(statement);
            return statement;
        }

        upsertRetained = S($"INSERT INTO retained ({MessageColumns.Names}) VALUES ({MessageColumns.Parameters}) " +
            $"ON CONFLICT (topic) DO UPDATE SET {MessageColumns.UpdateFromExcluded}");
        retainedMessage = MessageColumns.AddTo(upsertRetained);
        deleteRetained = S("DELETE FROM retained WHERE topic = $topic");
        retainedTopic = deleteRetained.Add("$topic", SqliteType.Text);

        upsertSession = S("INSERT INTO sessions (client_id, expiry_interval, disconnected_at, username) VALUES ($c, $e, $d, $u) " +
            "ON CONFLICT (client_id) DO UPDATE SET expiry_interval = excluded.expiry_interval, " +
            "disconnected_at = excluded.disconnected_at, username = excluded.username");
        (session, expiry, disconnectedAt, username) = (upsertSession.Add("$c", SqliteType.Text), upsertSession.Add("$e", SqliteType.Integer),
            upsertSession.Add("$d", SqliteType.Integer), upsertSession.Add("$u", SqliteType.Text));
        wipeSession = [.. SessionTables.Select(table => S($"DELETE FROM {table} WHERE client_id = $c"))];
        wipeClient = [.. wipeSession.Select(statement => statement.Add("$c", SqliteType.Text))];

        upsertSubscription = S("INSERT INTO subscriptions (client_id, topic_filter, maximum_qos, no_local, retain_as_published, " +
            "retain_handling, subscription_identifier) VALUES ($c, $f, $q, $n, $r, $h, $i) ON CONFLICT (client_id, topic_filter) DO UPDATE SET " +
            "maximum_qos = excluded.maximum_qos, no_local = excluded.no_local, retain_as_published = excluded.retain_as_published, " +
            "retain_handling = excluded.retain_handling, subscription_identifier = excluded.subscription_identifier");
        (subscriptionClient, filter, maximumQos, noLocal) = (upsertSubscription.Add("$c", SqliteType.Text), upsertSubscription.Add("$f", SqliteType.Text),
            upsertSubscription.Add("$q", SqliteType.Integer), upsertSubscription.Add("$n", SqliteType.Integer));
        (retainAsPublished, retainHandling, identifier) = (upsertSubscription.Add("$r", SqliteType.Integer),
            upsertSubscription.Add("$h", SqliteType.Integer), upsertSubscription.Add("$i", SqliteType.Integer));
        deleteSubscription = S("DELETE FROM subscriptions WHERE client_id = $c AND topic_filter = $f");
        (deleteSubscriptionClient, deleteFilter) = (deleteSubscription.Add("$c", SqliteType.Text), deleteSubscription.Add("$f", SqliteType.Text));

        insertMessage = S($"INSERT INTO messages (id, {MessageColumns.Names}) VALUES ($id, {MessageColumns.Parameters})");
        messageId = insertMessage.Add("$id", SqliteType.Integer);
        storedMessage = MessageColumns.AddTo(insertMessage);
        upsertDelivery = S("INSERT INTO deliveries (client_id, sequence, message_id, qos, retain, packet_id, state) " +
            "VALUES ($c, $s, $m, $q, $r, $p, $st) ON CONFLICT (client_id, sequence) DO UPDATE SET message_id = excluded.message_id, " +
            "qos = excluded.qos, retain = excluded.retain, packet_id = excluded.packet_id, state = excluded.state");
        (deliveryClient, deliverySequence, deliveryMessage, deliveryQos) = (upsertDelivery.Add("$c", SqliteType.Text),
            upsertDelivery.Add("$s", SqliteType.Integer), upsertDelivery.Add("$m", SqliteType.Integer), upsertDelivery.Add("$q", SqliteType.Integer));
        (deliveryRetain, deliveryPacketId, deliveryState) = (upsertDelivery.Add("$r", SqliteType.Integer),
            upsertDelivery.Add("$p", SqliteType.Integer), upsertDelivery.Add("$st", SqliteType.Integer));
        updateDelivery = S("UPDATE deliveries SET packet_id = $p, state = $st WHERE client_id = $c AND sequence = $s");
        (updateClient, updateSequence, updatePacketId, updateState) = (updateDelivery.Add("$c", SqliteType.Text),
            updateDelivery.Add("$s", SqliteType.Integer), updateDelivery.Add("$p", SqliteType.Integer), updateDelivery.Add("$st", SqliteType.Integer));
        deleteDelivery = S("DELETE FROM deliveries WHERE client_id = $c AND sequence = $s");
        (deleteClient, deleteSequence) = (deleteDelivery.Add("$c", SqliteType.Text), deleteDelivery.Add("$s", SqliteType.Integer));

        insertQos2 = S("INSERT OR IGNORE INTO incoming_qos2 (client_id, packet_id) VALUES ($c, $p)");
        (qos2Client, qos2PacketId) = (insertQos2.Add("$c", SqliteType.Text), insertQos2.Add("$p", SqliteType.Integer));
        deleteQos2 = S("DELETE FROM incoming_qos2 WHERE client_id = $c AND packet_id = $p");
        (deleteQos2Client, deleteQos2PacketId) = (deleteQos2.Add("$c", SqliteType.Text), deleteQos2.Add("$p", SqliteType.Integer));

        upsertWill = S($"INSERT INTO wills (client_id, due_at, will_username, {MessageColumns.Names}) VALUES ($c, $due, $wu, {MessageColumns.Parameters}) " +
            $"ON CONFLICT (client_id) DO UPDATE SET due_at = excluded.due_at, will_username = excluded.will_username, {MessageColumns.UpdateFromExcluded}");
        (willClient, willDueAt, willUsername) = (upsertWill.Add("$c", SqliteType.Text), upsertWill.Add("$due", SqliteType.Integer), upsertWill.Add("$wu", SqliteType.Text));
        willMessage = MessageColumns.AddTo(upsertWill);
        deleteWill = S("DELETE FROM wills WHERE client_id = $c");
        deleteWillClient = deleteWill.Add("$c", SqliteType.Text);

        setLastAlive = S("INSERT INTO store_meta (key, value) VALUES ('last_alive', $v) ON CONFLICT (key) DO UPDATE SET value = excluded.value");
        lastAlive = setLastAlive.Add("$v", SqliteType.Integer);
        string[] everything = [.. SessionTables, "retained", "messages"];
        wipeAll = S(string.Join(' ', everything.Select(table => $"DELETE FROM {table};")));

        foreach (var statement in all)
        {
            statement.Prepare();
        }
    }

    public void Enlist(SqliteTransaction? transaction)
    {
        foreach (var statement in all)
        {
            statement.Enlist(transaction);
        }
    }

    public void SetRetained(MqttApplicationMessage message)
    {
        retainedMessage.Bind(message);
        upsertRetained.Execute();
    }

    public void ClearRetained(string topic)
    {
        retainedTopic.Value = topic;
        deleteRetained.Execute();
    }

    public void DeleteSession(string clientId)
    {
        for (var i = 0; i < wipeSession.Length; i++)
        {
            wipeClient[i].Value = clientId;
            wipeSession[i].Execute();
        }
    }

    public void SaveSession(StoredSession stored)
    {
        session.Value = stored.ClientId;
        expiry.Value = (long)stored.ExpiryInterval;
        disconnectedAt.Set(stored.DisconnectedAt is { } at ? StoreTime.ToStored(at) : null);
        username.Set(stored.Username);
        upsertSession.Execute();
    }

    public void SaveSubscription(string clientId, MqttTopicSubscription subscription)
    {
        subscriptionClient.Value = clientId;
        filter.Value = subscription.TopicFilter;
        maximumQos.Value = (int)subscription.MaximumQos;
        noLocal.Value = subscription.NoLocal;
        retainAsPublished.Value = subscription.RetainAsPublished;
        retainHandling.Value = (int)subscription.RetainHandling;
        identifier.Set(subscription.SubscriptionIdentifier is { } id ? (long)id : null);
        upsertSubscription.Execute();
    }

    public void DeleteSubscription(string clientId, string topicFilter)
    {
        deleteSubscriptionClient.Value = clientId;
        deleteFilter.Value = topicFilter;
        deleteSubscription.Execute();
    }

    public void InsertMessage(long id, MqttApplicationMessage message)
    {
        messageId.Value = id;
        storedMessage.Bind(message);
        insertMessage.Execute();
    }

    public void SaveDelivery(string clientId, StoredDelivery delivery, long storedMessageId)
    {
        deliveryClient.Value = clientId;
        deliverySequence.Value = delivery.Sequence;
        deliveryMessage.Value = storedMessageId;
        deliveryQos.Value = (int)delivery.Qos;
        deliveryRetain.Value = delivery.Retain;
        deliveryPacketId.Value = (int)delivery.PacketId;
        deliveryState.Value = (int)delivery.State;
        upsertDelivery.Execute();
    }

    public void UpdateDelivery(string clientId, long sequence, ushort packetId, StoredDeliveryState state)
    {
        updateClient.Value = clientId;
        updateSequence.Value = sequence;
        updatePacketId.Value = (int)packetId;
        updateState.Value = (int)state;
        updateDelivery.Execute();
    }

    public void DeleteDelivery(string clientId, long sequence)
    {
        deleteClient.Value = clientId;
        deleteSequence.Value = sequence;
        deleteDelivery.Execute();
    }

    public void SetIncomingQos2(string clientId, ushort packetId, bool present)
    {
        var (client, id, statement) = present ? (qos2Client, qos2PacketId, insertQos2) : (deleteQos2Client, deleteQos2PacketId, deleteQos2);
        client.Value = clientId;
        id.Value = (int)packetId;
        statement.Execute();
    }

    public void SaveWill(string clientId, StoredWill will)
    {
        willClient.Value = clientId;
        willDueAt.Value = StoreTime.ToStored(will.DueAt);
        willUsername.Set(will.Username);
        willMessage.Bind(will.Message);
        upsertWill.Execute();
    }

    public void DeleteWill(string clientId)
    {
        deleteWillClient.Value = clientId;
        deleteWill.Execute();
    }

    public void SetLastAlive(DateTimeOffset at)
    {
        lastAlive.Value = StoreTime.ToStored(at);
        setLastAlive.Execute();
    }

    /// <summary>Empties every table, before a resynchronisation writes the engine's whole state.</summary>
    public void DeleteEverything() => wipeAll.Execute();

    public void Dispose()
    {
        foreach (var statement in all)
        {
            statement.Dispose();
        }
    }
}
