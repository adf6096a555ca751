using System.Buffers;
using System.Buffers.Binary;
using EmbeddedBroker.Protocol;

namespace EmbeddedBroker.Client;

public sealed partial class MqttClient
{
    // Flush at least this often inside a long batch so the pipe's buffer stays bounded.
    private const int FlushThresholdBytes = 64 * 1024;

    private long _lastSentTicks = Environment.TickCount64;

    private async Task WriteLoopAsync()
    {
        var output = _transport.Output;
        var reader = _outgoing.Reader;
        List<TaskCompletionSource>? written = null;
        try
        {
            while (await reader.WaitToReadAsync().ConfigureAwait(false))
            {
                var credits = 0;
                var unflushed = 0;
                while (Volatile.Read(ref _state) != StateClosed && reader.TryRead(out var item))
                {
                    unflushed += Write(item, output);
                    if (item.HoldsCredit)
                    {
                        credits++;
                    }

                    if (item.Written is not null)
                    {
                        (written ??= []).Add(item.Written);
                    }

                    if (unflushed >= FlushThresholdBytes)
                    {
                        if ((await output.FlushAsync().ConfigureAwait(false)).IsCompleted)
                        {
                            return;
                        }

                        unflushed = 0;
                        credits = ReleaseCredits(credits);
                    }
                }

                var flush = await output.FlushAsync().ConfigureAwait(false);
                Volatile.Write(ref _lastSentTicks, Environment.TickCount64);
                ReleaseCredits(credits);
                if (written is { Count: > 0 })
                {
                    foreach (var completion in written)
                    {
                        completion.TrySetResult();
                    }

                    written.Clear();
                }

                if (flush.IsCompleted || flush.IsCanceled || Volatile.Read(ref _state) == StateClosed)
                {
                    return;
                }
            }
        }
        catch (Exception ex)
        {
            if (Volatile.Read(ref _state) == StateConnected)
            {
                Terminate(new MqttConnectionLostEventArgs(ex, null));
            }
        }
        finally
        {
            await output.CompleteAsync().ConfigureAwait(false);
            // Anything still queued or waiting for its flush will never be written.
            var closed = new MqttConnectionClosedException();
            foreach (var completion in written ?? [])
            {
                completion.TrySetException(closed);
            }

            while (reader.TryRead(out var item))
            {
                item.Written?.TrySetException(closed);
            }
        }
    }

    private int ReleaseCredits(int credits)
    {
        if (credits > 0)
        {
            OnQos0Written(credits);
        }

        return 0;
    }

    private int Write(in OutgoingPacket item, System.IO.Pipelines.PipeWriter output)
    {
        if (item.Packet is { } packet)
        {
            return MqttPacketEncoder.Encode(packet, _version, output);
        }

        if (item.AckType != 0)
        {
            // Every version accepts the 2-byte form; 5.0 omits reason code and properties when Success and none (MQTT 3.4.2.1).
            var span = output.GetSpan(4);
            span[0] = (byte)((byte)item.AckType << 4 | (item.AckType == MqttPacketType.PubRel ? 0b0010 : 0));
            span[1] = 2;
            BinaryPrimitives.WriteUInt16BigEndian(span[2..], item.AckId);
            output.Advance(4);
            return 4;
        }

        output.Write(item.Raw.Span);
        return item.Raw.Length;
    }
}
