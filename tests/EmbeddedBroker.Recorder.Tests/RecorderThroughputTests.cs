using System.Diagnostics;
using EmbeddedBroker.Contracts;
using EmbeddedBroker.Recorder.Tests.Support;

namespace EmbeddedBroker.Recorder.Tests;

/// <summary>Measurement, not a test: prints how many messages per second the writer sustains. Run explicitly.</summary>
[Explicit("Measurement; prints msg/s, asserts nothing about speed")]
public sealed class RecorderThroughputTests
{
    [TestCase("csv", 1_000_000)]
    [TestCase("json", 1_000_000)]
    [TestCase("both", 1_000_000)]
    [TestCase("csv,json,jsonl", 1_000_000)]
    public async Task Writer_throughput_with_64_byte_payloads(string format, int count)
    {
        using var temp = new TempFolder();
        var options = RecorderRun.OptionsFor(temp.Combine("mqtt_data"), format);
        options.FlushIntervalMs = 1000;
        options.QueueCapacity = count;
        var payload = new byte[64];
        "{\"sensor\":\"temperature-01\",\"value\":23.75,\"unit\":\"C\",\"seq\":12345}"u8[..64].CopyTo(payload);
        var messages = new MqttApplicationMessage[count];
        var start = DateTimeOffset.UtcNow;
        for (var i = 0; i < count; i++)
        {
            messages[i] = Messages.Bytes("sensors/room" + (i % 16) + "/temperature", payload, clientId: "client-" + (i % 8), at: start.AddTicks(i * 100L));
        }

        await using var run = new RecorderRun(options);
        foreach (var message in messages)
        {
            run.Recorder.OnMessageAccepted(message); // queued before the writer starts: measures the writer alone
        }

        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var clock = Stopwatch.StartNew();
        await run.Recorder.StartAsync(CancellationToken.None);
        await run.StopAsync(); // drains and flushes everything
        clock.Stop();
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;

        Assert.That(run.Statistics.Recorded, Is.EqualTo(count));
        var bytes = new DirectoryInfo(temp.Path).GetFiles().Sum(f => f.Length);
        TestContext.Out.WriteLine($"{format}: {count:N0} messages in {clock.Elapsed.TotalSeconds:F2} s = {count / clock.Elapsed.TotalSeconds:N0} msg/s, "
            + $"{bytes / clock.Elapsed.TotalSeconds / 1e6:F1} MB/s written, {allocated / (double)count:F1} bytes allocated per message");
    }
}
