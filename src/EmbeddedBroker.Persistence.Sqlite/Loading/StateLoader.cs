using EmbeddedBroker.Contracts;
using EmbeddedBroker.Contracts.Storage;
using EmbeddedBroker.Persistence.Sqlite.Storage;
using EmbeddedBroker.Protocol;
using EmbeddedBroker.Protocol.Packets;
using Microsoft.Data.Sqlite;

namespace EmbeddedBroker.Persistence.Sqlite.Loading;

/// <summary>
/// Reads the whole stored state at start, streaming each table once straight into the objects the engine gets (no
/// intermediate rows): retained messages, then sessions with their subscriptions, deliveries in sequence order (a
/// message shared by several deliveries is loaded once and shared again), QoS 2 receive state and wills. Rows of a
/// session that no longer exists are skipped. Sessions stored while online are given <c>lastAlive</c>, the previous
/// run's last commit, as their disconnection time.
/// </summary>
internal sealed class StateLoader(SqliteConnection connection, DateTimeOffset lastAlive)
{
    private readonly StringPool pool = new();
    private readonly Dictionary<string, SessionBuilder> sessions = new(StringComparer.Ordinal);

    public StoredBrokerState Load(CancellationToken cancellationToken)
    {
        var retained = LoadRetained(cancellationToken);
        LoadSessions();
        LoadSubscriptions();
        LoadDeliveries(cancellationToken);
        LoadIncomingQos2();
        LoadWills();
        return new StoredBrokerState(retained, [.. sessions.Values.Select(s => s.Build())]);
    }

    private List<MqttApplicationMessage> LoadRetained(CancellationToken cancellationToken)
    {
        var count = (long)Scalar("SELECT count(*) FROM retained")!;
        var retained = new List<MqttApplicationMessage>((int)Math.Min(count, Array.MaxLength));
        using var reader = Query($"SELECT {MessageColumns.Names} FROM retained");
        while (reader.Read())
        {
            retained.Add(MessageColumns.Read(reader, 0, pool));
            if ((retained.Count & 0xFFFF) == 0) cancellationToken.ThrowIfCancellationRequested();
        }
        return retained;
    }

    private void LoadSessions()
    {
        using var reader = Query("SELECT client_id, expiry_interval, disconnected_at, username FROM sessions");
        while (reader.Read())
        {
            var clientId = reader.GetString(0);
            var session = new StoredSession(clientId, (uint)reader.GetInt64(1),
                reader.IsDBNull(2) ? lastAlive : StoreTime.FromStored(reader.GetInt64(2)),
                reader.IsDBNull(3) ? null : pool.Get(reader.GetString(3)));
            sessions[clientId] = new SessionBuilder(session);
        }
    }

    private void LoadSubscriptions()
    {
        using var reader = Query("SELECT client_id, topic_filter, maximum_qos, no_local, retain_as_published, retain_handling, " +
            "subscription_identifier FROM subscriptions ORDER BY client_id, topic_filter");
        while (reader.Read())
        {
            if (sessions.TryGetValue(reader.GetString(0), out var session))
            {
                session.Subscriptions.Add(new MqttTopicSubscription(
                    pool.Get(reader.GetString(1)), (MqttQualityOfService)reader.GetInt32(2), reader.GetBoolean(3), reader.GetBoolean(4),
                    (MqttRetainHandling)reader.GetInt32(5), reader.IsDBNull(6) ? null : (uint)reader.GetInt64(6)));
            }
        }
    }

    private void LoadDeliveries(CancellationToken cancellationToken)
    {
        var messages = new Dictionary<long, MqttApplicationMessage>();
        using var reader = Query("SELECT d.client_id, d.sequence, d.qos, d.retain, d.packet_id, d.state, d.message_id, " +
            $"{MessageColumns.NamesOf("m")} FROM deliveries d JOIN messages m ON m.id = d.message_id ORDER BY d.client_id, d.sequence");
        var rows = 0;
        while (reader.Read())
        {
            if (!sessions.TryGetValue(reader.GetString(0), out var session))
            {
                continue;
            }
            var messageId = reader.GetInt64(6);
            if (!messages.TryGetValue(messageId, out var message))
            {
                message = MessageColumns.Read(reader, 7, pool);
                messages.Add(messageId, message);
            }
            session.Deliveries.Add(new StoredDelivery(reader.GetInt64(1), message, (MqttQualityOfService)reader.GetInt32(2),
                reader.GetBoolean(3), (ushort)reader.GetInt32(4), (StoredDeliveryState)reader.GetInt32(5)));
            if ((++rows & 0xFFFF) == 0) cancellationToken.ThrowIfCancellationRequested();
        }
    }

    private void LoadIncomingQos2()
    {
        using var reader = Query("SELECT client_id, packet_id FROM incoming_qos2 ORDER BY client_id, packet_id");
        while (reader.Read())
        {
            if (sessions.TryGetValue(reader.GetString(0), out var session))
            {
                session.IncomingQos2.Add((ushort)reader.GetInt32(1));
            }
        }
    }

    private void LoadWills()
    {
        using var reader = Query($"SELECT client_id, due_at, will_username, {MessageColumns.Names} FROM wills");
        while (reader.Read())
        {
            if (sessions.TryGetValue(reader.GetString(0), out var session))
            {
                session.Will = new StoredWill(MessageColumns.Read(reader, 3, pool), StoreTime.FromStored(reader.GetInt64(1)),
                    reader.IsDBNull(2) ? null : pool.Get(reader.GetString(2)));
            }
        }
    }

    /// <summary>A reader over <paramref name="sql"/>. The command is left to the connection, which the caller disposes
    /// after loading: disposing it here would finalize the statement under the open reader.</summary>
    private SqliteDataReader Query(string sql)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteReader();
    }

    private object? Scalar(string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    private sealed class SessionBuilder(StoredSession session)
    {
        public List<MqttTopicSubscription> Subscriptions { get; } = [];
        public List<StoredDelivery> Deliveries { get; } = [];
        public List<ushort> IncomingQos2 { get; } = [];
        public StoredWill? Will { get; set; }

        public StoredSessionState Build() => new(session, Subscriptions, Deliveries, IncomingQos2, Will);
    }
}
