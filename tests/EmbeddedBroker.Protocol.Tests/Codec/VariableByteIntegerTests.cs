using System.Buffers;
using EmbeddedBroker.Protocol.Tests.Support;
using EmbeddedBroker.Protocol.Writing;

namespace EmbeddedBroker.Protocol.Tests.Codec;

/// <summary>The boundaries of table 1.1 (5.0 section 1.5.5 / 3.1.1 table 2.4).</summary>
public sealed class VariableByteIntegerTests
{
    [TestCase(0, "00")]
    [TestCase(127, "7F")]
    [TestCase(128, "80 01")]
    [TestCase(16_383, "FF 7F")]
    [TestCase(16_384, "80 80 01")]
    [TestCase(2_097_151, "FF FF 7F")]
    [TestCase(2_097_152, "80 80 80 01")]
    [TestCase(268_435_455, "FF FF FF 7F")]
    public void Boundaries_of_table_1_1_encode_and_decode(int value, string bytes)
    {
        var expected = Hex.Parse(bytes);
        var buffer = new byte[4];

        var written = VariableByteInteger.Write(buffer, value);
        var reader = new SequenceReader<byte>(Segments.OneBytePerSegment(expected));
        var result = VariableByteInteger.TryRead(ref reader, out var read);

        Assert.Multiple(() =>
        {
            Assert.That(buffer[..written], Is.EqualTo(expected));
            Assert.That(VariableByteInteger.GetSize(value), Is.EqualTo(expected.Length));
            Assert.That(result, Is.EqualTo(VariableByteIntegerResult.Ok));
            Assert.That(read, Is.EqualTo(value));
        });
    }

    [Test]
    public void Values_over_268435455_cannot_be_encoded()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => VariableByteInteger.GetSize(268_435_456));
    }
}
