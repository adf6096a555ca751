using EmbeddedBroker.Protocol;
using EmbeddedBroker.Protocol.Packets;

namespace EmbeddedBroker.Broker.Connections;

/// <summary>
/// The AUTH exchange of MQTT 5 enhanced authentication at CONNECT (4.12): CONNECT with a method and data, then AUTH
/// 0x18 packets both ways until the authenticator decides; the outcome goes in CONNACK.
/// </summary>
internal static class EnhancedAuthentication
{
    /// <summary>The final step (success or refusal); null when the connection broke or misbehaved (already handled).</summary>
    public static async Task<EnhancedAuthenticationStep?> RunAtConnectAsync(MqttConnection connection, string method, ReadOnlyMemory<byte>? data, string clientId)
    {
        if (connection.Core.EnhancedAuthenticator is not { } authenticator || !authenticator.Methods.Contains(method))
            return EnhancedAuthenticationStep.Fail(MqttReasonCode.BadAuthenticationMethod); // MQTT-4.12.0-1: CONNACK 0x8C

        var step = await authenticator.StartAsync(new EnhancedAuthenticationRequest(clientId, method, data ?? ReadOnlyMemory<byte>.Empty, connection.Context),
            connection.ClosingToken).ConfigureAwait(false);
        while (step.IsContinue)
        {
            await connection.Writer.WriteDirectAsync(Challenge(method, step), MqttProtocolVersion.V500).ConfigureAwait(false);
            var answer = await ConnectHandshake.ReadPacketAsync(connection, MqttProtocolVersion.V500).ConfigureAwait(false);
            if (answer is null)
                return null;
            if (answer is not AuthPacket { ReasonCode: MqttReasonCode.ContinueAuthentication } auth || auth.Properties.AuthenticationMethod != method)
            {
                // MQTT-4.12.0-2 / -4: the client answers with AUTH 0x18 and the same method, or breaks the protocol.
                connection.ProtocolViolation($"{answer.Type} during the {method} exchange instead of AUTH 0x18 with that method");
                return null;
            }

            step = await step.NextAsync(auth.Properties.AuthenticationData ?? ReadOnlyMemory<byte>.Empty, connection.ClosingToken).ConfigureAwait(false);
        }

        return step;
    }

    /// <summary>The server's AUTH 0x18 (Continue authentication) carrying a step's data.</summary>
    public static AuthPacket Challenge(string method, EnhancedAuthenticationStep step) => new()
    {
        ReasonCode = MqttReasonCode.ContinueAuthentication,
        Properties = new MqttProperties { AuthenticationMethod = method, AuthenticationData = step.Data },
    };
}
