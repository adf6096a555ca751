namespace EmbeddedBroker.Protocol.ReasonCodes;

/// <summary>
/// Maps the 5.0 reason codes the model always holds to the return codes of 3.1/3.1.1 and back:
/// CONNACK (3.1.1 section 3.2.2.3, table 3.1) and SUBACK (3.1.1 section 3.9.3).
/// </summary>
internal static class LegacyReturnCodes
{
    /// <summary>
    /// 0x84 -> 1, 0x85 -> 2, 0x88/0x89 -> 3, 0x86 -> 4, 0x87 -> 5 (as 5.0 section 3.2.2.2 suggests). Other 5.0 failures
    /// have no 3.1.1 twin: Banned goes to 5 (not authorized), Bad Authentication Method to 4, everything else to 3
    /// (server unavailable), so the client at least sees a refusal.
    /// </summary>
    public static byte ToConnAckReturnCode(MqttReasonCode code) => code switch
    {
        MqttReasonCode.Success => 0,
        MqttReasonCode.UnsupportedProtocolVersion => 1,
        MqttReasonCode.ClientIdentifierNotValid => 2,
        MqttReasonCode.ServerUnavailable or MqttReasonCode.ServerBusy => 3,
        MqttReasonCode.BadUserNameOrPassword or MqttReasonCode.BadAuthenticationMethod => 4,
        MqttReasonCode.NotAuthorized or MqttReasonCode.Banned => 5,
        _ when (byte)code >= 0x80 => 3,
        _ => throw new ArgumentException($"CONNACK reason code {code} (0x{(byte)code:X2}) is not a CONNACK result."),
    };

    /// <summary>Return codes 6-255 are reserved (3.1.1 table 3.1): null means malformed.</summary>
    public static MqttReasonCode? FromConnAckReturnCode(byte code) => code switch
    {
        0 => MqttReasonCode.Success,
        1 => MqttReasonCode.UnsupportedProtocolVersion,
        2 => MqttReasonCode.ClientIdentifierNotValid,
        3 => MqttReasonCode.ServerUnavailable,
        4 => MqttReasonCode.BadUserNameOrPassword,
        5 => MqttReasonCode.NotAuthorized,
        _ => null,
    };

    /// <summary>0x00/0x01/0x02/0x80 as is; any other 5.0 failure becomes 0x80 (3.1.1 section 3.9.3 knows no other).</summary>
    public static byte ToSubAckReturnCode(MqttReasonCode code) => code switch
    {
        MqttReasonCode.Success or MqttReasonCode.GrantedQos1 or MqttReasonCode.GrantedQos2 => (byte)code,
        _ when (byte)code >= 0x80 => 0x80,
        _ => throw new ArgumentException($"SUBACK reason code {code} (0x{(byte)code:X2}) is not a SUBACK result."),
    };

    /// <summary>"SUBACK return codes other than 0x00, 0x01, 0x02 and 0x80 are reserved and MUST NOT be used" (MQTT-3.9.3-2).</summary>
    public static bool IsValidSubAckReturnCode(byte code) => code is 0x00 or 0x01 or 0x02 or 0x80;
}
