using EmbeddedBroker.Protocol;

namespace EmbeddedBroker.Client;

/// <summary>The server answered a PUBLISH (PUBACK/PUBREC/PUBCOMP) or UNSUBSCRIBE with a failure reason code (MQTT 5, &gt;= 0x80).</summary>
public sealed class MqttOperationException : Exception
{
    public MqttOperationException(MqttPacketType answer, MqttReasonCode reasonCode)
        : base($"The server answered {answer} with {reasonCode} (0x{(byte)reasonCode:X2}).")
    {
        ReasonCode = reasonCode;
    }

    public MqttOperationException()
    {
    }

    public MqttOperationException(string message) : base(message)
    {
    }

    public MqttOperationException(string message, Exception innerException) : base(message, innerException)
    {
    }

    public MqttReasonCode ReasonCode { get; } = MqttReasonCode.UnspecifiedError;
}
