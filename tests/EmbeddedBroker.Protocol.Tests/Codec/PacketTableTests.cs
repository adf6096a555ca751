using EmbeddedBroker.Protocol.Tests.Support;

namespace EmbeddedBroker.Protocol.Tests.Codec;

/// <summary>Both directions of every row in <see cref="PacketTable"/>, including split pipe buffers.</summary>
public sealed class PacketTableTests
{
    private static IEnumerable<PacketCase> RoundTrip() => PacketTable.RoundTrip();
    private static IEnumerable<PacketCase> DecodeOnly() => PacketTable.DecodeOnly();
    private static IEnumerable<PacketCase> EncodeOnly() => PacketTable.EncodeOnly();
    private static IEnumerable<PacketCase> AllDecodable() => PacketTable.RoundTrip().Concat(PacketTable.DecodeOnly());
    private static IEnumerable<PacketCase> AllEncodable() => PacketTable.RoundTrip().Concat(PacketTable.EncodeOnly());

    [TestCaseSource(nameof(AllEncodable))]
    public void Encode_writes_the_spec_bytes(PacketCase row)
    {
        var encoded = Wire.Encode(row.Packet, row.Version);

        Assert.That(Hex.Format(encoded), Is.EqualTo(Hex.Format(Hex.Parse(row.Bytes))));
    }

    [TestCaseSource(nameof(AllEncodable))]
    public void GetEncodedSize_is_exactly_the_encoded_length(PacketCase row)
    {
        Assert.That(MqttPacketEncoder.GetEncodedSize(row.Packet, row.Version), Is.EqualTo(Hex.Parse(row.Bytes).Length));
    }

    [TestCaseSource(nameof(AllDecodable))]
    public void Decode_reads_back_every_field(PacketCase row)
    {
        var bytes = Hex.Parse(row.Bytes);

        var (status, packet, consumed, error) = Wire.Decode(bytes, row.Version);

        Assert.That(status, Is.EqualTo(DecodeStatus.Decoded), error);
        Assert.That(consumed, Is.EqualTo(bytes.Length));
        Assert.That(PacketDump.Of(packet), Is.EqualTo(PacketDump.Of(row.Packet)));
    }

    [TestCaseSource(nameof(AllDecodable))]
    public void Decode_of_one_byte_segments_gives_the_same_packet(PacketCase row)
    {
        var bytes = Hex.Parse(row.Bytes);

        var (status, packet, consumed, error) = Wire.Decode(Segments.OneBytePerSegment(bytes), row.Version);

        Assert.That(status, Is.EqualTo(DecodeStatus.Decoded), error);
        Assert.That(consumed, Is.EqualTo(bytes.Length));
        Assert.That(PacketDump.Of(packet), Is.EqualTo(PacketDump.Of(row.Packet)));
    }

    [TestCaseSource(nameof(RoundTrip))]
    public void Decode_split_at_every_point_gives_the_same_packet(PacketCase row)
    {
        var bytes = Hex.Parse(row.Bytes);
        var expected = PacketDump.Of(row.Packet);
        // The 20000-byte payload row would make this quadratic; its first 64 split points cover the header.
        var lastSplit = Math.Min(bytes.Length - 1, 64);

        for (var split = 1; split <= lastSplit; split++)
        {
            var (status, packet, consumed, error) = Wire.Decode(Segments.SplitAt(bytes, split), row.Version);

            Assert.That(status, Is.EqualTo(DecodeStatus.Decoded), $"split at {split}: {error}");
            Assert.That(consumed, Is.EqualTo(bytes.Length), $"split at {split}");
            Assert.That(PacketDump.Of(packet), Is.EqualTo(expected), $"split at {split}");
        }
    }

    [TestCaseSource(nameof(RoundTrip))]
    public void Every_incomplete_prefix_needs_more_data_and_consumes_nothing(PacketCase row)
    {
        var bytes = Hex.Parse(row.Bytes);
        var lastPrefix = Math.Min(bytes.Length - 1, 64);

        for (var length = 0; length <= lastPrefix; length++)
        {
            var (status, packet, consumed, _) = Wire.Decode(Segments.OneBytePerSegment(bytes[..length]), row.Version);

            Assert.That(status, Is.EqualTo(DecodeStatus.NeedMoreData), $"prefix of {length} bytes");
            Assert.That(consumed, Is.Zero, $"prefix of {length} bytes");
            Assert.That(packet, Is.Null, $"prefix of {length} bytes");
        }
    }
}
