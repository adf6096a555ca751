using System.IO.Pipelines;
using EmbeddedBroker.Protocol;
using EmbeddedBroker.Protocol.Packets;

namespace EmbeddedBroker.Fuzzing;

/// <summary>One thing the broker did: sent a packet, closed the connection, sent bytes that are no packet, or nothing in time.</summary>
internal readonly record struct Reply(ReplyKind Kind, MqttPacket? Packet = null, long Size = 0, string? Problem = null)
{
    /// <summary>The connection was reset (TCP RST): a DISCONNECT the broker sent just before may have been lost with it.</summary>
    public bool WasReset { get; init; }
}

internal enum ReplyKind
{
    Packet,
    Closed,
    Undecodable,
    TimedOut,
}

/// <summary>Reads what the broker sends, packet by packet, through the Protocol codec: every byte it writes must decode.</summary>
internal sealed class BrokerReader(PipeReader input)
{
    /// <summary>The version the broker answers in: the CONNECT's, once it is known.</summary>
    public MqttProtocolVersion Version { get; set; } = MqttProtocolVersion.V311;

    public async Task<Reply> ReadAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        while (true)
        {
            ReadResult result;
            try
            {
                result = await input.ReadAsync(deadline.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return new Reply(ReplyKind.TimedOut);
            }
            catch (IOException)
            {
                return new Reply(ReplyKind.Closed) { WasReset = true };
            }

            var buffer = result.Buffer;
            if (!buffer.IsEmpty)
            {
                var status = MqttPacketDecoder.TryDecode(buffer, Version, 0, out var packet, out var consumed, out var error);
                if (status == DecodeStatus.Decoded)
                {
                    var size = buffer.Slice(0, consumed).Length;
                    input.AdvanceTo(consumed);
                    return new Reply(ReplyKind.Packet, packet, size);
                }

                if (status != DecodeStatus.NeedMoreData)
                {
                    var hex = Convert.ToHexString(System.Buffers.BuffersExtensions.ToArray(buffer.Slice(0, Math.Min(buffer.Length, 32))));
                    input.AdvanceTo(buffer.Start, buffer.End);
                    return new Reply(ReplyKind.Undecodable, Problem: $"{status}: {error} ({hex})");
                }
            }

            input.AdvanceTo(buffer.Start, buffer.End);
            if (result.IsCompleted)
            {
                return buffer.IsEmpty
                    ? new Reply(ReplyKind.Closed)
                    : new Reply(ReplyKind.Undecodable, Problem: $"the connection ended inside a packet ({buffer.Length} bytes left)");
            }
        }
    }
}
