using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using EmbeddedBroker.Protocol;

namespace EmbeddedBroker.Recorder.History;

/// <summary>The MQTT 5 publication properties of a recorded row, back as <see cref="MqttProperties"/> (columns from <c>content_type</c> on).</summary>
internal static class RecordedProperties
{
    /// <param name="first">Ordinal of content_type; then payload_format, response_topic, correlation_data, message_expiry, user_properties.</param>
    public static MqttProperties Read(DbDataReader reader, int first)
    {
        var allNull = true;
        for (var i = first; i < first + 6; i++)
        {
            allNull &= reader.IsDBNull(i);
        }

        if (allNull)
        {
            return MqttProperties.Empty;
        }

        return new MqttProperties
        {
            ContentType = reader.IsDBNull(first) ? null : reader.GetString(first),
            PayloadFormatIndicator = reader.IsDBNull(first + 1) ? null : Convert.ToByte(reader.GetValue(first + 1), CultureInfo.InvariantCulture),
            ResponseTopic = reader.IsDBNull(first + 2) ? null : reader.GetString(first + 2),
            CorrelationData = reader.IsDBNull(first + 3) ? null : reader.GetFieldValue<byte[]>(first + 3),
            MessageExpiryInterval = reader.IsDBNull(first + 4) ? null : Convert.ToUInt32(reader.GetValue(first + 4), CultureInfo.InvariantCulture),
            UserProperties = reader.IsDBNull(first + 5) ? null : UserProperties(reader.GetString(first + 5)),
        };
    }

    /// <summary>The [[name, value], ...] array the outputs write.</summary>
    public static IReadOnlyList<MqttUserProperty> UserProperties(string json)
    {
        using var document = JsonDocument.Parse(json);
        return [.. document.RootElement.EnumerateArray().Select(pair => new MqttUserProperty(pair[0].GetString()!, pair[1].GetString()!))];
    }
}
