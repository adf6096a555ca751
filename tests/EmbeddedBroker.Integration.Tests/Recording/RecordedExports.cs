using System.Text.Json;
using EmbeddedBroker.Integration.Tests.Infrastructure;

namespace EmbeddedBroker.Integration.Tests.Recording;

/// <summary>One recorded message as Python's csv/json modules read it back: payload as base64 of the exact bytes.</summary>
internal sealed record RecordedMessage(string Topic, string PayloadBase64, int Qos, bool Retain, string ClientId);

/// <summary>The CSV and JSON exports, parsed by Python's csv and json modules (Scripts/read_exports.py).</summary>
internal sealed record RecordedExports(IReadOnlyList<RecordedMessage> Csv, IReadOnlyList<RecordedMessage> Json)
{
    private static readonly string Script = Path.Combine(AppContext.BaseDirectory, "Scripts", "read_exports.py");

    public static async Task<RecordedExports> ReadAsync(string basePath)
    {
        var run = await ExternalProcess.RunAsync(TimeSpan.FromSeconds(60), ThirdPartyTools.Python, Script, basePath);
        Assert.That(run.ExitCode, Is.Zero, $"Python could not parse the exports: {run.Error}");
        using var document = JsonDocument.Parse(run.Output);
        return new RecordedExports(Parse(document.RootElement.GetProperty("csv")), Parse(document.RootElement.GetProperty("json")));
    }

    private static List<RecordedMessage> Parse(JsonElement records) =>
        records.EnumerateArray()
            .Select(r => new RecordedMessage(r[0].GetString()!, r[1].GetString()!, r[2].GetInt32(), r[3].GetBoolean(), r[4].GetString()!))
            .ToList();
}
