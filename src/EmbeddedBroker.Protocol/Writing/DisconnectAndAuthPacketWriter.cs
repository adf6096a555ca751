using EmbeddedBroker.Protocol.Packets;
using EmbeddedBroker.Protocol.Properties;

namespace EmbeddedBroker.Protocol.Writing;

/// <summary>
/// DISCONNECT (5.0 section 3.14) and AUTH (5.0 section 3.15): reason code and properties, both omitted when the code is
/// Success and there are no properties. A 3.1/3.1.1 DISCONNECT is always empty; AUTH does not exist before 5.0.
/// </summary>
internal static class DisconnectAndAuthPacketWriter
{
    public static BodySizes Measure(DisconnectPacket p, MqttProtocolVersion version)
    {
        return version == MqttProtocolVersion.V500
            ? Measure(p.ReasonCode, p.Properties, MqttPropertyContext.Disconnect)
            : new BodySizes(0);
    }

    public static BodySizes Measure(AuthPacket p, MqttProtocolVersion version)
    {
        return version == MqttProtocolVersion.V500
            ? Measure(p.ReasonCode, p.Properties, MqttPropertyContext.Auth)
            : throw new ArgumentException($"AUTH does not exist in MQTT {version} (5.0 section 3.15 only).", nameof(version));
    }

    public static void Write(ref MqttWriter w, MqttReasonCode reasonCode, MqttProperties properties, in BodySizes sizes)
    {
        if (sizes.RemainingLength == 0)
        {
            return;
        }
        w.WriteByte((byte)reasonCode);
        if (sizes.PropertiesSize > 0)
        {
            MqttPropertiesWriter.Write(ref w, properties, sizes.PropertiesSize);
        }
    }

    private static BodySizes Measure(MqttReasonCode reasonCode, MqttProperties properties, MqttPropertyContext context)
    {
        var propertiesSize = MqttPropertiesWriter.GetContentSize(properties, context);
        if (propertiesSize > 0)
        {
            return new BodySizes(1 + MqttPropertiesWriter.GetBlockSize(propertiesSize), propertiesSize);
        }
        return new BodySizes(reasonCode == MqttReasonCode.Success ? 0 : 1);
    }
}
