using EmbeddedBroker.Broker.Handlers;
using EmbeddedBroker.Protocol;
using EmbeddedBroker.Protocol.Packets;

namespace EmbeddedBroker.Broker.Connections;

/// <summary>The read loop after CONNACK and the dispatch of each packet to the handler of its type.</summary>
internal sealed partial class MqttConnection
{
    private async Task ReadLoopAsync()
    {
        var input = _transport.Input;
        var version = _negotiated!.Version;
        var maximumPacketSize = Core.Options.Capabilities.MaximumPacketSize;
        var packets = Core.Logs.Packets.IsEnabled ? Core.Logs.Packets : null;
        while (!_closing)
        {
            var result = await input.ReadAsync().ConfigureAwait(false);
            if (result.IsCanceled)
                return; // RequestClose: a close, a timeout or the broker's stop
            var buffer = result.Buffer;
            var decodedAny = false;
            try
            {
                // Decode every whole packet the buffer holds before reading again.
                while (!_closing)
                {
                    var status = MqttPacketDecoder.TryDecode(buffer, version, maximumPacketSize, out var packet, out var consumed, out var error);
                    if (status == DecodeStatus.NeedMoreData)
                        break;
                    if (status != DecodeStatus.Decoded)
                    {
                        DecodeFailure(status, error);
                        return;
                    }

                    var before = buffer.Length;
                    buffer = buffer.Slice(consumed);
                    Core.Statistics.AddBytesReceived(before - buffer.Length);
                    packets?.Received(ClientId, packet!, before - buffer.Length);
                    decodedAny = true;
                    await DispatchAsync(packet!).ConfigureAwait(false);
                }
            }
            finally
            {
                input.AdvanceTo(buffer.Start, buffer.End);
            }

            if (decodedAny)
                Deadline.PacketCompleted(); // any control packet restarts the keep-alive clock (MQTT-3.1.2-24)
            if (!_closing)
            {
                Deadline.Pending(buffer.Length);
                if (buffer.Length >= Core.Memory.LargeMessageBytes && Core.Memory.IsExceeded)
                {
                    RefuseForMemory("a large packet is arriving");
                    return;
                }
            }

            if (result.IsCompleted)
            {
                RequestClose(CloseReason.TransportClosed);
                return;
            }
        }
    }

    /// <summary>One handler per packet type, as Mosquitto and mochi-mqtt do.</summary>
    private ValueTask DispatchAsync(MqttPacket packet)
    {
        switch (packet)
        {
            case PublishPacket publish:
                return PublishHandler.HandleAsync(this, publish);
            case PubAckPacket ack:
                PubAckHandler.Handle(this, ack);
                return ValueTask.CompletedTask;
            case PubRecPacket rec:
                return PubRecHandler.HandleAsync(this, rec);
            case PubRelPacket rel:
                return PubRelHandler.HandleAsync(this, rel);
            case PubCompPacket comp:
                PubCompHandler.Handle(this, comp);
                return ValueTask.CompletedTask;
            case SubscribePacket subscribe:
                return SubscribeHandler.HandleAsync(this, subscribe);
            case UnsubscribePacket unsubscribe:
                return UnsubscribeHandler.HandleAsync(this, unsubscribe);
            case PingReqPacket:
                return Writer.EnqueueControlAsync(PingRespPacket.Instance); // MQTT-3.12.4-1
            case DisconnectPacket disconnect:
                DisconnectHandler.Handle(this, disconnect);
                return ValueTask.CompletedTask;
            case AuthPacket auth:
                return AuthHandler.HandleAsync(this, auth);
            case ConnectPacket:
                ProtocolViolation("second CONNECT (MQTT-3.1.0-2)");
                return ValueTask.CompletedTask;
            default:
                // CONNACK, SUBACK, UNSUBACK, PINGRESP: server-to-client packets.
                ProtocolViolation($"unexpected {packet.Type} from a client");
                return ValueTask.CompletedTask;
        }
    }
}
