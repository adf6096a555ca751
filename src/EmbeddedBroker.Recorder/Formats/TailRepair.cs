using System.Text.Json;
using EmbeddedBroker.Recorder.Files;
using Microsoft.Extensions.Logging;

namespace EmbeddedBroker.Recorder.Formats;

/// <summary>What the formats share to repair the end of a file a crash left behind; each repair is logged.</summary>
internal static class TailRepair
{
    /// <summary>
    /// Removes the '\n' padding of a direct write that the process did not finish (see <see cref="DirectAppend"/>).
    /// Formats call it once they know the file is theirs; the JSON array needs no call (whitespace after ']' is valid).
    /// </summary>
    public static void RemoveDirectWritePadding(FileStream file, ILogger logger)
    {
        var removed = FileTail.RemoveNewlinePadding(file);
        if (removed > 0)
        {
            logger.LogWarning("Recorder: {File} ended with {Bytes} bytes of padding from a write the process did not finish; removed them", file.Name, removed);
        }
    }

    /// <summary>Cuts <paramref name="file"/> back to <paramref name="endOfLastRecord"/> when a torn record follows it.</summary>
    public static void RemoveIncompleteRecord(FileStream file, long endOfLastRecord, ILogger logger)
    {
        if (endOfLastRecord < file.Length)
        {
            logger.LogWarning("Recorder: {File} ended with an incomplete record (the process stopped while writing); removed its last {Bytes} bytes",
                file.Name, file.Length - endOfLastRecord);
            file.SetLength(endOfLastRecord);
        }
    }

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
