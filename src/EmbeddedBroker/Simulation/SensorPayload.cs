using System.Globalization;
using System.Text;
using System.Text.Json;

namespace EmbeddedBroker.Simulation;

/// <summary>The bytes a simulated reading is published as.</summary>
public static class SensorPayload
{
    /// <summary>"23.7" (payload "value") or {"sensor":"temperature","value":23.7,"unit":"°C"} (payload "json").</summary>
    public static byte[] Format(SensorDefinition sensor, double value, bool json)
    {
        var number = value.ToString("F" + sensor.Decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        if (!json)
        {
            return Encoding.UTF8.GetBytes(number);
        }

        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("sensor", sensor.Name);
            writer.WritePropertyName("value");
            writer.WriteRawValue(number);
            writer.WriteString("unit", sensor.Unit);
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }
}
