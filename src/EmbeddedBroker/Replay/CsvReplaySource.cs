using System.Runtime.CompilerServices;
using CsvHelper;

namespace EmbeddedBroker.Replay;

/// <summary>The recorder's CSV (RFC 4180, its header), read with CsvHelper's reader; base64 payloads decoded.</summary>
internal sealed class CsvReplaySource(string path) : FileReplaySource(path)
{
    private static readonly string[] Header = ["timestamp", "topic", "payload", "qos", "retain", "client_id", "payload_encoding"];

    public override async IAsyncEnumerable<ReplayRecord> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var csv = CsvReader.Create(Stream, CsvReaderOptions.Default with { Separator = ',' }, leaveOpen: true);
        if (!csv.Headers.ToArray().SequenceEqual(Header))
        {
            throw new ReplaySourceException($"{Path}: the header is not the recorder's ({string.Join(',', Header)}).");
        }

        long number = 0;
        while (await csv.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            number++;
            if (csv.FieldCount != Header.Length)
            {
                throw RecordedFields.Bad(Path, number, $"{csv.FieldCount} fields instead of {Header.Length}");
            }

            var payloadText = csv.GetString(2);
            var payload = RecordedFields.Payload(Path, number, csv.GetString(6), () => csv.GetSpan(2).ToArray(), payloadText);
            yield return RecordedFields.ToRecord(Path, number, csv.GetString(0), csv.GetString(1), payload, csv.GetString(3), csv.GetString(4));
        }
    }
}
