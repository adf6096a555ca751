using System.Text.Json;
using CsvHelper;

namespace EmbeddedBroker.Testing;

/// <summary>
/// Reads the recorder's files back with parsers independent of its writers: CsvHelper's reader (RFC 4180),
/// System.Text.Json, and Python's own csv and json modules. A missing or incomplete file fails the test.
/// </summary>
public static class RecordedFiles
{
    public static readonly string[] Header = ["timestamp", "topic", "payload", "qos", "retain", "client_id", "payload_encoding"];

    private static readonly string PythonReader = Path.Combine(AppContext.BaseDirectory, "Scripts", "read_exports.py");

    /// <summary>The file's bytes, read while the recorder may still have it open (or move it aside).</summary>
    public static byte[] ReadBytes(string path)
    {
        Assert.That(File.Exists(path), Is.True, $"{path} was not written");
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        var bytes = new byte[file.Length];
        file.ReadExactly(bytes);
        return bytes;
    }

    public static string ReadText(string path) => System.Text.Encoding.UTF8.GetString(ReadBytes(path));

    /// <summary>The payloads of a file of any format, told by its extension (".csv", ".json", ".jsonl").</summary>
    public static List<byte[]> ReadPayloads(string extension, string path) => extension switch
    {
        ".csv" => [.. ReadCsv(path).Select(r => r.Payload)],
        ".json" => [.. ReadJsonArray(path).Select(r => r.Payload)],
        _ => [.. ReadJsonLines(path).Select(r => r.Payload)],
    };

    /// <summary>The CSV's records; its header must be <see cref="Header"/> and every row must have all its fields.</summary>
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

    /// <summary>The JSON array's records: a file whose array was not closed fails here.</summary>
    public static List<ReadRecord> ReadJsonArray(string path)
    {
        using var document = JsonDocument.Parse(ReadBytes(path));
        Assert.That(document.RootElement.ValueKind, Is.EqualTo(JsonValueKind.Array));
        return [.. document.RootElement.EnumerateArray().Select(ToRecord)];
    }

    public static List<ReadRecord> ReadJsonLines(string path)
    {
        var text = ReadText(path);
        Assert.That(text.Length == 0 || text.EndsWith('\n'), Is.True, "every JSON Lines record ends with a line break");
        return [.. text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line =>
        {
            using var document = JsonDocument.Parse(line);
            return ToRecord(document.RootElement);
        })];
    }

    /// <summary>The CSV and the JSON array of <paramref name="output"/> as Python's csv and json modules read them.</summary>
    public static async Task<(List<ReadRecord> Csv, List<ReadRecord> Json)> ReadWithPythonAsync(RecorderOutput output)
    {
        var run = await ExternalProcess.RunAsync(TimeSpan.FromSeconds(60), ThirdPartyTools.Python, PythonReader, output.BasePath);
        Assert.That(run.ExitCode, Is.Zero, $"Python could not parse the exports: {run.Error}");
        using var document = JsonDocument.Parse(run.Output);
        return (FromPython(document.RootElement.GetProperty("csv")), FromPython(document.RootElement.GetProperty("json")));
    }

    /// <summary>Waits until the file contains <paramref name="text"/> (the recorder flushes at least once a second).</summary>
    public static Task WaitForTextAsync(string path, string text, TimeSpan timeout) =>
        Eventually.HoldsAsync(
            () => Task.FromResult(File.Exists(path) && ReadText(path).Contains(text, StringComparison.Ordinal)),
            () => $"'{text}' is recorded in {path}. File: {(File.Exists(path) ? ReadText(path) : "(none)")}",
            timeout,
            TimeSpan.FromMilliseconds(100));

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

    private static List<ReadRecord> FromPython(JsonElement records) =>
        [.. records.EnumerateArray().Select(r => new ReadRecord(r[0].GetString()!, r[1].GetString()!, r[2].GetBytesFromBase64(),
            r[3].GetInt32(), r[4].GetBoolean(), r[5].GetString(), r[6].GetString()!))];
}
