using EmbeddedBroker.Protocol;

namespace EmbeddedBroker.Contracts.Hooks;

/// <summary>What a client presented in CONNECT, for <see cref="IConnectAuthenticator"/>.</summary>
public sealed record MqttConnectRequest(
    string ClientId,
    string? Username,
    ReadOnlyMemory<byte>? Password,
    MqttProtocolVersion ProtocolVersion,
    MqttConnectionContext Connection);

/// <summary>
/// Decides whether a CONNECT is accepted. Return <see cref="MqttReasonCode.Success"/> to accept, or a refusal such as
/// <see cref="MqttReasonCode.BadUserNameOrPassword"/> (3.1.1 return code 4) or <see cref="MqttReasonCode.NotAuthorized"/> (5).
/// Without a registered authenticator every client is accepted.
/// </summary>
public interface IConnectAuthenticator
{
    ValueTask<MqttReasonCode> AuthenticateAsync(MqttConnectRequest request, CancellationToken cancellationToken);
}
