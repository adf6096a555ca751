using System.Text;

namespace EmbeddedBroker.Fuzzing;

/// <summary>Strings an MQTT receiver must refuse (3.1.1 1.5.3, 5.0 1.5.4): ill-formed UTF-8 and U+0000, inside ordinary text.</summary>
internal static class Utf8Faults
{
    // Lone continuation bytes, overlong forms, UTF-16 surrogates, code points above U+10FFFF, bytes UTF-8 never uses,
    // multi-byte sequences cut short.
    private static readonly byte[][] IllFormed =
    [
        [0x80], [0xBF], [0xC0, 0xAF], [0xC1, 0xBF], [0xE0, 0x80, 0xAF], [0xED, 0xA0, 0x80], [0xED, 0xBF, 0xBF],
        [0xF4, 0x90, 0x80, 0x80], [0xF5, 0x80, 0x80, 0x80], [0xFE], [0xFF], [0xE2, 0x82], [0xC3], [0xF0, 0x9F, 0x98],
    ];

    /// <summary>Text around one ill-formed sequence (MQTT-1.5.3-1, MQTT-1.5.4-1).</summary>
    public static byte[] IllFormedText(SessionModel s, string around) => Splice(s, around, s.Pick(IllFormed));

    /// <summary>Text around U+0000 (MQTT-1.5.3-2, MQTT-1.5.4-2).</summary>
    public static byte[] WithNul(SessionModel s, string around) => Splice(s, around, [0x00]);

    private static byte[] Splice(SessionModel s, string around, byte[] fault)
    {
        var text = Encoding.UTF8.GetBytes(around);
        // Only between characters: a fault inside a multi-byte character would be a different (still ill-formed) fault.
        var cut = Encoding.UTF8.GetByteCount(around[..CharBoundary(s, around)]);
        return [.. text.AsSpan(0, cut), .. fault, .. text.AsSpan(cut)];
    }

    private static int CharBoundary(SessionModel s, string text)
    {
        var index = s.Random.Next(text.Length + 1);
        return index < text.Length && char.IsLowSurrogate(text[index]) ? index - 1 : index;
    }
}
