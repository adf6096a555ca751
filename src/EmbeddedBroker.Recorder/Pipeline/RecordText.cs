using EmbeddedBroker.Protocol;

namespace EmbeddedBroker.Recorder.Pipeline;

/// <summary>UTF-8 text of the small fixed-value fields.</summary>
internal static class RecordText
{
    public static ReadOnlySpan<byte> Qos(MqttQualityOfService qos) => qos switch
    {
        MqttQualityOfService.AtMostOnce => "0"u8,
        MqttQualityOfService.AtLeastOnce => "1"u8,
        _ => "2"u8,
    };
}
