using System.Buffers;
using System.IO.Pipelines;
using EmbeddedBroker.Protocol;
using EmbeddedBroker.Protocol.Packets;

namespace EmbeddedBroker.Client;

/// <summary>
/// The client's read loop: decodes what the server sends and hands each packet to the part that owns it
/// (<see cref="IncomingPublishes"/>, <see cref="OutstandingRequests"/>, <see cref="KeepAliveMonitor"/>). Ends the
/// connection when the server closes it, sends DISCONNECT or something a client cannot accept.
/// </summary>
internal sealed class ClientReader
{
    private readonly PipeReader _input;
    private readonly MqttProtocolVersion _version;
    private readonly int _maximumPacketSize;
    private readonly IncomingPublishes _publishes;
    private readonly OutstandingRequests _requests;
    private readonly KeepAliveMonitor _keepAlive;
    private readonly IClientLifetime _lifetime;
    private Task _loop = Task.CompletedTask;

    public ClientReader(PipeReader input, MqttClientOptions options, IncomingPublishes publishes, OutstandingRequests requests, KeepAliveMonitor keepAlive, IClientLifetime lifetime)
    {
        _input = input;
        _version = options.ProtocolVersion;
        _maximumPacketSize = options.MaximumPacketSize;
        _publishes = publishes;
        _requests = requests;
        _keepAlive = keepAlive;
        _lifetime = lifetime;
    }

    public Task Loop => _loop;

    public void Start() => _loop = Task.Run(ReadLoopAsync);

    private async Task ReadLoopAsync()
    {
        Exception? failure = null;
        DisconnectPacket? serverDisconnect = null;
        try
        {
            while (true)
            {
                var result = await _input.ReadAsync().ConfigureAwait(false);
                _keepAlive.OnReceived();
                var buffer = result.Buffer;
                try
                {
                    while (TryDecode(ref buffer, out var packet))
                    {
                        if (packet is DisconnectPacket disconnect)
                        {
                            serverDisconnect = disconnect;
                            return;
                        }

                        var handled = HandleAsync(packet);
                        if (!handled.IsCompletedSuccessfully)
                        {
                            await handled.ConfigureAwait(false);
                        }
                    }
                }
                finally
                {
                    _input.AdvanceTo(buffer.Start, buffer.End);
                }

                if (result.IsCompleted || result.IsCanceled)
                {
                    return;
                }
            }
        }
        catch (Exception ex)
        {
            failure = ex;
        }
        finally
        {
            await _input.CompleteAsync().ConfigureAwait(false);
            _lifetime.End(_lifetime.IsConnected ? new MqttConnectionLostEventArgs(failure, serverDisconnect) : null);
        }
    }

    private bool TryDecode(ref ReadOnlySequence<byte> buffer, out MqttPacket packet)
    {
        var status = MqttPacketDecoder.TryDecode(buffer, _version, _maximumPacketSize, out var decoded, out var consumed, out var error);
        switch (status)
        {
            case DecodeStatus.Decoded:
                buffer = buffer.Slice(consumed);
                packet = decoded!;
                return true;
            case DecodeStatus.NeedMoreData:
                packet = null!;
                return false;
            default:
                throw new InvalidDataException($"The server sent a packet the client cannot accept ({status}): {error}");
        }
    }

    private ValueTask HandleAsync(MqttPacket packet)
    {
        switch (packet)
        {
            case PublishPacket publish:
                return _publishes.ReceiveAsync(publish);
            case PubAckPacket pubAck:
                _requests.OnPubAck(pubAck);
                break;
            case PubRecPacket pubRec:
                _requests.OnPubRec(pubRec);
                break;
            case PubCompPacket pubComp:
                _requests.OnPubComp(pubComp);
                break;
            case PubRelPacket pubRel:
                _publishes.OnPubRel(pubRel);
                break;
            case SubAckPacket subAck:
                _requests.OnSubAck(subAck);
                break;
            case UnsubAckPacket unsubAck:
                _requests.OnUnsubAck(unsubAck);
                break;
            case PingRespPacket:
                _keepAlive.OnPingResp();
                break;
            case AuthPacket:
                // Enhanced authentication is not offered by this client, so a server AUTH is out of place.
                throw new InvalidDataException("The server sent AUTH but this client did not ask for enhanced authentication.");
            default:
                throw new InvalidDataException($"A server does not send {packet.Type} after CONNACK.");
        }

        return ValueTask.CompletedTask;
    }
}
