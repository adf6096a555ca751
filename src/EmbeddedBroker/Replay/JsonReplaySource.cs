using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;

namespace EmbeddedBroker.Replay;

/// <summary>
/// The recorder's JSON array (read as a stream, one record at a time, whatever the file's size) or JSON Lines (one
/// record a line); base64 payloads decoded.
/// </summary>
internal sealed class JsonReplaySource(string path, bool lines) : FileReplaySource(path)
{
    public override IAsyncEnumerable<ReplayRecord> ReadAsync(CancellationToken cancellationToken) =>
        lines ? ReadLinesAsync(cancellationToken) : ReadArrayAsync(cancellationToken);

    private async IAsyncEnumerable<ReplayRecord> ReadArrayAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        long number = 0;
        var records = JsonSerializer.DeserializeAsyncEnumerable(Stream, ReplayJsonContext.Default.JsonElement, cancellationToken);
        await using var enumerator = records.GetAsyncEnumerator(cancellationToken);
        while (true)
        {
            JsonElement element;
            try
            {
                if (!await enumerator.MoveNextAsync().ConfigureAwait(false))
                {
                    yield break;
                }

                element = enumerator.Current;
            }
            catch (JsonException error)
            {
                throw new ReplaySourceException($"{Path}: not a JSON array of records ({error.Message}).", error);
            }

            yield return ToRecord(element, ++number);
        }
    }

    private async IAsyncEnumerable<ReplayRecord> ReadLinesAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(Stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: false, leaveOpen: true);
        long number = 0;
        while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            if (line.Length == 0)
            {
                continue;
            }

            number++;
            JsonDocument document;
            try
            {
                document = JsonDocument.Parse(line);
            }
            catch (JsonException error)
            {
                throw RecordedFields.Bad(Path, number, $"not a JSON record ({error.Message})");
            }

            using (document)
            {
                yield return ToRecord(document.RootElement, number);
            }
        }
    }

    private ReplayRecord ToRecord(JsonElement element, long number)
    {
        try
        {
            var payloadText = element.GetProperty("payload").GetString() ?? "";
            var payload = RecordedFields.Payload(Path, number, element.GetProperty("payload_encoding").GetString() ?? "", () => Encoding.UTF8.GetBytes(payloadText), payloadText);
            return RecordedFields.ToRecord(Path, number, element.GetProperty("timestamp").GetString() ?? "", element.GetProperty("topic").GetString() ?? "",
                payload, element.GetProperty("qos").GetRawText(), element.GetProperty("retain").GetRawText());
        }
        catch (Exception error) when (error is KeyNotFoundException or InvalidOperationException)
        {
            throw RecordedFields.Bad(Path, number, $"not a recorder record ({error.Message})");
        }
    }
}
