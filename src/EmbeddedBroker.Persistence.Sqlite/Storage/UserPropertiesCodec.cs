using System.Buffers;
using System.Text.Json;
using EmbeddedBroker.Protocol;

namespace EmbeddedBroker.Persistence.Sqlite.Storage;

/// <summary>
/// MQTT 5 user properties as stored: a JSON array of [name, value] pairs, in order, duplicates kept (3.3.2.3.7).
/// JSON rather than a private binary format so that sqlite3 shows them (and <c>json_each</c> can query them).
/// </summary>
internal static class UserPropertiesCodec
{
    public static string Encode(IReadOnlyList<MqttUserProperty> properties)
    {
        var buffer = new ArrayBufferWriter<byte>(64);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            foreach (var (name, value) in properties)
            {
                writer.WriteStartArray();
                writer.WriteStringValue(name);
                writer.WriteStringValue(value);
                writer.WriteEndArray();
            }
            writer.WriteEndArray();
        }
        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>Reads what <see cref="Encode"/> wrote; throws <see cref="JsonException"/> on anything else.</summary>
    public static MqttUserProperty[] Decode(string json)
    {
        var reader = new Utf8JsonReader(System.Text.Encoding.UTF8.GetBytes(json));
        var result = new List<MqttUserProperty>();
        Expect(ref reader, JsonTokenType.StartArray);
        while (reader.Read() && reader.TokenType == JsonTokenType.StartArray)
        {
            var name = ReadString(ref reader);
            var value = ReadString(ref reader);
            Expect(ref reader, JsonTokenType.EndArray);
            result.Add(new MqttUserProperty(name, value));
        }
        if (reader.TokenType != JsonTokenType.EndArray)
        {
            throw new JsonException("user_properties: expected ']' after the last pair.");
        }
        return [.. result];
    }

    private static string ReadString(ref Utf8JsonReader reader)
    {
        Expect(ref reader, JsonTokenType.String);
        return reader.GetString()!;
    }

    private static void Expect(ref Utf8JsonReader reader, JsonTokenType type)
    {
        if (!reader.Read() || reader.TokenType != type)
        {
            throw new JsonException($"user_properties: expected {type}, found {reader.TokenType}.");
        }
    }
}
