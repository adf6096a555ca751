using EmbeddedBroker.Protocol;
using EmbeddedBroker.Protocol.Packets;
using Microsoft.Extensions.Logging;

namespace EmbeddedBroker.Broker.Connections;

/// <summary>
/// The CONNECT / CONNACK handshake (3.1.1 section 3.1/3.2, 5.0 section 3.1/3.2): reads the first packet, checks it,
/// asks the authenticator, attaches the session and answers; on success the connection gets its
/// <see cref="NegotiatedSession"/>. What CONNACK announces comes from <see cref="MqttCapabilities"/>.
/// </summary>
internal static class ConnectHandshake
{
    private const string AssignedClientIdPrefix = "auto-";

    /// <summary>Reads the first packet, which must be CONNECT (MQTT-3.1.0-1), and answers it. True when accepted.</summary>
    public static async Task<bool> RunAsync(MqttConnection connection)
    {
        var packet = await ReadPacketAsync(connection, MqttProtocolVersion.V311).ConfigureAwait(false);
        if (packet is ConnectPacket connect)
            return await HandleConnectAsync(connection, connect).ConfigureAwait(false);
        if (packet is not null)
            connection.ProtocolViolation($"first packet is {packet.Type}, not CONNECT (MQTT-3.1.0-1)");
        return false;
    }

    /// <summary>One packet before CONNACK (CONNECT, or an AUTH of enhanced authentication); null when the connection
    /// closed or sent bytes that are not a packet (already handled). Packets pipelined behind it stay for the read loop.</summary>
    internal static async Task<MqttPacket?> ReadPacketAsync(MqttConnection connection, MqttProtocolVersion version)
    {
        var input = connection.Input;
        var maximumPacketSize = connection.Core.Options.Capabilities.MaximumPacketSize;
        while (true)
        {
            var result = await input.ReadAsync().ConfigureAwait(false);
            if (result.IsCanceled)
                return null; // closed meanwhile (connect timeout, broker stopping)
            var buffer = result.Buffer;
            var status = MqttPacketDecoder.TryDecode(buffer, version, maximumPacketSize, out var packet, out var consumed, out var error);
            switch (status)
            {
                case DecodeStatus.NeedMoreData:
                    input.AdvanceTo(buffer.Start, buffer.End);
                    if (result.IsCompleted)
                    {
                        connection.RequestClose(CloseReason.TransportClosed);
                        return null;
                    }

                    continue;
                case DecodeStatus.Decoded:
                    connection.Core.Statistics.AddBytesReceived(buffer.Slice(0, consumed).Length);
                    input.AdvanceTo(consumed);
                    return packet;
                default:
                    input.AdvanceTo(buffer.Start, buffer.End);
                    connection.DecodeFailure(status, error);
                    return null;
            }
        }
    }

    private static async Task<bool> HandleConnectAsync(MqttConnection connection, ConnectPacket connect)
    {
        var options = connection.Core.Options;
        var level = connect.Level; // Mosquitto's bridge flag (try_private) taken off: see NegotiatedSession.IsBridge
        if (connect.ProtocolName is not ("MQTT" or "MQIsdp"))
        {
            // MQTT-3.1.2-1: not MQTT at all; MQTT-3.1.4-1: a non-conforming CONNECT is closed without CONNACK.
            connection.ProtocolViolation($"protocol name \"{connect.ProtocolName}\" is not MQTT (MQTT-3.1.2-1)");
            return false;
        }

        var isSupported = level switch
        {
            (byte)MqttProtocolVersion.V310 => connect.ProtocolName == "MQIsdp",
            (byte)MqttProtocolVersion.V311 => connect.ProtocolName == "MQTT",
            (byte)MqttProtocolVersion.V500 => connect.ProtocolName == "MQTT" && options.AllowMqtt5,
            _ => false,
        };
        if (!isSupported)
        {
            // MQTT-3.1.2-2: CONNACK return code 0x01 then close. A 5.0 client refused by configuration gets the 5.0 form (0x84).
            connection.Version = level == (byte)MqttProtocolVersion.V500 ? MqttProtocolVersion.V500 : MqttProtocolVersion.V311;
            await RefuseAsync(connection, MqttReasonCode.UnsupportedProtocolVersion, $"protocol \"{connect.ProtocolName}\" level {level} not supported").ConfigureAwait(false);
            return false;
        }

        var version = (MqttProtocolVersion)level;
        connection.Version = version;
        var isV5 = version == MqttProtocolVersion.V500;


        if (isV5 && connect.Properties.ReceiveMaximum == 0)
        {
            connection.ProtocolViolation("Receive Maximum 0 (3.1.2.11.3: a protocol error)");
            return false;
        }

        var clientId = connect.ClientId;
        var assigned = false;
        if (clientId.Length == 0)
        {
            if (version == MqttProtocolVersion.V310)
            {
                // 3.1 requires 1..23 characters; Mosquitto refuses an empty id for 3.1 too.
                await RefuseAsync(connection, MqttReasonCode.ClientIdentifierNotValid, "empty client id (MQTT 3.1)").ConfigureAwait(false);
                return false;
            }

            if (version == MqttProtocolVersion.V311 && !connect.CleanSession)
            {
                // MQTT-3.1.3-8: empty id with CleanSession=0 -> CONNACK 0x02, close.
                await RefuseAsync(connection, MqttReasonCode.ClientIdentifierNotValid, "empty client id with a persistent session (MQTT-3.1.3-8)").ConfigureAwait(false);
                return false;
            }

            // MQTT-3.1.3-6 (3.1.1) / 3.1.3.1 (5.0): the server assigns a unique id.
            clientId = AssignedClientIdPrefix + Guid.NewGuid().ToString("N");
            assigned = true;
        }
        else if (clientId.Length > options.MaximumClientIdLength ||
                 (version == MqttProtocolVersion.V310 && clientId.Length > 23 && !options.Compatibilities.AllowLongMqtt31ClientIds))
        {
            await RefuseAsync(connection, MqttReasonCode.ClientIdentifierNotValid, $"client id of {clientId.Length} characters").ConfigureAwait(false);
            return false;
        }

        connection.ClientId = clientId;

        if (connect.Will is { } will && !MqttTopic.IsValidTopicName(will.Topic))
        {
            // MQTT-3.1.3-11 / 3.1.2.9: the will topic must be a valid topic name.
            if (isV5)
                await RefuseAsync(connection, MqttReasonCode.TopicNameInvalid, "invalid will topic").ConfigureAwait(false);
            else
                connection.ProtocolViolation("invalid will topic (MQTT-3.1.3-11)");
            return false;
        }

        if (connect.Will?.Properties.ResponseTopic is { } willResponse && !MqttTopic.IsValidTopicName(willResponse))
        {
            // MQTT-4.7.3-1 (at least one character) and 3.1.3.2.5 (a topic name, no wildcards): a malformed will.
            connection.DecodeFailure(DecodeStatus.Malformed, $"will Response Topic \"{willResponse}\" is not a valid topic name");
            return false;
        }

        var username = connect.Username;
        ReadOnlyMemory<byte>? finalAuthenticationData = null;
        if (isV5 && connect.Properties.AuthenticationMethod is { } method)
        {
            // Enhanced authentication (4.12) replaces the user name and password check.
            var step = await EnhancedAuthentication.RunAtConnectAsync(connection, method, connect.Properties.AuthenticationData, clientId).ConfigureAwait(false);
            if (step is null)
                return false; // the connection broke or misbehaved during the exchange (already handled)
            if (!step.IsSuccess)
            {
                await RefuseAsync(connection, step.ReasonCode, $"enhanced authentication ({method}) refused").ConfigureAwait(false);
                return false;
            }

            username = step.Username;
            finalAuthenticationData = step.Data;
        }
        else if (connection.Core.Authenticator is { } authenticator)
        {
            var request = new MqttConnectRequest(clientId, connect.Username, connect.Password, version, connection.Context);
            var verdict = await authenticator.AuthenticateAsync(request, connection.ClosingToken).ConfigureAwait(false);
            if (!verdict.IsAccepted)
            {
                await RefuseAsync(connection, verdict.ReasonCode, "refused by the authenticator").ConfigureAwait(false);
                return false;
            }

            username = verdict.Username;
        }

        return await AcceptAsync(connection, connect, new MqttClientIdentity(clientId, username, connection.Context), assigned, finalAuthenticationData)
            .ConfigureAwait(false);
    }

    private static async Task<bool> AcceptAsync(MqttConnection connection, ConnectPacket connect, MqttClientIdentity identity, bool assigned,
        ReadOnlyMemory<byte>? authenticationData)
    {
        var core = connection.Core;
        var options = core.Options;
        var capabilities = options.Capabilities;
        var version = connection.Version;
        var isV5 = version == MqttProtocolVersion.V500;
        var requestedExpiry = connect.Properties.SessionExpiryInterval ?? 0;
        var expiry = isV5
            ? Math.Min(requestedExpiry, options.MaximumSessionExpiryInterval)
            : connect.CleanSession ? 0u : PersistentSessionExpirySeconds(options);
        var sendWindow = Math.Min(options.MaximumInflightPerClient, isV5 ? connect.Properties.ReceiveMaximum ?? ushort.MaxValue : ushort.MaxValue);

        // MQTT-3.2.2-21: an MQTT 5 client uses the server's keep-alive when one is announced.
        var keepAlive = isV5 && capabilities.ServerKeepAliveSeconds is { } serverKeepAlive ? serverKeepAlive : connect.KeepAliveSeconds;
        var connAckProperties = isV5
            ? capabilities.ToConnAckProperties(assigned ? identity.ClientId : null, expiry != requestedExpiry ? expiry : null) with
            {
                AuthenticationMethod = connect.Properties.AuthenticationMethod, // 3.2.2.3.17: the method of the exchange
                AuthenticationData = authenticationData,
            }
            : MqttProperties.Empty;
        var clientMaximumPacketSize = isV5 ? connect.Properties.MaximumPacketSize ?? 0 : 0;
        if (clientMaximumPacketSize > 0 &&
            MqttPacketEncoder.GetEncodedSize(new ConnAckPacket { Properties = connAckProperties }, version) > clientMaximumPacketSize)
        {
            // MQTT-3.1.2-25: nothing larger than the client's Maximum Packet Size may be sent, not even CONNACK: close
            // (before the session is touched: nothing happened).
            connection.ProtocolViolation($"the client's Maximum Packet Size {clientMaximumPacketSize} is smaller than the CONNACK");
            return false;
        }

        var attach = core.Sessions.Attach(identity, connect.CleanSession, expiry, connection, sendWindow);
        if (attach.PreviousOwner is MqttConnection previous && !ReferenceEquals(previous, connection))
        {
            // MQTT-3.1.4-2: the existing client is disconnected (MQTT 5: DISCONNECT 0x8E, MQTT-3.1.4-3).
            core.Statistics.SessionTakeover();
            if (core.Logs.Takeovers.TryEnter(out var suppressed))
            {
                connection.Logger.LogInformation("Client {ClientId} taken over by a new connection from {RemoteEndPoint} ({Suppressed} more take-overs since the last such line)",
                    identity.ClientId, connection.Context.RemoteEndPoint, suppressed);
            }

            previous.RequestClose(CloseReason.SessionTakenOver, MqttReasonCode.SessionTakenOver);
        }

        if (attach.WillOfEndedSession is { } endedWill)
            core.Wills.Publish(endedWill.Message, endedWill.Publisher);

        // MQTT-3.2.2-1..3: Session Present only when a stored session is resumed (never with a clean session).
        var connAck = new ConnAckPacket { SessionPresent = attach.SessionPresent, ReasonCode = MqttReasonCode.Success, Properties = connAckProperties };
        await connection.Writer.WriteDirectAsync(connAck, version).ConfigureAwait(false);

        // MQTT-3.1.2-24: keep-alive 0 turns the mechanism off; otherwise 1.5 x keep-alive.
        var keepAliveTimeout = keepAlive == 0 ? Timeout.InfiniteTimeSpan : TimeSpan.FromSeconds(keepAlive * options.KeepAliveFactor);
        var outboundAliases = isV5 ? Math.Min(connect.Properties.TopicAliasMaximum ?? 0, options.OutboundTopicAliasesPerClient) : 0;
        connection.OnAccepted(new NegotiatedSession(version, identity, attach.Session, attach.SessionPresent, keepAliveTimeout,
            clientMaximumPacketSize, outboundAliases, connect.Properties.AuthenticationMethod, connect.Will, connect.IsBridge));

        if (core.Logs.ConnectionMessages && (attach.PreviousOwner is null || core.Logs.Takeovers.TryEnter(out _)))
        {
            connection.Logger.LogInformation(
                "Client {ClientId} connected from {RemoteEndPoint} over {Transport} (MQTT {Version}, user {Username}, clean={Clean}, keepAlive={KeepAlive}s, sessionPresent={SessionPresent})",
                identity.ClientId, connection.Context.RemoteEndPoint, connection.Context.Transport, VersionText(version),
                identity.Username ?? "(anonymous)", connect.CleanSession, keepAlive, attach.SessionPresent);
        }

        return true;
    }

    private static uint PersistentSessionExpirySeconds(MqttBrokerOptions options) =>
        options.PersistentSessionExpiry is { } expiry ? (uint)Math.Clamp(expiry.TotalSeconds, 1, uint.MaxValue - 1) : uint.MaxValue;

    /// <summary>CONNACK with a refusal code, then close (MQTT-3.2.2-5: Session Present 0 on refusal).</summary>
    private static async Task RefuseAsync(MqttConnection connection, MqttReasonCode code, string detail)
    {
        var core = connection.Core;
        core.Statistics.ConnectionRejected();
        connection.MarkRefused();
        if (core.Logs.RefusedConnects.TryEnter(out var suppressed))
        {
            connection.Logger.LogInformation("Connection from {RemoteEndPoint} refused with {ReasonCode}: {Detail} (client id \"{ClientId}\"; {Suppressed} more refusals since the last such line)",
                connection.Context.RemoteEndPoint, code, detail, connection.ClientId, suppressed);
        }

        await connection.Writer.WriteDirectAsync(new ConnAckPacket { ReasonCode = code }, connection.Version).ConfigureAwait(false);
    }

    private static string VersionText(MqttProtocolVersion version) => version switch
    {
        MqttProtocolVersion.V310 => "3.1",
        MqttProtocolVersion.V311 => "3.1.1",
        _ => "5.0",
    };
}
