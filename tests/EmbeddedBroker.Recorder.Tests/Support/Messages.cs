using System.Text;
using EmbeddedBroker.Contracts;
using EmbeddedBroker.Protocol;

namespace EmbeddedBroker.Recorder.Tests.Support;

internal static class Messages
{
    public static readonly DateTimeOffset Noon = new(2026, 11, 22, 10, 15, 30, 123, TimeSpan.Zero);

    public static MqttApplicationMessage Text(string topic, string payload, string? clientId = "sensor-1",
        MqttQualityOfService qos = MqttQualityOfService.AtMostOnce, bool retain = false, DateTimeOffset? at = null) =>
        Bytes(topic, Encoding.UTF8.GetBytes(payload), clientId, qos, retain, at);

    public static MqttApplicationMessage Bytes(string topic, byte[] payload, string? clientId = "sensor-1",
        MqttQualityOfService qos = MqttQualityOfService.AtMostOnce, bool retain = false, DateTimeOffset? at = null) =>
        new()
        {
            Topic = topic,
            Payload = payload,
            SourceClientId = clientId,
            Qos = qos,
            Retain = retain,
            ReceivedAt = at ?? Noon,
        };

    /// <summary>Payloads that break naive CSV/JSON writers, each of which must come back byte for byte.</summary>
    public static IReadOnlyList<byte[]> TrickyPayloads { get; } =
    [
        "23.7"u8.ToArray(),
        "a,b,c"u8.ToArray(),
        "say \"hi\", \"\"twice\"\""u8.ToArray(),
        "line1\nline2"u8.ToArray(),
        "line1\r\nline2\r\n"u8.ToArray(),
        "cr\ronly"u8.ToArray(),
        Encoding.UTF8.GetBytes("emoji 😀🌡️ é ü 日本"),
        "=1+2"u8.ToArray(),
        "+33 6 12"u8.ToArray(),
        "-12.5"u8.ToArray(),
        "@SUM(A1:A9)"u8.ToArray(),
        "\tleading tab"u8.ToArray(),
        "\rleading CR"u8.ToArray(),
        "  spaces around  "u8.ToArray(),
        [],
        "nul\0byte"u8.ToArray(),
        "{\"t\":21.5,\"u\":\"C\"}"u8.ToArray(),
        "back\\slash \u2028 sep"u8.ToArray(),
        [0xFF, 0xFE, 0x00, 0x80, (byte)'"', (byte)',', (byte)'\n'],
        [0xED, 0xA0, 0x80], // UTF-8 of a lone surrogate: not valid UTF-8
        [0xC3], // truncated sequence
    ];
}
