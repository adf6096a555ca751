using EmbeddedBroker.Protocol;

namespace EmbeddedBroker.Contracts.Hooks;

/// <summary>
/// MQTT 5 enhanced authentication (4.12): a challenge/response exchange named by an Authentication Method, run at
/// CONNECT (CONNECT, AUTH 0x18 ..., CONNACK) and again whenever the client re-authenticates (AUTH 0x19 ..., AUTH 0x00).
/// The broker carries the exchange's bytes; the authenticator decides each step.
/// </summary>
public interface IEnhancedAuthenticator
{
    /// <summary>The Authentication Methods offered (e.g. "SCRAM-SHA-512"); any other gets CONNACK 0x8C.</summary>
    IReadOnlyCollection<string> Methods { get; }

    /// <summary>The first step, from the data of the CONNECT (or of the re-authenticating AUTH).</summary>
    ValueTask<EnhancedAuthenticationStep> StartAsync(EnhancedAuthenticationRequest request, CancellationToken cancellationToken);
}

/// <summary>What a client sent to start an exchange: its client id, the method, its data and where it came from.</summary>
public sealed record EnhancedAuthenticationRequest(string ClientId, string Method, ReadOnlyMemory<byte> Data, MqttConnectionContext Connection);

/// <summary>
/// One step of an exchange: <see cref="Continue"/> (send this data in AUTH 0x18, then call <see cref="NextAsync"/> with
/// the client's answer), <see cref="Succeed"/> (the client is the user <see cref="Username"/>; optional final data goes
/// in CONNACK / AUTH 0x00), or <see cref="Fail"/> (CONNACK, or DISCONNECT for a re-authentication, with the reason).
/// </summary>
public sealed class EnhancedAuthenticationStep
{
    private readonly Func<ReadOnlyMemory<byte>, CancellationToken, ValueTask<EnhancedAuthenticationStep>>? _next;

    private EnhancedAuthenticationStep(MqttReasonCode reasonCode, ReadOnlyMemory<byte>? data, string? username,
        Func<ReadOnlyMemory<byte>, CancellationToken, ValueTask<EnhancedAuthenticationStep>>? next)
    {
        ReasonCode = reasonCode;
        Data = data;
        Username = username;
        _next = next;
    }

    /// <summary>Success, ContinueAuthentication, or the refusal reason.</summary>
    public MqttReasonCode ReasonCode { get; }

    public ReadOnlyMemory<byte>? Data { get; }

    public string? Username { get; }

    public bool IsContinue => _next is not null;

    public bool IsSuccess => ReasonCode == MqttReasonCode.Success;

    public static EnhancedAuthenticationStep Continue(ReadOnlyMemory<byte> data,
        Func<ReadOnlyMemory<byte>, CancellationToken, ValueTask<EnhancedAuthenticationStep>> next) =>
        new(MqttReasonCode.ContinueAuthentication, data, null, next ?? throw new ArgumentNullException(nameof(next)));

    public static EnhancedAuthenticationStep Succeed(string? username, ReadOnlyMemory<byte>? data = null) =>
        new(MqttReasonCode.Success, data, username, null);

    public static EnhancedAuthenticationStep Fail(MqttReasonCode reasonCode) => new(reasonCode, null, null, null);

    /// <summary>The step that follows the client's answer to a <see cref="Continue"/> step.</summary>
    public ValueTask<EnhancedAuthenticationStep> NextAsync(ReadOnlyMemory<byte> clientData, CancellationToken cancellationToken) =>
        (_next ?? throw new InvalidOperationException("Only a Continue step has a next step."))(clientData, cancellationToken);
}
