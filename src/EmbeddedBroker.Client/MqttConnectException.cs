using EmbeddedBroker.Protocol;

namespace EmbeddedBroker.Client;

/// <summary>The server refused the connection with a non-success CONNACK.</summary>
public sealed class MqttConnectException : Exception
{
    public MqttConnectException(MqttReasonCode reasonCode, string? reasonString = null)
        : base($"The server refused the connection: {reasonCode} (0x{(byte)reasonCode:X2})" + (reasonString is null ? "." : $": {reasonString}"))
    {
        ReasonCode = reasonCode;
    }

    public MqttConnectException()
    {
    }

    public MqttConnectException(string message) : base(message)
    {
    }

    public MqttConnectException(string message, Exception innerException) : base(message, innerException)
    {
    }

    public MqttReasonCode ReasonCode { get; } = MqttReasonCode.UnspecifiedError;
}
