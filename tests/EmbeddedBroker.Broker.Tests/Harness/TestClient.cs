using System.Buffers;
using System.IO.Pipelines;
using EmbeddedBroker.Protocol;
using EmbeddedBroker.Protocol.Packets;

namespace EmbeddedBroker.Broker.Tests.Harness;

/// <summary>
/// A raw MQTT peer over two in-memory pipes, driving <see cref="MqttBroker.RunConnectionAsync"/> directly. It sends and
/// receives packets through the Protocol codec (or raw bytes), so every byte the broker writes is checked by a decoder.
/// </summary>
internal sealed class TestClient : IAsyncDisposable
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(5);

    private readonly Pipe _toServer = new();
    private readonly Pipe _toClient = new();
    private readonly Queue<MqttPacket> _stash = new();
    private ushort _nextPacketId;

    private readonly CancellationTokenSource _connectionClosed = new();

    public TestClient(MqttBroker broker, MqttProtocolVersion version = MqttProtocolVersion.V311, string remoteEndPoint = "memory:1")
    {
        Version = version;
        var transport = new DuplexPipe(_toServer.Reader, _toClient.Writer);
        var context = new MqttConnectionContext { Transport = "memory", RemoteEndPoint = remoteEndPoint };
        ServerTask = Task.Run(() => broker.RunConnectionAsync(transport, context, _connectionClosed.Token));
    }

    public MqttProtocolVersion Version { get; set; }

    /// <summary>Completes when the broker has finished with this connection.</summary>
    public Task ServerTask { get; }

    public ushort NextPacketId() => ++_nextPacketId == 0 ? ++_nextPacketId : _nextPacketId;

    public async Task SendAsync(MqttPacket packet)
    {
        MqttPacketEncoder.Encode(packet, Version, _toServer.Writer);
        await _toServer.Writer.FlushAsync();
    }

    public async Task SendRawAsync(params byte[] bytes) => await _toServer.Writer.WriteAsync(bytes);

    /// <summary>Cancels the connection token, as Kestrel does when it notices the peer is gone.</summary>
    public async Task SignalTransportClosedAsync() => await _connectionClosed.CancelAsync();

    /// <summary>Closes the client-to-server direction without DISCONNECT, like a dropped TCP connection.</summary>
    public async Task AbortAsync() => await _toServer.Writer.CompleteAsync();

    /// <summary>The next packet, or null when the broker closed the connection. Throws <see cref="TimeoutException"/>.</summary>
    public async Task<MqttPacket?> ReceiveOrNullAsync(TimeSpan? timeout = null) =>
        _stash.TryDequeue(out var stashed) ? stashed : await ReceiveFreshOrNullAsync(timeout);

    /// <summary>
    /// The next packet of type <typeparamref name="T"/>; packets of other types that arrive first (e.g. a PUBLISH the
    /// broker sends before the PUBCOMP the test waits for) are kept, in order, for later receives.
    /// </summary>
    public async Task<T> ExpectAsync<T>(TimeSpan? timeout = null)
        where T : MqttPacket
    {
        T? found = null;
        for (var n = _stash.Count; n > 0; n--)
        {
            var packet = _stash.Dequeue();
            if (found is null && packet is T match)
                found = match;
            else
                _stash.Enqueue(packet);
        }

        while (found is null)
        {
            var packet = await ReceiveFreshOrNullAsync(timeout) ?? throw new AssertionException($"closed while waiting for {typeof(T).Name}");
            if (packet is T match)
                found = match;
            else
                _stash.Enqueue(packet);
        }

        return found;
    }

    private async Task<MqttPacket?> ReceiveFreshOrNullAsync(TimeSpan? timeout)
    {
        using var cts = new CancellationTokenSource(timeout ?? DefaultTimeout);
        var reader = _toClient.Reader;
        while (true)
        {
            ReadResult result;
            try
            {
                result = await reader.ReadAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"no packet from the broker within {timeout ?? DefaultTimeout}");
            }

            var buffer = result.Buffer;
            var status = MqttPacketDecoder.TryDecode(buffer, Version, 0, out var packet, out var consumed, out var error);
            if (status == DecodeStatus.Decoded)
            {
                reader.AdvanceTo(consumed);
                return packet;
            }

            reader.AdvanceTo(buffer.Start, buffer.End);
            if (status != DecodeStatus.NeedMoreData)
                throw new AssertionException($"the broker sent an undecodable packet: {error}");
            if (result.IsCompleted)
                return null;
        }
    }

    public async Task<MqttPacket> ReceiveAsync(TimeSpan? timeout = null) =>
        await ReceiveOrNullAsync(timeout) ?? throw new AssertionException("the broker closed the connection");

    public async Task<T> ReceiveAsync<T>(TimeSpan? timeout = null)
        where T : MqttPacket
    {
        var packet = await ReceiveAsync(timeout);
        Assert.That(packet, Is.InstanceOf<T>(), $"expected {typeof(T).Name}, got {packet.Type}");
        return (T)packet;
    }

    /// <summary>The next bytes exactly as the broker wrote them.</summary>
    public async Task<byte[]> ReceiveRawAsync(int count, TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? DefaultTimeout);
        var reader = _toClient.Reader;
        while (true)
        {
            var result = await reader.ReadAsync(cts.Token);
            if (result.Buffer.Length >= count)
            {
                var bytes = result.Buffer.Slice(0, count).ToArray();
                reader.AdvanceTo(result.Buffer.GetPosition(count));
                return bytes;
            }

            reader.AdvanceTo(result.Buffer.Start, result.Buffer.End);
            if (result.IsCompleted)
                throw new AssertionException($"closed after {result.Buffer.Length} of {count} bytes");
        }
    }

    /// <summary>Waits until the broker closes the connection; returns what it sent before closing.</summary>
    public async Task<List<MqttPacket>> WaitForCloseAsync(TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? DefaultTimeout);
        var packets = new List<MqttPacket>();
        while (true)
        {
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero)
                throw new TimeoutException("the broker did not close the connection");
            var packet = await ReceiveOrNullAsync(left);
            if (packet is null)
                return packets;
            packets.Add(packet);
        }
    }

    /// <summary>Asserts that nothing arrives within <paramref name="window"/> (and that the connection stays open).</summary>
    public async Task AssertNothingReceivedAsync(TimeSpan? window = null)
    {
        try
        {
            var packet = await ReceiveOrNullAsync(window ?? TimeSpan.FromMilliseconds(200));
            Assert.Fail(packet is null ? "the connection was closed" : $"unexpected {packet.Type}");
        }
        catch (TimeoutException)
        {
            // Expected: silence.
        }
    }

    public async Task<ConnAckPacket> ConnectAsync(
        string clientId,
        bool cleanSession = true,
        ushort keepAliveSeconds = 0,
        MqttWill? will = null,
        MqttProperties? properties = null,
        string? username = null,
        byte[]? password = null)
    {
        await SendAsync(new ConnectPacket
        {
            ProtocolName = Version == MqttProtocolVersion.V310 ? "MQIsdp" : "MQTT",
            ProtocolLevel = (byte)Version,
            ClientId = clientId,
            CleanSession = cleanSession,
            KeepAliveSeconds = keepAliveSeconds,
            Will = will,
            Username = username,
            Password = password is null ? (ReadOnlyMemory<byte>?)null : password, // plain "? null :" would convert null to an empty array
            Properties = properties ?? MqttProperties.Empty,
        });
        return await ReceiveAsync<ConnAckPacket>();
    }

    /// <summary>CONNECT that must be accepted.</summary>
    public async Task<ConnAckPacket> ConnectOkAsync(string clientId, bool cleanSession = true, ushort keepAliveSeconds = 0, MqttWill? will = null, MqttProperties? properties = null)
    {
        var connAck = await ConnectAsync(clientId, cleanSession, keepAliveSeconds, will, properties);
        Assert.That(connAck.ReasonCode, Is.EqualTo(MqttReasonCode.Success));
        return connAck;
    }

    public async Task<SubAckPacket> SubscribeAsync(string filter, MqttQualityOfService qos = MqttQualityOfService.AtMostOnce) =>
        await SubscribeAsync(new MqttTopicSubscription(filter, qos));

    public async Task<SubAckPacket> SubscribeAsync(params MqttTopicSubscription[] subscriptions)
    {
        var id = NextPacketId();
        await SendAsync(new SubscribePacket { PacketId = id, Subscriptions = subscriptions });
        var subAck = await ExpectAsync<SubAckPacket>();
        Assert.That(subAck.PacketId, Is.EqualTo(id));
        return subAck;
    }

    public async Task<UnsubAckPacket> UnsubscribeAsync(params string[] filters)
    {
        var id = NextPacketId();
        await SendAsync(new UnsubscribePacket { PacketId = id, TopicFilters = filters });
        var unsubAck = await ExpectAsync<UnsubAckPacket>();
        Assert.That(unsubAck.PacketId, Is.EqualTo(id));
        return unsubAck;
    }

    /// <summary>Publishes and completes the acknowledgement flow of the QoS (PUBACK, or PUBREC/PUBREL/PUBCOMP).</summary>
    public async Task<MqttReasonCode> PublishAsync(string topic, string payload, MqttQualityOfService qos = MqttQualityOfService.AtMostOnce, bool retain = false, MqttProperties? properties = null)
    {
        var id = qos == MqttQualityOfService.AtMostOnce ? (ushort)0 : NextPacketId();
        await SendAsync(new PublishPacket
        {
            Topic = topic,
            Payload = System.Text.Encoding.UTF8.GetBytes(payload),
            Qos = qos,
            Retain = retain,
            PacketId = id,
            Properties = properties ?? MqttProperties.Empty,
        });
        switch (qos)
        {
            case MqttQualityOfService.AtLeastOnce:
                var ack = await ExpectAsync<PubAckPacket>();
                Assert.That(ack.PacketId, Is.EqualTo(id));
                return ack.ReasonCode;
            case MqttQualityOfService.ExactlyOnce:
                var rec = await ExpectAsync<PubRecPacket>();
                Assert.That(rec.PacketId, Is.EqualTo(id));
                await SendAsync(new PubRelPacket { PacketId = id });
                var comp = await ExpectAsync<PubCompPacket>();
                Assert.That(comp.PacketId, Is.EqualTo(id));
                return rec.ReasonCode;
            default:
                return MqttReasonCode.Success;
        }
    }

    /// <summary>Receives a PUBLISH and acknowledges it as its QoS requires.</summary>
    public async Task<PublishPacket> ReceivePublishAsync(bool acknowledge = true, TimeSpan? timeout = null)
    {
        var publish = await ReceiveAsync<PublishPacket>(timeout);
        if (!acknowledge)
            return publish;
        if (publish.Qos == MqttQualityOfService.AtLeastOnce)
        {
            await SendAsync(new PubAckPacket { PacketId = publish.PacketId });
        }
        else if (publish.Qos == MqttQualityOfService.ExactlyOnce)
        {
            await SendAsync(new PubRecPacket { PacketId = publish.PacketId });
            var rel = await ExpectAsync<PubRelPacket>(); // further PUBLISH packets may come first
            Assert.That(rel.PacketId, Is.EqualTo(publish.PacketId));
            await SendAsync(new PubCompPacket { PacketId = publish.PacketId });
        }

        return publish;
    }

    public async Task DisconnectAsync()
    {
        await SendAsync(new DisconnectPacket());
        await WaitForCloseAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await _toServer.Writer.CompleteAsync();
        await _toClient.Reader.CompleteAsync();
        try
        {
            await ServerTask.WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (TimeoutException)
        {
            Assert.Fail("the broker did not finish the connection after the client went away");
        }

        _connectionClosed.Dispose();
    }

    private sealed class DuplexPipe(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input { get; } = input;
        public PipeWriter Output { get; } = output;
    }
}

internal static class PayloadExtensions
{
    public static string Text(this PublishPacket publish) => System.Text.Encoding.UTF8.GetString(publish.Payload.Span);
}
