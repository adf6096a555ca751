using System.Text;

namespace EmbeddedBroker.Protocol.Writing;

/// <summary>Sizes of length-prefixed MQTT strings and binary data (1.5.3 / 5.0 1.5.4, 1.5.6): at most 65,535 bytes.</summary>
internal static class MqttStrings
{
    public const int MaxLength = ushort.MaxValue;

    public static int GetSize(string value, string what)
    {
        var byteCount = Encoding.UTF8.GetByteCount(value);
        if (byteCount > MaxLength)
        {
            throw new ArgumentException($"{what} is {byteCount} UTF-8 bytes; MQTT strings hold at most 65,535 (1.5.3).");
        }
        return 2 + byteCount;
    }

    public static int GetBinarySize(int length, string what)
    {
        if (length > MaxLength)
        {
            throw new ArgumentException($"{what} is {length} bytes; MQTT binary data holds at most 65,535 (1.5.6).");
        }
        return 2 + length;
    }
}
