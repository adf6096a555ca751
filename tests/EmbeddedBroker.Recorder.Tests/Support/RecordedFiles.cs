using System.Text.Json;
using CsvHelper;

namespace EmbeddedBroker.Recorder.Tests.Support;

/// <summary>One record read back from a file, with the payload decoded to its original bytes.</summary>
internal sealed record ReadRecord(string Timestamp, string Topic, byte[] Payload, int Qos, bool Retain, string? ClientId, string Encoding);

/// <summary>Reads the recorder's files back with independent parsers (CsvHelper reader, System.Text.Json).</summary>
internal static class RecordedFiles
{
    public static readonly string[] Header = ["timestamp", "topic", "payload", "qos", "retain", "client_id", "payload_encoding"];

    public static byte[] ReadBytes(string path)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        var bytes = new byte[file.Length];
        file.ReadExactly(bytes);
        return bytes;
    }

    /// <summary>The payloads of a file of any format, told by its extension (".csv", ".json", ".jsonl").</summary>
    public static List<byte[]> ReadPayloads(string extension, string path) => extension switch
    {
        ".csv" => [.. ReadCsv(path).Select(r => r.Payload)],
        ".json" => [.. ReadJsonArray(path).Select(r => r.Payload)],
        _ => [.. ReadJsonLines(path).Select(r => r.Payload)],
    };

    public static List<ReadRecord> ReadCsv(string path)
    {
        using var csv = CsvReader.Create(ReadBytes(path), CsvReaderOptions.Default with { Separator = ',' });
        var records = new List<ReadRecord>();
        Assert.That(csv.Headers.ToArray(), Is.EqualTo(Header));
        while (csv.Read())
        {
            Assert.That(csv.FieldCount, Is.EqualTo(Header.Length));
            var encoding = csv.GetString(6);
            var payload = encoding == "base64" ? Convert.FromBase64String(csv.GetString(2)) : csv.GetSpan(2).ToArray();
            var clientId = csv.GetString(5);
            records.Add(new ReadRecord(csv.GetString(0), csv.GetString(1), payload, int.Parse(csv.GetString(3)),
                bool.Parse(csv.GetString(4)), clientId.Length == 0 ? null : clientId, encoding));
        }

        return records;
    }

    public static List<ReadRecord> ReadJsonArray(string path)
    {
        using var document = JsonDocument.Parse(ReadBytes(path));
        Assert.That(document.RootElement.ValueKind, Is.EqualTo(JsonValueKind.Array));
        return [.. document.RootElement.EnumerateArray().Select(ToRecord)];
    }

    public static List<ReadRecord> ReadJsonLines(string path)
    {
        var text = System.Text.Encoding.UTF8.GetString(ReadBytes(path));
        Assert.That(text.Length == 0 || text.EndsWith('\n'), Is.True, "every JSON Lines record ends with a line break");
        return [.. text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line =>
        {
            using var document = JsonDocument.Parse(line);
            return ToRecord(document.RootElement);
        })];
    }

    private static ReadRecord ToRecord(JsonElement element)
    {
        var encoding = element.GetProperty("payload_encoding").GetString()!;
        var payloadElement = element.GetProperty("payload");
        var payload = encoding == "base64" ? payloadElement.GetBytesFromBase64() : System.Text.Encoding.UTF8.GetBytes(payloadElement.GetString()!);
        var clientId = element.GetProperty("client_id");
        return new ReadRecord(element.GetProperty("timestamp").GetString()!, element.GetProperty("topic").GetString()!, payload,
            element.GetProperty("qos").GetInt32(), element.GetProperty("retain").GetBoolean(),
            clientId.ValueKind == JsonValueKind.Null ? null : clientId.GetString(), encoding);
    }
}
