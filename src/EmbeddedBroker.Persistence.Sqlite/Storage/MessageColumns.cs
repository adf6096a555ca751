using EmbeddedBroker.Contracts;
using EmbeddedBroker.Protocol;
using Microsoft.Data.Sqlite;

namespace EmbeddedBroker.Persistence.Sqlite.Storage;

/// <summary>
/// How an <see cref="MqttApplicationMessage"/> is stored, in the same columns wherever a message is kept (retained,
/// queued for sessions, wills): its bytes, where it came from, when it was accepted, and the MQTT 5 publication
/// properties (payload format, message expiry, content type, response topic, correlation data, user properties).
/// Properties that belong to one hop (topic alias, subscription identifiers, a will's delay) are not stored.
/// </summary>
internal static class MessageColumns
{
    private static readonly (string Name, string Definition)[] Columns =
    [
        ("topic", "TEXT NOT NULL"),
        ("payload", "BLOB NOT NULL"),
        ("qos", "INTEGER NOT NULL"),
        ("retain", "INTEGER NOT NULL"),
        ("source", "INTEGER NOT NULL"),
        ("source_client_id", "TEXT"),
        ("received_at", "INTEGER NOT NULL"),
        ("payload_format", "INTEGER"),
        ("message_expiry", "INTEGER"),
        ("content_type", "TEXT"),
        ("response_topic", "TEXT"),
        ("correlation_data", "BLOB"),
        ("user_properties", "TEXT"),
    ];

    public static int Count => Columns.Length;

    /// <summary>"topic, payload, ..." for SELECT and INSERT column lists.</summary>
    public static string Names { get; } = string.Join(", ", Columns.Select(c => c.Name));

    /// <summary>The same columns with a table alias, "m.topic, m.payload, ...".</summary>
    public static string NamesOf(string alias) => string.Join(", ", Columns.Select(c => alias + "." + c.Name));

    /// <summary>"$topic, $payload, ..." for VALUES.</summary>
    public static string Parameters { get; } = string.Join(", ", Columns.Select(c => "$" + c.Name));

    /// <summary>"topic TEXT NOT NULL, ..." for CREATE TABLE.</summary>
    public static string Definitions { get; } = string.Join(", ", Columns.Select(c => c.Name + " " + c.Definition));

    /// <summary>"topic = excluded.topic, ..." for an upsert's DO UPDATE.</summary>
    public static string UpdateFromExcluded { get; } = string.Join(", ", Columns.Select(c => $"{c.Name} = excluded.{c.Name}"));

    /// <summary>Adds the message parameters to <paramref name="statement"/> and returns their binder.</summary>
    public static MessageBinder AddTo(PreparedStatement statement) => new(statement);

    public sealed class MessageBinder
    {
        private readonly SqliteParameter topic, payload, qos, retain, source, sourceClientId, receivedAt;
        private readonly SqliteParameter payloadFormat, messageExpiry, contentType, responseTopic, correlationData, userProperties;

        internal MessageBinder(PreparedStatement s)
        {
            topic = s.Add("$topic", SqliteType.Text);
            payload = s.Add("$payload", SqliteType.Blob);
            qos = s.Add("$qos", SqliteType.Integer);
            retain = s.Add("$retain", SqliteType.Integer);
            source = s.Add("$source", SqliteType.Integer);
            sourceClientId = s.Add("$source_client_id", SqliteType.Text);
            receivedAt = s.Add("$received_at", SqliteType.Integer);
            payloadFormat = s.Add("$payload_format", SqliteType.Integer);
            messageExpiry = s.Add("$message_expiry", SqliteType.Integer);
            contentType = s.Add("$content_type", SqliteType.Text);
            responseTopic = s.Add("$response_topic", SqliteType.Text);
            correlationData = s.Add("$correlation_data", SqliteType.Blob);
            userProperties = s.Add("$user_properties", SqliteType.Text);
        }

        public void Bind(MqttApplicationMessage message)
        {
            topic.Value = message.Topic;
            payload.SetBytes(message.Payload);
            qos.Value = (int)message.Qos;
            retain.Value = message.Retain;
            source.Value = (int)message.Source;
            sourceClientId.Set(message.SourceClientId);
            receivedAt.Value = StoreTime.ToStored(message.ReceivedAt);
            var p = message.Properties;
            payloadFormat.Set(p.PayloadFormatIndicator);
            messageExpiry.Set(p.MessageExpiryInterval);
            contentType.Set(p.ContentType);
            responseTopic.Set(p.ResponseTopic);
            if (p.CorrelationData is { } correlation)
            {
                correlationData.SetBytes(correlation);
            }
            else
            {
                correlationData.Value = DBNull.Value;
            }
            userProperties.Set(p.UserProperties is { Count: > 0 } list ? UserPropertiesCodec.Encode(list) : null);
        }
    }

    /// <summary>Rebuilds a message from the columns starting at <paramref name="first"/>.</summary>
    public static MqttApplicationMessage Read(SqliteDataReader r, int first, StringPool pool)
    {
        var payload = r.GetFieldValue<byte[]>(first + 1);
        return new MqttApplicationMessage
        {
            Topic = r.GetString(first),
            Payload = payload.Length == 0 ? ReadOnlyMemory<byte>.Empty : payload,
            Qos = (MqttQualityOfService)r.GetInt32(first + 2),
            Retain = r.GetBoolean(first + 3),
            Source = (MessageSource)r.GetInt32(first + 4),
            SourceClientId = r.IsDBNull(first + 5) ? null : pool.Get(r.GetString(first + 5)),
            ReceivedAt = StoreTime.FromStored(r.GetInt64(first + 6)),
            Properties = ReadProperties(r, first + 7, pool),
        };
    }

    private static MqttProperties ReadProperties(SqliteDataReader r, int first, StringPool pool)
    {
        if (r.IsDBNull(first) && r.IsDBNull(first + 1) && r.IsDBNull(first + 2) && r.IsDBNull(first + 3) &&
            r.IsDBNull(first + 4) && r.IsDBNull(first + 5))
        {
            return MqttProperties.Empty;
        }
        return new MqttProperties
        {
            PayloadFormatIndicator = r.IsDBNull(first) ? null : (byte)r.GetInt32(first),
            MessageExpiryInterval = r.IsDBNull(first + 1) ? null : (uint)r.GetInt64(first + 1),
            ContentType = r.IsDBNull(first + 2) ? null : pool.Get(r.GetString(first + 2)),
            ResponseTopic = r.IsDBNull(first + 3) ? null : pool.Get(r.GetString(first + 3)),
            CorrelationData = r.IsDBNull(first + 4) ? null : r.GetFieldValue<byte[]>(first + 4),
            UserProperties = r.IsDBNull(first + 5) ? null : UserPropertiesCodec.Decode(r.GetString(first + 5)),
        };
    }
}
