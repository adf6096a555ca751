using System.Text.Json;

namespace EmbeddedBroker.App.Tests.Infrastructure;

/// <summary>Reads what the recorder wrote, failing the test when a file is missing or not complete.</summary>
internal static class RecordedFiles
{
    public static string ReadCsv(string path)
    {
        Assert.That(File.Exists(path), Is.True, $"{path} was not written");
        return File.ReadAllText(path);
    }

    /// <summary>The JSON array, parsed: a file whose array was not closed on stop fails here.</summary>
    public static List<(string Topic, string Payload)> ReadJson(string path)
    {
        Assert.That(File.Exists(path), Is.True, $"{path} was not written");
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        return [.. document.RootElement.EnumerateArray().Select(r => (r.GetProperty("topic").GetString()!, r.GetProperty("payload").GetString() ?? ""))];
    }

    /// <summary>Waits until the CSV contains <paramref name="text"/> (the recorder flushes at least once a second).</summary>
    public static async Task WaitForCsvAsync(string path, string text, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!(File.Exists(path) && ReadShared(path).Contains(text, StringComparison.Ordinal)))
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"'{text}' not recorded in {path} within {timeout.TotalSeconds:0} s. File: {(File.Exists(path) ? ReadShared(path) : "(none)")}");
            }

            await Task.Delay(100);
        }
    }

    private static string ReadShared(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
