using System.Buffers;
using System.Net;
using System.Net.Sockets;
using EmbeddedBroker.Protocol;
using EmbeddedBroker.Protocol.Packets;

namespace EmbeddedBroker.Bench.Wire;

/// <summary>
/// One MQTT connection driven packet by packet over a bare socket, with the project's codec. For what the client
/// cannot do or would do at too high a cost for the measurement: bind to a chosen source address (idle and connect
/// scenarios spread over 127.0.0.x), hold 100,000 connections with no loops of their own, and publish with topic
/// aliases. The receive buffer starts small (an idle connection only ever reads CONNACK and PINGRESP) and grows to the
/// largest packet seen.
/// </summary>
internal sealed class WireConnection : IAsyncDisposable
{
    private const int MaximumPacketSize = 1 << 20;

    private readonly Socket _socket;
    private readonly MqttProtocolVersion _version;
    private byte[] _received;
    private int _start;
    private int _end;

    private WireConnection(Socket socket, MqttProtocolVersion version, int receiveBufferSize)
    {
        _socket = socket;
        _version = version;
        _received = new byte[receiveBufferSize];
    }

    public MqttProtocolVersion Version => _version;

    /// <summary>Opens a TCP connection from <paramref name="source"/> (any port) to the broker; no MQTT yet.</summary>
    public static async Task<WireConnection> OpenAsync(IPEndPoint broker, IPAddress? source, MqttProtocolVersion version, CancellationToken cancellationToken, int receiveBufferSize = 64)
    {
        var socket = new Socket(broker.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            if (source is not null)
            {
                SourceAddresses.DeferPortChoiceToConnect(socket);
                socket.Bind(new IPEndPoint(source, 0));
            }

            await socket.ConnectAsync(broker, cancellationToken).ConfigureAwait(false);
            return new WireConnection(socket, version, receiveBufferSize);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Sends CONNECT and returns the CONNACK (whatever its reason code).</summary>
    public async Task<ConnAckPacket> HandshakeAsync(ConnectPacket connect, CancellationToken cancellationToken)
    {
        await SendAsync(connect, cancellationToken).ConfigureAwait(false);
        return await ReceiveAsync(cancellationToken).ConfigureAwait(false) as ConnAckPacket
            ?? throw new InvalidDataException("The broker's first packet was not CONNACK.");
    }

    public ValueTask SendAsync(MqttPacket packet, CancellationToken cancellationToken)
    {
        var buffer = new ArrayBufferWriter<byte>(64);
        MqttPacketEncoder.Encode(packet, _version, buffer);
        return SendAsync(buffer.WrittenMemory, cancellationToken);
    }

    /// <summary>Sends already encoded packets (a batch, or a constant such as PINGREQ), all of them.</summary>
    public async ValueTask SendAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
    {
        while (!bytes.IsEmpty)
        {
            var sent = await _socket.SendAsync(bytes, SocketFlags.None, cancellationToken).ConfigureAwait(false);
            bytes = bytes[sent..];
        }
    }

    /// <summary>The next packet from the broker; throws <see cref="EndOfStreamException"/> when it closed the connection.</summary>
    public async ValueTask<MqttPacket> ReceiveAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            if (TryDecode(out var packet))
            {
                return packet;
            }

            MakeRoom();
            var read = await _socket.ReceiveAsync(_received.AsMemory(_end), SocketFlags.None, cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                throw new EndOfStreamException("The broker closed the connection.");
            }

            _end += read;
        }
    }

    private bool TryDecode(out MqttPacket packet)
    {
        packet = null!;
        if (_end == _start)
        {
            return false;
        }

        var buffer = new ReadOnlySequence<byte>(_received, _start, _end - _start);
        var status = MqttPacketDecoder.TryDecode(buffer, _version, MaximumPacketSize, out var decoded, out var consumed, out var error);
        switch (status)
        {
            case DecodeStatus.Decoded:
                _start += (int)buffer.Slice(buffer.Start, consumed).Length;
                packet = decoded!;
                return true;
            case DecodeStatus.NeedMoreData:
                return false;
            default:
                throw new InvalidDataException($"The broker sent a packet the bench cannot decode ({status}): {error}");
        }
    }

    /// <summary>Moves a partial packet to the front, and doubles the buffer when the partial packet fills it.</summary>
    private void MakeRoom()
    {
        if (_start > 0)
        {
            _received.AsSpan(_start, _end - _start).CopyTo(_received);
            _end -= _start;
            _start = 0;
        }

        if (_end == _received.Length)
        {
            Array.Resize(ref _received, Math.Min(_received.Length * 2, MaximumPacketSize + 8));
        }
    }

    /// <summary>Closes the socket; DISCONNECT, when wanted, is the caller's to send first.</summary>
    public ValueTask DisposeAsync()
    {
        _socket.Dispose();
        return ValueTask.CompletedTask;
    }
}
