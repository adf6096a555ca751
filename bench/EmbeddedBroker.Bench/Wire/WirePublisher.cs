using System.Buffers;
using System.Net;
using EmbeddedBroker.Protocol;
using EmbeddedBroker.Protocol.Packets;

namespace EmbeddedBroker.Bench.Wire;

/// <summary>
/// A publisher on a bare socket, for what the client's PublishAsync cannot send: with topic aliases (MQTT 5, 3.3.2.3.4)
/// it sends the topic once with alias 1 and then only the alias. Without aliases it is the control case, so that the
/// alias cost is measured with the same publisher code. QoS 0 writes batches and lets TCP push back; QoS 1 keeps
/// options.Window publishes in flight and counts a message as sent on its PUBACK, as the client-based publishers do.
/// </summary>
internal sealed class WirePublisher : IAsyncDisposable
{
    private const ushort Alias = 1;
    private const int BatchSize = 32;

    private readonly WireConnection _connection;
    private readonly bool _useAlias;
    private readonly int _window;
    private ushort _nextPacketId;
    private bool _aliasSent;

    private WirePublisher(WireConnection connection, bool useAlias, int window)
    {
        _connection = connection;
        _useAlias = useAlias;
        _window = window;
    }

    public bool IsConnected { get; private set; } = true;

    public static async Task<WirePublisher> ConnectAsync(BenchOptions options, string role, CancellationToken cancellationToken)
    {
        if (options.Qos == MqttQualityOfService.ExactlyOnce)
        {
            throw new ArgumentException("wire publishers (--topic-alias, --wire-publishers) publish QoS 0 or 1 only");
        }

        if (options.TopicAlias && options.Protocol != MqttProtocolVersion.V500)
        {
            throw new ArgumentException("--topic-alias needs --protocol 5");
        }

        var broker = new IPEndPoint(IPAddress.Parse(options.Host), options.Port);
        var connection = await WireConnection.OpenAsync(broker, source: null, options.Protocol, cancellationToken, receiveBufferSize: 4096);
        var connAck = await connection.HandshakeAsync(BenchClients.ConnectPacket(options, role), cancellationToken);
        if (connAck.ReasonCode != MqttReasonCode.Success)
        {
            await connection.DisposeAsync();
            throw new InvalidOperationException($"CONNECT refused: {connAck.ReasonCode}.");
        }

        if (options.TopicAlias && (connAck.Properties.TopicAliasMaximum ?? 0) < Alias)
        {
            await connection.DisposeAsync();
            throw new UnsupportedFeatureException("client topic aliases (CONNACK Topic Alias Maximum 0)");
        }

        var window = Math.Clamp(options.Window, 1, connAck.Properties.ReceiveMaximum ?? ushort.MaxValue);
        return new WirePublisher(connection, options.TopicAlias, window);
    }

    /// <summary>Publishes until stopped; <paramref name="sent"/> counts what was written (QoS 0) or acknowledged (QoS 1).</summary>
    public async Task RunAsync(string topic, Func<ReadOnlyMemory<byte>> payload, MqttQualityOfService qos, int rate, Counter sent, CancellationToken stop)
    {
        using var credits = new SemaphoreSlim(_window);
        var acknowledging = qos == MqttQualityOfService.AtLeastOnce ? CountAcknowledgementsAsync(sent, credits, stop) : Task.CompletedTask;
        var pacer = rate > 0 ? new Pacer(rate) : null;
        var batch = new ArrayBufferWriter<byte>(4096);
        try
        {
            while (!stop.IsCancellationRequested)
            {
                var count = await NextBatchSizeAsync(qos, pacer, credits, stop);
                batch.ResetWrittenCount();
                for (var i = 0; i < count; i++)
                {
                    MqttPacketEncoder.Encode(NextPublish(topic, payload(), qos), _connection.Version, batch);
                }

                await _connection.SendAsync(batch.WrittenMemory, stop);
                if (qos == MqttQualityOfService.AtMostOnce)
                {
                    sent.Add(count);
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
        catch (Exception ex) when (ex is IOException or System.Net.Sockets.SocketException)
        {
            IsConnected = false;
        }

        await acknowledging;
    }

    /// <summary>Paced: one message when due. QoS 1: as many as there are credits (at least one, waited for). QoS 0: a batch.</summary>
    private static async ValueTask<int> NextBatchSizeAsync(MqttQualityOfService qos, Pacer? pacer, SemaphoreSlim credits, CancellationToken stop)
    {
        if (pacer is not null)
        {
            await pacer.WaitForNextAsync(stop);
        }

        if (qos == MqttQualityOfService.AtMostOnce)
        {
            return pacer is null ? BatchSize : 1;
        }

        await credits.WaitAsync(stop);
        var count = 1;
        while (pacer is null && count < BatchSize && credits.Wait(0, CancellationToken.None))
        {
            count++;
        }

        return count;
    }

    private PublishPacket NextPublish(string topic, ReadOnlyMemory<byte> payload, MqttQualityOfService qos)
    {
        var packetId = qos == MqttQualityOfService.AtMostOnce ? (ushort)0 : NextPacketId();
        if (!_useAlias)
        {
            return new PublishPacket { Topic = topic, Payload = payload, Qos = qos, PacketId = packetId };
        }

        // The first PUBLISH sets the alias up with the topic; the following ones carry an empty topic (MQTT-3.3.2-12).
        var withTopic = !_aliasSent;
        _aliasSent = true;
        return new PublishPacket
        {
            Topic = withTopic ? topic : "",
            Payload = payload,
            Qos = qos,
            PacketId = packetId,
            Properties = new MqttProperties { TopicAlias = Alias },
        };
    }

    private ushort NextPacketId()
    {
        _nextPacketId = _nextPacketId == ushort.MaxValue ? (ushort)1 : (ushort)(_nextPacketId + 1);
        return _nextPacketId;
    }

    private async Task CountAcknowledgementsAsync(Counter sent, SemaphoreSlim credits, CancellationToken stop)
    {
        try
        {
            while (!stop.IsCancellationRequested)
            {
                if (await _connection.ReceiveAsync(stop) is PubAckPacket)
                {
                    sent.Increment();
                    credits.Release();
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
        catch (Exception ex) when (ex is IOException or InvalidDataException or System.Net.Sockets.SocketException)
        {
            IsConnected = false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await _connection.SendAsync(new DisconnectPacket(), timeout.Token);
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or System.Net.Sockets.SocketException)
        {
            // The broker already dropped the connection: closing is all that is left.
        }

        await _connection.DisposeAsync();
    }
}
