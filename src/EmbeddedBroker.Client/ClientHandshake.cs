using System.IO.Pipelines;
using EmbeddedBroker.Protocol;
using EmbeddedBroker.Protocol.Packets;

namespace EmbeddedBroker.Client;

/// <summary>
/// The CONNECT / CONNACK exchange that opens a connection (MQTT 3.1, 3.2), before any loop runs: writes CONNECT
/// built from the options and waits, within <see cref="MqttClientOptions.ConnectTimeout"/>, for a successful CONNACK.
/// </summary>
internal static class ClientHandshake
{
    /// <exception cref="MqttConnectException">The server refused the connection.</exception>
    /// <exception cref="TimeoutException">No CONNACK in time.</exception>
    public static async Task<ConnectResult> ConnectAsync(IDuplexPipe transport, MqttClientOptions options, CancellationToken cancellationToken)
    {
        MqttPacketEncoder.Encode(BuildConnect(options), options.ProtocolVersion, transport.Output);
        await transport.Output.FlushAsync(cancellationToken).ConfigureAwait(false);

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.ConnectTimeout);
        ConnAckPacket connAck;
        try
        {
            connAck = await ReadConnAckAsync(transport.Input, options, timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"No CONNACK within {options.ConnectTimeout.TotalSeconds:0.#} s.");
        }

        if (connAck.ReasonCode != MqttReasonCode.Success)
        {
            throw new MqttConnectException(connAck.ReasonCode, connAck.Properties.ReasonString);
        }

        return new ConnectResult(connAck.ReasonCode, connAck.SessionPresent, connAck.Properties.AssignedClientIdentifier, connAck);
    }

    private static ConnectPacket BuildConnect(MqttClientOptions options)
    {
        var properties = MqttProperties.Empty;
        if (options.ProtocolVersion == MqttProtocolVersion.V500)
        {
            var extra = options.ConnectProperties ?? MqttProperties.Empty;
            properties = extra with
            {
                SessionExpiryInterval = extra.SessionExpiryInterval ?? options.SessionExpiryInterval,
                MaximumPacketSize = extra.MaximumPacketSize
                    ?? (options.MaximumPacketSize < 268_435_455 ? (uint)options.MaximumPacketSize : null),
            };
        }

        return new ConnectPacket
        {
            ProtocolName = options.ProtocolVersion == MqttProtocolVersion.V310 ? "MQIsdp" : "MQTT",
            ProtocolLevel = options.BridgeProtocolFlag && options.ProtocolVersion != MqttProtocolVersion.V500
                ? (byte)((byte)options.ProtocolVersion | 0x80)
                : (byte)options.ProtocolVersion,
            ClientId = options.ClientId,
            CleanSession = options.CleanSession,
            KeepAliveSeconds = options.KeepAliveSeconds,
            Username = options.Username,
            Password = options.Password,
            Will = options.Will,
            Properties = properties,
        };
    }

    private static async Task<ConnAckPacket> ReadConnAckAsync(PipeReader input, MqttClientOptions options, CancellationToken cancellationToken)
    {
        while (true)
        {
            var result = await input.ReadAsync(cancellationToken).ConfigureAwait(false);
            var buffer = result.Buffer;
            var status = MqttPacketDecoder.TryDecode(buffer, options.ProtocolVersion, options.MaximumPacketSize, out var packet, out var consumed, out var error);
            if (status == DecodeStatus.Decoded)
            {
                input.AdvanceTo(consumed);
                return packet as ConnAckPacket
                    ?? throw new InvalidDataException($"Expected CONNACK as the server's first packet, got {packet!.Type} (MQTT-3.2.0-1).");
            }

            if (status != DecodeStatus.NeedMoreData)
            {
                throw new InvalidDataException($"Malformed CONNACK: {error ?? status.ToString()}.");
            }

            input.AdvanceTo(buffer.Start, buffer.End);
            if (result.IsCompleted)
            {
                throw new MqttConnectionClosedException("The server closed the connection before CONNACK.");
            }
        }
    }
}
