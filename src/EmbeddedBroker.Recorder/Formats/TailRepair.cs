using System.Text.Json;

namespace EmbeddedBroker.Recorder.Formats;

/// <summary>What the formats share to repair the end of a file a crash left behind.</summary>
internal static class TailRepair
{
    /// <summary>True when <paramref name="line"/> is exactly one complete JSON object (a record that was fully written).</summary>
    public static bool IsCompleteJsonObject(ReadOnlySpan<byte> line)
    {
        if (line.IsEmpty || line[0] != (byte)'{')
        {
            return false;
        }

        try
        {
            var reader = new Utf8JsonReader(line, isFinalBlock: true, state: default);
            return reader.Read() && reader.TokenType == JsonTokenType.StartObject && reader.TrySkip() && !reader.Read();
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
