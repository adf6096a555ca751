using System.Buffers.Binary;
using System.Text;

namespace EmbeddedBroker.Recorder.Database;

/// <summary>A byte string of a row: UTF-8 text or bytes, or SQL NULL.</summary>
internal readonly struct RowField(ReadOnlyMemory<byte> bytes, bool isNull)
{
    public ReadOnlyMemory<byte> Bytes { get; } = bytes;

    public bool IsNull { get; } = isNull;

    public string? Text => IsNull ? null : Encoding.UTF8.GetString(Bytes.Span);
}

/// <summary>A message row of a <see cref="RowBatch"/>.</summary>
internal readonly record struct MessageRow(
    long ReceivedAtTicks, byte Qos, bool Retain, byte Source, long PayloadFormat, long MessageExpiry,
    RowField Topic, RowField ClientId, RowField Payload, RowField ContentType, RowField ResponseTopic,
    RowField CorrelationData, RowField UserProperties);

/// <summary>A delivery receipt row of a <see cref="RowBatch"/>.</summary>
internal readonly record struct DeliveryRow(long AcknowledgedAtTicks, long MessageReceivedAtTicks, byte Qos, RowField Consumer, RowField Topic, RowField Publisher);

/// <summary>Reads the rows a <see cref="RowBatch"/> encoded, in order; each <see cref="Next"/> says which kind came.</summary>
internal struct RowReader(ReadOnlyMemory<byte> rows)
{
    private int at;

    /// <summary>The next row's kind (<see cref="RowBatch.MessageKind"/> or <see cref="RowBatch.DeliveryKind"/>), or 0 at the end.</summary>
    public byte Next() => at < rows.Length ? rows.Span[at++] : (byte)0;

    public MessageRow ReadMessage()
    {
        var receivedAt = Int64();
        var qos = Byte();
        var retain = Byte() != 0;
        var source = Byte();
        var payloadFormat = Int64();
        var expiry = Int64();
        return new MessageRow(receivedAt, qos, retain, source, payloadFormat, expiry,
            Field(), Field(), Field(), Field(), Field(), Field(), Field());
    }

    public DeliveryRow ReadDelivery()
    {
        var acknowledgedAt = Int64();
        var receivedAt = Int64();
        var qos = Byte();
        return new DeliveryRow(acknowledgedAt, receivedAt, qos, Field(), Field(), Field());
    }

    private byte Byte() => rows.Span[at++];

    private long Int64()
    {
        var value = BinaryPrimitives.ReadInt64LittleEndian(rows.Span[at..]);
        at += 8;
        return value;
    }

    private RowField Field()
    {
        var length = BinaryPrimitives.ReadInt32LittleEndian(rows.Span[at..]);
        at += 4;
        if (length < 0)
        {
            return new RowField(default, isNull: true);
        }

        var field = new RowField(rows.Slice(at, length), isNull: false);
        at += length;
        return field;
    }
}
