using System.Globalization;
using EmbeddedBroker.Protocol;

namespace EmbeddedBroker.Replay;

/// <summary>Turns the fields of a recorded CSV / JSON record back into what was published, or says which record is wrong.</summary>
internal static class RecordedFields
{
    public static ReplayRecord ToRecord(string source, long number, string timestamp, string topic, byte[] payload, string qos, string retain)
    {
        if (!DateTimeOffset.TryParse(timestamp, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at))
        {
            throw Bad(source, number, $"timestamp '{timestamp}' is not an ISO 8601 time");
        }

        if (!int.TryParse(qos, NumberStyles.None, CultureInfo.InvariantCulture, out var level) || level > 2)
        {
            throw Bad(source, number, $"qos '{qos}' is not 0, 1 or 2");
        }

        if (!bool.TryParse(retain, out var retained))
        {
            throw Bad(source, number, $"retain '{retain}' is not true or false");
        }

        if (!MqttTopic.IsValidTopicName(topic))
        {
            throw Bad(source, number, $"topic '{topic}' is not a valid MQTT topic name");
        }

        return new ReplayRecord(at, topic, payload, (MqttQualityOfService)level, retained);
    }

    /// <summary>The payload's bytes from its text and payload_encoding ("utf8" or "base64").</summary>
    public static byte[] Payload(string source, long number, string encoding, Func<byte[]> utf8, string text)
    {
        switch (encoding)
        {
            case "utf8":
                return utf8();
            case "base64":
                try
                {
                    return Convert.FromBase64String(text);
                }
                catch (FormatException)
                {
                    throw Bad(source, number, "the payload is not valid base64");
                }

            default:
                throw Bad(source, number, $"payload_encoding '{encoding}' is not utf8 or base64");
        }
    }

    public static ReplaySourceException Bad(string source, long number, string what) => new($"{source}: record {number}: {what}.");
}
