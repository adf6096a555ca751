using EmbeddedBroker.Contracts;
using EmbeddedBroker.Protocol;
using EmbeddedBroker.Recorder;
using EmbeddedBroker.Recorder.Options;
using Microsoft.Extensions.Logging.Abstractions;

namespace EmbeddedBroker.Integration.Tests.Replay;

/// <summary>A recording made by the recorder itself, in every format at once (CSV, JSON, JSON Lines, SQLite).</summary>
internal static class Recording
{
    public static async Task WriteAsync(RecorderOutput output, IReadOnlyList<MqttApplicationMessage> messages)
    {
        var options = new RecorderOptions { Output = output.BasePath, Format = "csv,json,jsonl,sqlite", FlushIntervalMs = 50, QueueCapacity = 1_000_000 };
        var statistics = new RecorderStatistics();
        await using var recorder = new MessageRecorder(Microsoft.Extensions.Options.Options.Create(options), statistics, NullLogger<MessageRecorder>.Instance);
        await recorder.StartAsync(CancellationToken.None);
        foreach (var message in messages)
        {
            recorder.OnMessageAccepted(message);
        }

        await Eventually.HoldsAsync(() => statistics.Recorded == messages.Count, $"{messages.Count} messages are recorded", 60_000);
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await recorder.StopAsync(stop.Token);
    }

    /// <summary>10,000 messages: text with commas, quotes, line breaks, emoji, empty, and binary, on several topics, 1 ms apart.</summary>
    public static List<MqttApplicationMessage> Tricky(int count, DateTimeOffset start)
    {
        var random = new Random(1883);
        var messages = new List<MqttApplicationMessage>(count);
        for (var i = 0; i < count; i++)
        {
            byte[] payload = (i % 7) switch
            {
                0 => System.Text.Encoding.UTF8.GetBytes($"{i},\"quoted\",end"),
                1 => System.Text.Encoding.UTF8.GetBytes($"line one\r\nline two {i} 🌡️"),
                2 => [],
                3 => RandomBytes(random, 1 + (i % 200)),
                4 => System.Text.Encoding.UTF8.GetBytes($"{{\"t\":{i}.5}}"),
                5 => [0xFF, 0x00, (byte)(i % 256), 0x0A],
                _ => System.Text.Encoding.UTF8.GetBytes($"  {i}  "),
            };
            messages.Add(new MqttApplicationMessage
            {
                Topic = $"replay/{i % 5}/{(i % 2 == 0 ? "even" : "odd")}",
                Payload = payload,
                Qos = (MqttQualityOfService)(i % 3),
                Retain = i % 11 == 0,
                SourceClientId = "recorded",
                ReceivedAt = start.AddMilliseconds(i),
            });
        }

        return messages;
    }

    private static byte[] RandomBytes(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }
}
