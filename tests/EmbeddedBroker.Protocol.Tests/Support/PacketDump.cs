using System.Collections;
using System.Reflection;
using System.Text;

namespace EmbeddedBroker.Protocol.Tests.Support;

/// <summary>
/// A canonical text form of a packet with every public field, nested properties and will included, so a decoded packet
/// is compared with the expected one field by field and a mismatch shows exactly which field differs.
/// </summary>
internal static class PacketDump
{
    public static string Of(object? value)
    {
        var builder = new StringBuilder();
        Append(builder, value);
        return builder.ToString();
    }

    private static void Append(StringBuilder builder, object? value)
    {
        switch (value)
        {
            case null:
                builder.Append("null");
                return;
            case string text:
                builder.Append('"').Append(text).Append('"');
                return;
            case ReadOnlyMemory<byte> memory:
                builder.Append("0x").Append(Convert.ToHexString(memory.Span));
                return;
            case byte[] bytes:
                builder.Append("0x").Append(Convert.ToHexString(bytes));
                return;
            case Enum or bool or byte or ushort or uint or int:
                builder.Append(value);
                return;
            case MqttUserProperty or Packets.MqttTopicSubscription:
                builder.Append(value);
                return;
            case IEnumerable items:
                builder.Append('[');
                foreach (var item in items)
                {
                    Append(builder, item);
                    builder.Append(", ");
                }
                builder.Append(']');
                return;
        }
        builder.Append(value.GetType().Name).Append(" { ");
        foreach (var property in value.GetType().GetProperties(BindingFlags.Instance | BindingFlags.Public).OrderBy(p => p.Name, StringComparer.Ordinal))
        {
            if (property.GetIndexParameters().Length > 0)
            {
                continue;
            }
            builder.Append(property.Name).Append(" = ");
            Append(builder, property.GetValue(value));
            builder.Append("; ");
        }
        builder.Append('}');
    }
}
