using System.Buffers.Binary;
using EmbeddedBroker.Client;

namespace EmbeddedBroker.Bench.Scenarios;

/// <summary>
/// Proves that a shared subscription delivers each message once across the group: every payload carries its
/// publisher and sequence number (12 bytes, then padding to --payload), and every delivery, whichever member got it,
/// sets that message's bit; a bit already set is a duplicate.
/// </summary>
internal sealed class ExactlyOnceLedger
{
    private readonly int _payloadSize;
    private readonly long[] _issued;
    private readonly Seen[] _seen;
    private long _duplicates;

    public ExactlyOnceLedger(int publishers, int payloadSize)
    {
        _payloadSize = Math.Max(12, payloadSize);
        _issued = new long[publishers];
        _seen = [.. Enumerable.Range(0, publishers).Select(_ => new Seen())];
    }

    public long Duplicates => Interlocked.Read(ref _duplicates);

    public long Unique => _seen.Sum(s => s.Count);

    /// <summary>Payloads built: messages sent, plus any still in flight or refused when the run stopped. Read after the run.</summary>
    public long Issued => _issued.Sum();

    /// <summary>Publisher <paramref name="publisher"/>'s next payload: a fresh array, as the client does not copy it.</summary>
    public Func<ReadOnlyMemory<byte>> PayloadsOf(int publisher) => () =>
    {
        var payload = new byte[_payloadSize];
        BinaryPrimitives.WriteInt32LittleEndian(payload, publisher);
        BinaryPrimitives.WriteInt64LittleEndian(payload.AsSpan(4), Interlocked.Increment(ref _issued[publisher]));
        return payload;
    };

    /// <summary>The ledger read once, after the run and its drain, against what the publishers counted as sent.</summary>
    public ExactlyOnceFigures Snapshot(long sent) => new(Issued, Unique, Duplicates, sent);

    public void Record(MqttReceivedMessage message)
    {
        var span = message.Payload.Span;
        var publisher = BinaryPrimitives.ReadInt32LittleEndian(span);
        var sequence = BinaryPrimitives.ReadInt64LittleEndian(span[4..]);
        if (!_seen[publisher].Add(sequence))
        {
            Interlocked.Increment(ref _duplicates);
        }
    }

    /// <summary>One publisher's sequence numbers seen so far, as a growing bitmap.</summary>
    private sealed class Seen
    {
        private readonly Lock _lock = new();
        private ulong[] _bits = new ulong[1024];
        private long _count;

        public long Count => Interlocked.Read(ref _count);

        public bool Add(long sequence)
        {
            lock (_lock)
            {
                var word = (int)(sequence >> 6);
                if (word >= _bits.Length)
                {
                    Array.Resize(ref _bits, Math.Max(_bits.Length * 2, word + 1));
                }

                var mask = 1UL << (int)(sequence & 63);
                if ((_bits[word] & mask) != 0)
                {
                    return false;
                }

                _bits[word] |= mask;
                _count++;
                return true;
            }
        }
    }
}

/// <summary>
/// Every message sent (acknowledged or written) must have reached exactly one member: none twice (duplicates) and
/// none lost (missing). Messages still in flight when the run stopped may arrive without being counted as sent, so
/// unique deliveries can exceed sent by up to the publishers' windows; that is not a duplicate. At saturation a broker
/// that drops on a full queue, or a backlog not drained in time, also shows as missing: the paced case is the check.
/// </summary>
internal sealed record ExactlyOnceFigures(long Issued, long Unique, long Duplicates, long Sent)
{
    public long Missing => Math.Max(0, Sent - Unique);

    public BenchResult Report(BenchResult result) => result
        .Set("issued", Issued)
        .Set("uniqueDelivered", Unique)
        .Set("duplicates", Duplicates)
        .Set("missing", Missing)
        .Set("exactlyOnce", Duplicates == 0 && Missing == 0 && Unique > 0);
}
