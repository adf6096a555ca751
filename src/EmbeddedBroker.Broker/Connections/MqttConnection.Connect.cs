using EmbeddedBroker.Broker.Hooks;
using EmbeddedBroker.Protocol;
using EmbeddedBroker.Protocol.Packets;
using Microsoft.Extensions.Logging;

namespace EmbeddedBroker.Broker.Connections;

/// <summary>The CONNECT / CONNACK handshake (3.1.1 section 3.1/3.2, 5.0 section 3.1/3.2).</summary>
internal sealed partial class MqttConnection
{
    private const string AssignedClientIdPrefix = "auto-";

    /// <summary>Reads the first packet, which must be CONNECT (MQTT-3.1.0-1), and answers it. True when accepted.</summary>
    private async Task<bool> ConnectAsync()
    {
        var input = _transport.Input;
        while (true)
        {
            var result = await input.ReadAsync(_readCts.Token).ConfigureAwait(false);
            var buffer = result.Buffer;
            var status = MqttPacketDecoder.TryDecode(buffer, MqttProtocolVersion.V311, _options.MaximumPacketSize,
                out var packet, out var consumed, out var error);
            switch (status)
            {
                case DecodeStatus.NeedMoreData:
                    input.AdvanceTo(buffer.Start, buffer.End);
                    if (result.IsCompleted)
                    {
                        RequestClose(CloseReason.TransportClosed);
                        return false;
                    }

                    continue;
                case DecodeStatus.Decoded:
                    _statistics.AddBytesReceived(buffer.Slice(0, consumed).Length);
                    input.AdvanceTo(consumed); // packets pipelined behind CONNECT stay for the read loop
                    if (packet is ConnectPacket connect)
                        return await HandleConnectAsync(connect).ConfigureAwait(false);
                    ProtocolViolation($"first packet is {packet!.Type}, not CONNECT (MQTT-3.1.0-1)");
                    return false;
                default:
                    input.AdvanceTo(buffer.Start, buffer.End);
                    DecodeFailure(status, error);
                    return false;
            }
        }
    }

    private async Task<bool> HandleConnectAsync(ConnectPacket connect)
    {
        var level = connect.ProtocolLevel;
        var isSupported = level switch
        {
            (byte)MqttProtocolVersion.V310 => connect.ProtocolName == "MQIsdp",
            (byte)MqttProtocolVersion.V311 => connect.ProtocolName == "MQTT",
            (byte)MqttProtocolVersion.V500 => connect.ProtocolName == "MQTT" && _options.AllowMqtt5,
            _ => false,
        };
        if (!isSupported)
        {
            // MQTT-3.1.2-2: CONNACK return code 0x01 then close. A 5.0 client refused by configuration gets the 5.0 form (0x84).
            _version = level == (byte)MqttProtocolVersion.V500 ? MqttProtocolVersion.V500 : MqttProtocolVersion.V311;
            await RefuseAsync(MqttReasonCode.UnsupportedProtocolVersion,
                $"protocol \"{connect.ProtocolName}\" level {level} not supported").ConfigureAwait(false);
            return false;
        }

        _version = (MqttProtocolVersion)level;
        var isV5 = _version == MqttProtocolVersion.V500;

        if (isV5 && connect.Properties.AuthenticationMethod is not null)
        {
            // Enhanced authentication (4.12) is not offered: CONNACK 0x8C and close (MQTT-4.12.0-1).
            await RefuseAsync(MqttReasonCode.BadAuthenticationMethod, "enhanced authentication is not supported").ConfigureAwait(false);
            return false;
        }

        if (isV5 && connect.Properties.ReceiveMaximum == 0)
        {
            ProtocolViolation("Receive Maximum 0 (3.1.2.11.3: a protocol error)");
            return false;
        }

        var clientId = connect.ClientId;
        var assigned = false;
        if (clientId.Length == 0)
        {
            if (_version == MqttProtocolVersion.V310)
            {
                // 3.1 requires 1..23 characters; Mosquitto refuses an empty id for 3.1 too.
                await RefuseAsync(MqttReasonCode.ClientIdentifierNotValid, "empty client id (MQTT 3.1)").ConfigureAwait(false);
                return false;
            }

            if (_version == MqttProtocolVersion.V311 && !connect.CleanSession)
            {
                // MQTT-3.1.3-8: empty id with CleanSession=0 -> CONNACK 0x02, close.
                await RefuseAsync(MqttReasonCode.ClientIdentifierNotValid, "empty client id with a persistent session (MQTT-3.1.3-8)").ConfigureAwait(false);
                return false;
            }

            // MQTT-3.1.3-6 (3.1.1) / 3.1.3.1 (5.0): the server assigns a unique id.
            clientId = AssignedClientIdPrefix + Guid.NewGuid().ToString("N");
            assigned = true;
        }
        else if (clientId.Length > _options.MaximumClientIdLength ||
                 (_version == MqttProtocolVersion.V310 && clientId.Length > 23 && !_options.AllowLongMqtt31ClientIds))
        {
            await RefuseAsync(MqttReasonCode.ClientIdentifierNotValid, $"client id of {clientId.Length} characters").ConfigureAwait(false);
            return false;
        }

        ClientId = clientId;

        if (connect.Will is { } will && !MqttTopic.IsValidTopicName(will.Topic))
        {
            // MQTT-3.1.3-11 / 3.1.2.9: the will topic must be a valid topic name.
            if (isV5)
                await RefuseAsync(MqttReasonCode.TopicNameInvalid, "invalid will topic").ConfigureAwait(false);
            else
                ProtocolViolation("invalid will topic (MQTT-3.1.3-11)");
            return false;
        }

        var username = connect.Username;
        if (_broker.Hooks.Authenticator is { } authenticator)
        {
            var request = new MqttConnectRequest(clientId, connect.Username, connect.Password, _version, Context);
            var verdict = await authenticator.AuthenticateAsync(request, _readCts.Token).ConfigureAwait(false);
            if (!verdict.IsAccepted)
            {
                await RefuseAsync(verdict.ReasonCode, "refused by the authenticator").ConfigureAwait(false);
                return false;
            }

            username = verdict.Username;
        }

        _identity = new MqttClientIdentity(clientId, username, Context);

        await AcceptAsync(connect, clientId, assigned).ConfigureAwait(false);
        return true;
    }

    private async Task AcceptAsync(ConnectPacket connect, string clientId, bool assigned)
    {
        var isV5 = _version == MqttProtocolVersion.V500;
        var requestedExpiry = connect.Properties.SessionExpiryInterval ?? 0;
        var expiry = isV5
            ? Math.Min(requestedExpiry, _options.MaximumSessionExpiryInterval)
            : connect.CleanSession ? 0u : PersistentSessionExpirySeconds();
        var sendWindow = Math.Min(_options.MaximumInflightPerClient, isV5 ? connect.Properties.ReceiveMaximum ?? ushort.MaxValue : ushort.MaxValue);
        _clientMaximumPacketSize = isV5 ? connect.Properties.MaximumPacketSize ?? 0 : 0;

        var keepAlive = connect.KeepAliveSeconds;
        ushort? serverKeepAlive = null;
        if (isV5 && _options.ServerKeepAliveOverride is { } keepAliveOverride)
        {
            serverKeepAlive = (ushort)keepAliveOverride.TotalSeconds;
            keepAlive = serverKeepAlive.Value; // MQTT-3.2.2-21: the client uses the server's value
        }

        _will = connect.Will;
        var attach = _broker.Sessions.Attach(clientId, connect.CleanSession, expiry, this, sendWindow);
        _session = attach.Session;
        if (attach.PreviousOwner is MqttConnection previous && !ReferenceEquals(previous, this))
        {
            // MQTT-3.1.4-2: the existing client is disconnected (MQTT 5: DISCONNECT 0x8E, MQTT-3.1.4-3).
            _statistics.SessionTakeover();
            _logger.LogInformation("Client {ClientId} taken over by a new connection from {RemoteEndPoint}", clientId, Context.RemoteEndPoint);
            previous.RequestClose(CloseReason.SessionTakenOver, MqttReasonCode.SessionTakenOver);
        }

        if (attach.WillOfEndedSession is { } endedWill)
            _broker.PublishWill(endedWill.Message);

        var properties = MqttProperties.Empty;
        if (isV5)
        {
            properties = new MqttProperties
            {
                AssignedClientIdentifier = assigned ? clientId : null,
                SessionExpiryInterval = expiry != requestedExpiry ? expiry : null,
                ServerKeepAlive = serverKeepAlive,
                MaximumPacketSize = (uint)_options.MaximumPacketSize,
                TopicAliasMaximum = 0, // no topic aliases from clients (MQTT-3.2.2-17 / 3.3.2-8)
                SharedSubscriptionAvailable = 0,
                SubscriptionIdentifiersAvailable = 0,
            };
        }

        // MQTT-3.2.2-1..3: Session Present only when a stored session is resumed (never with a clean session).
        var connAck = new ConnAckPacket
        {
            SessionPresent = attach.SessionPresent,
            ReasonCode = MqttReasonCode.Success,
            Properties = properties,
        };
        await WriteDirectAsync(connAck).ConfigureAwait(false);

        ConnectedAt = DateTimeOffset.UtcNow;
        _connAckSent = true;
        _statistics.ClientConnected();

        // MQTT-3.1.2-24: keep-alive 0 turns the mechanism off; otherwise 1.5 x keep-alive.
        _keepAliveTimeout = keepAlive == 0
            ? Timeout.InfiniteTimeSpan
            : TimeSpan.FromSeconds(keepAlive * _options.KeepAliveFactor);
        _readCts.CancelAfter(_keepAliveTimeout);

        _logger.LogInformation(
            "Client {ClientId} connected from {RemoteEndPoint} over {Transport} (MQTT {Version}, clean={Clean}, keepAlive={KeepAlive}s, sessionPresent={SessionPresent})",
            clientId, Context.RemoteEndPoint, Context.Transport, VersionText(_version), connect.CleanSession, keepAlive, attach.SessionPresent);
    }

    private uint PersistentSessionExpirySeconds() =>
        _options.PersistentSessionExpiry is { } expiry ? (uint)Math.Clamp(expiry.TotalSeconds, 1, uint.MaxValue - 1) : uint.MaxValue;

    /// <summary>CONNACK with a refusal code, then close (MQTT-3.2.2-5: Session Present 0 on refusal).</summary>
    private async Task RefuseAsync(MqttReasonCode code, string detail)
    {
        _statistics.ConnectionRejected();
        Interlocked.CompareExchange(ref _closeReason, (int)CloseReason.ConnectRefused, (int)CloseReason.None);
        _closing = true;
        _logger.LogInformation("Connection from {RemoteEndPoint} refused with {ReasonCode}: {Detail} (client id \"{ClientId}\")",
            Context.RemoteEndPoint, code, detail, ClientId);
        await WriteDirectAsync(new ConnAckPacket { ReasonCode = code }).ConfigureAwait(false);
    }

    /// <summary>Writes before the writer loop exists (CONNACK only).</summary>
    private async Task WriteDirectAsync(MqttPacket packet)
    {
        var bytes = MqttPacketEncoder.Encode(packet, _version, _transport.Output);
        _statistics.AddBytesSent(bytes);
        await _transport.Output.FlushAsync(_readCts.Token).ConfigureAwait(false);
    }

    private static string VersionText(MqttProtocolVersion version) => version switch
    {
        MqttProtocolVersion.V310 => "3.1",
        MqttProtocolVersion.V311 => "3.1.1",
        _ => "5.0",
    };
}
