using EmbeddedBroker.Protocol;

namespace EmbeddedBroker.Fuzzing;

/// <summary>
/// Blind mutations of valid packets (bit flips, overwritten, inserted and deleted bytes, cuts, bogus or non-minimal
/// remaining lengths, splices, valid-then-garbage, repeats) and plain random bytes. Nobody knows the right answer to
/// most of them; the session still checks the invariants (closed or answered, never hung, the right close form).
/// </summary>
internal static class BlindMutations
{
    public static FuzzCase Mutate(SessionModel s, byte[] valid, byte[] other)
    {
        var (kind, bytes) = s.Random.Next(11) switch
        {
            0 => ("bits flipped", FlipBits(s, valid)),
            1 => ("bytes overwritten", Overwrite(s, valid)),
            2 => ("bytes inserted", Insert(s, valid)),
            3 => ("bytes deleted", Delete(s, valid)),
            4 => ("cut short", Cut(s, valid)),
            5 => ("remaining length replaced", ReplaceLength(s, valid)),
            6 => ("remaining length not minimal", NonMinimalLength(s, valid)),
            7 => ("valid then garbage", [.. valid, .. s.RandomBytes(1, 32)]),
            8 => ("spliced with another packet", Splice(s, valid, other)),
            9 => ("repeated", Enumerable.Repeat(valid, s.Random.Next(2, 5)).SelectMany(b => b).ToArray()),
            _ => ("random bytes", s.RandomBytes(1, 64)),
        };
        return FuzzCase.Blind($"{PacketName(valid[0])} {kind}", bytes);
    }

    private static string PacketName(byte firstByte) => ((MqttPacketType)(firstByte >> 4)).ToString().ToUpperInvariant();

    private static byte[] FlipBits(SessionModel s, byte[] valid)
    {
        var bytes = (byte[])valid.Clone();
        for (var i = s.Random.Next(1, 5); i > 0; i--)
            bytes[s.Random.Next(bytes.Length)] ^= (byte)(1 << s.Random.Next(8));
        return bytes;
    }

    private static byte[] Overwrite(SessionModel s, byte[] valid)
    {
        var bytes = (byte[])valid.Clone();
        for (var i = s.Random.Next(1, 4); i > 0; i--)
            bytes[s.Random.Next(bytes.Length)] = (byte)s.Random.Next(256);
        return bytes;
    }

    private static byte[] Insert(SessionModel s, byte[] valid)
    {
        var (header, body) = Split(valid);
        var at = s.Random.Next(body.Length + 1);
        return Reframe(s, header, [.. body.AsSpan(0, at), .. s.RandomBytes(1, 8), .. body.AsSpan(at)]);
    }

    private static byte[] Delete(SessionModel s, byte[] valid)
    {
        var (header, body) = Split(valid);
        if (body.Length == 0)
            return valid[..1];
        var at = s.Random.Next(body.Length);
        var count = Math.Min(s.Random.Next(1, 9), body.Length - at);
        return Reframe(s, header, [.. body.AsSpan(0, at), .. body.AsSpan(at + count)]);
    }

    private static byte[] Cut(SessionModel s, byte[] valid)
    {
        var (header, body) = Split(valid);
        return Reframe(s, header, body.AsSpan(0, s.Random.Next(body.Length + 1)).ToArray());
    }

    /// <summary>Half the time the remaining length follows the edit (a well-framed packet with odd content), half the time it
    /// keeps the old value (the framing itself is off).</summary>
    private static byte[] Reframe(SessionModel s, byte[] header, byte[] body) =>
        s.Chance(0.5) ? PacketBytes.Frame(header[0], body) : [.. header, .. body];

    private static byte[] ReplaceLength(SessionModel s, byte[] valid)
    {
        var (header, body) = Split(valid);
        var length = s.Random.Next(5) switch
        {
            0 => 0,
            1 => Math.Max(0, body.Length + s.Random.Next(-4, 5)),
            2 => s.Random.Next(4096),
            3 => s.Random.Next(1 << 21, 268_435_455),
            _ => -1,
        };
        byte[] lengthBytes = length >= 0 ? PacketBytes.Varint(length) : [0xFF, 0xFF, 0xFF, 0xFF, 0x7F];
        return [header[0], .. lengthBytes, .. body];
    }

    private static byte[] NonMinimalLength(SessionModel s, byte[] valid)
    {
        var (header, body) = Split(valid);
        var minimal = PacketBytes.Varint(body.Length);
        if (minimal.Length == 4)
            return valid;
        // The same value with a continuation byte of zero: accepted by receivers (MQTT-1.5.5-1 binds the sender).
        var target = s.Random.Next(minimal.Length + 1, 5);
        var padded = minimal.Select(b => (byte)(b | 0x80)).ToList();
        while (padded.Count < target - 1)
            padded.Add(0x80);
        padded.Add(0x00);
        return [header[0], .. padded, .. body];
    }

    private static byte[] Splice(SessionModel s, byte[] valid, byte[] other) =>
        [.. valid.AsSpan(0, s.Random.Next(1, valid.Length + 1)), .. other.AsSpan(s.Random.Next(other.Length))];

    private static (byte[] Header, byte[] Body) Split(byte[] valid)
    {
        PacketBytes.TryReadHeader(valid, out var headerLength, out _);
        return (valid[..headerLength], valid[headerLength..]);
    }
}
