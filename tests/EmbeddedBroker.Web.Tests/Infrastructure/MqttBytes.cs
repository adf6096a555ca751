namespace EmbeddedBroker.Web.Tests.Infrastructure;

/// <summary>MQTT 3.1.1 packets as raw bytes (section 3), for tests that control exactly how they are framed.</summary>
internal static class MqttBytes
{
    /// <summary>CONNECT, client id "ws1", clean session, keep-alive 60 s (3.1.2).</summary>
    public static readonly byte[] Connect =
    [
        0x10, 0x0F,
        0x00, 0x04, (byte)'M', (byte)'Q', (byte)'T', (byte)'T', 0x04, 0x02, 0x00, 0x3C,
        0x00, 0x03, (byte)'w', (byte)'s', (byte)'1',
    ];

    /// <summary>CONNECT, client id "ww", clean session, will "gone" on "will/t" at QoS 0 (3.1.2.5, 3.1.3.2).</summary>
    public static readonly byte[] ConnectWithWill =
    [
        0x10, 0x1C,
        0x00, 0x04, (byte)'M', (byte)'Q', (byte)'T', (byte)'T', 0x04, 0x06, 0x00, 0x3C,
        0x00, 0x02, (byte)'w', (byte)'w',
        0x00, 0x06, (byte)'w', (byte)'i', (byte)'l', (byte)'l', (byte)'/', (byte)'t',
        0x00, 0x04, (byte)'g', (byte)'o', (byte)'n', (byte)'e',
    ];

    /// <summary>CONNACK, session present 0, return code 0 (3.2).</summary>
    public static readonly byte[] ConnackAccepted = [0x20, 0x02, 0x00, 0x00];

    /// <summary>SUBSCRIBE packet id 1 to "t" at QoS 0 (3.8).</summary>
    public static readonly byte[] SubscribeT = [0x82, 0x06, 0x00, 0x01, 0x00, 0x01, (byte)'t', 0x00];

    /// <summary>SUBACK packet id 1 granting QoS 0 (3.9).</summary>
    public static readonly byte[] SubackT = [0x90, 0x03, 0x00, 0x01, 0x00];

    /// <summary>PUBLISH QoS 0 to "t" with payload "hi" (3.3).</summary>
    public static readonly byte[] PublishTHi = [0x30, 0x05, 0x00, 0x01, (byte)'t', (byte)'h', (byte)'i'];

    public static readonly byte[] PingReq = [0xC0, 0x00];

    public static readonly byte[] PingResp = [0xD0, 0x00];
}
