using EmbeddedBroker.Protocol;

namespace EmbeddedBroker.Contracts.Hooks;

/// <summary>What a client presented in CONNECT, for <see cref="IConnectAuthenticator"/>.</summary>
public sealed record MqttConnectRequest(
    string ClientId,
    string? Username,
    ReadOnlyMemory<byte>? Password,
    MqttProtocolVersion ProtocolVersion,
    MqttConnectionContext Connection);

/// <summary>The verdict on a CONNECT: a reason code and, when accepted, the user name the client is known by from then
/// on (the one it presented, or one taken from its certificate, Mosquitto's use_identity_as_username).</summary>
public readonly record struct AuthenticationResult(MqttReasonCode ReasonCode, string? Username)
{
    public bool IsAccepted => ReasonCode == MqttReasonCode.Success;

    public static AuthenticationResult Accept(string? username) => new(MqttReasonCode.Success, username);

    public static AuthenticationResult Refuse(MqttReasonCode reasonCode) => new(reasonCode, null);
}

/// <summary>
/// Decides whether a CONNECT is accepted. Accept, or refuse with a reason such as
/// <see cref="MqttReasonCode.BadUserNameOrPassword"/> (3.1.1 return code 4) or <see cref="MqttReasonCode.NotAuthorized"/> (5).
/// Without a registered authenticator every client is accepted under the user name it presented.
/// </summary>
public interface IConnectAuthenticator
{
    ValueTask<AuthenticationResult> AuthenticateAsync(MqttConnectRequest request, CancellationToken cancellationToken);
}
