using EmbeddedBroker.Broker.Connections;
using EmbeddedBroker.Protocol;
using EmbeddedBroker.Protocol.Packets;

namespace EmbeddedBroker.Broker.Handlers;

/// <summary>
/// AUTH (3.15) after CONNACK: MQTT 5 re-authentication (4.12.1). The client starts it with AUTH 0x19 and the method it
/// connected with, the exchange goes on with AUTH 0x18 both ways, and ends with AUTH 0x00 (success) or a DISCONNECT
/// with the reason (failure). Other packets keep flowing meanwhile.
/// </summary>
internal static class AuthHandler
{
    public static async ValueTask HandleAsync(MqttConnection connection, AuthPacket auth)
    {
        var negotiated = connection.Negotiated!;
        var method = negotiated.AuthenticationMethod;
        if (method is null || connection.Core.EnhancedAuthenticator is not { } authenticator)
        {
            // The client did not authenticate with a method at CONNECT: it must not send AUTH (4.12).
            connection.ProtocolViolation("AUTH from a client that did not use enhanced authentication (4.12)");
            return;
        }

        if (auth.Properties.AuthenticationMethod != method)
        {
            connection.ProtocolViolation($"re-authentication with another method than {method} (MQTT-4.12.1-1)");
            return;
        }

        var data = auth.Properties.AuthenticationData ?? ReadOnlyMemory<byte>.Empty;
        EnhancedAuthenticationStep step;
        switch (auth.ReasonCode)
        {
            case MqttReasonCode.ReAuthenticate when connection.PendingReauthentication is null:
                step = await authenticator.StartAsync(new EnhancedAuthenticationRequest(negotiated.ClientId, method, data, connection.Context),
                    connection.ClosingToken).ConfigureAwait(false);
                break;
            case MqttReasonCode.ContinueAuthentication when connection.PendingReauthentication is { } pending:
                step = await pending.NextAsync(data, connection.ClosingToken).ConfigureAwait(false);
                break;
            default:
                connection.ProtocolViolation($"AUTH 0x{(byte)auth.ReasonCode:X2} out of order in a re-authentication (4.12.1)");
                return;
        }

        if (step.IsContinue)
        {
            connection.PendingReauthentication = step;
            await connection.Writer.EnqueueControlAsync(EnhancedAuthentication.Challenge(method, step)).ConfigureAwait(false);
            return;
        }

        connection.PendingReauthentication = null;
        if (step.IsSuccess && string.Equals(step.Username, negotiated.Identity.Username, StringComparison.Ordinal))
        {
            var success = new AuthPacket { ReasonCode = MqttReasonCode.Success, Properties = new MqttProperties { AuthenticationMethod = method, AuthenticationData = step.Data } };
            await connection.Writer.EnqueueControlAsync(success).ConfigureAwait(false);
            return;
        }

        // A failed re-authentication, or one as another user, ends the connection (4.12.1: DISCONNECT with the reason).
        connection.RequestClose(CloseReason.ProtocolViolation, step.IsSuccess ? MqttReasonCode.NotAuthorized : step.ReasonCode);
    }
}
