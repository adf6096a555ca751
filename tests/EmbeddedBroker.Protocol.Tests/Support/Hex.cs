using System.Globalization;
using System.Text;

namespace EmbeddedBroker.Protocol.Tests.Support;

/// <summary>
/// Hand-written packet bytes: hex tokens plus 'quoted' ASCII text, e.g. "10 10 00 04 'MQTT' 04 02 00 3C".
/// Keeps expected bytes readable next to the spec figures instead of produced by the encoder under test.
/// </summary>
internal static class Hex
{
    public static byte[] Parse(string text)
    {
        var bytes = new List<byte>();
        var index = 0;
        while (index < text.Length)
        {
            var c = text[index];
            if (char.IsWhiteSpace(c))
            {
                index++;
            }
            else if (c == '\'')
            {
                var end = text.IndexOf('\'', index + 1);
                bytes.AddRange(System.Text.Encoding.ASCII.GetBytes(text[(index + 1)..end]));
                index = end + 1;
            }
            else
            {
                bytes.Add(byte.Parse(text.AsSpan(index, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
                index += 2;
            }
        }
        return [.. bytes];
    }

    public static string Format(ReadOnlySpan<byte> bytes) => Convert.ToHexString(bytes);
}
