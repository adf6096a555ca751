using System.Buffers;
using System.IO.Pipelines;
using EmbeddedBroker.Protocol;
using EmbeddedBroker.Protocol.Packets;

namespace EmbeddedBroker.Client.Tests.InMemory;

/// <summary>The server end of an in-memory pipe pair: reads and writes packets with the Protocol codec, scripted by the test.</summary>
public sealed class InMemoryServer
{
    private readonly Pipe _toServer = new();
    private readonly Pipe _toClient = new();

    public InMemoryServer(MqttProtocolVersion version = MqttProtocolVersion.V311) => Version = version;

    public MqttProtocolVersion Version { get; }

    /// <summary>The transport to give to <see cref="MqttClient.ConnectAsync(IDuplexPipe, MqttClientOptions, CancellationToken)"/>.</summary>
    public IDuplexPipe ClientTransport => new DuplexPipe(_toClient.Reader, _toServer.Writer);

    public async Task<MqttPacket?> ReceiveAsync(CancellationToken cancellationToken = default)
    {
        while (true)
        {
            var result = await _toServer.Reader.ReadAsync(cancellationToken);
            var status = MqttPacketDecoder.TryDecode(result.Buffer, Version, 0, out var packet, out var consumed, out var error);
            if (status == DecodeStatus.Decoded)
            {
                _toServer.Reader.AdvanceTo(consumed);
                return packet;
            }

            Assert.That(status, Is.EqualTo(DecodeStatus.NeedMoreData), error);
            _toServer.Reader.AdvanceTo(result.Buffer.Start, result.Buffer.End);
            if (result.IsCompleted)
            {
                return null;
            }
        }
    }

    public async Task SendAsync(MqttPacket packet)
    {
        MqttPacketEncoder.Encode(packet, Version, _toClient.Writer);
        await _toClient.Writer.FlushAsync();
    }

    /// <summary>Answers the CONNECT with the given CONNACK and returns the CONNECT.</summary>
    public async Task<ConnectPacket> AcceptAsync(ConnAckPacket connAck)
    {
        var connect = (ConnectPacket)(await ReceiveAsync())!;
        await SendAsync(connAck);
        return connect;
    }

    private sealed class DuplexPipe(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input { get; } = input;
        public PipeWriter Output { get; } = output;
    }
}
