using System.Diagnostics;
using System.Text.Unicode;
using EmbeddedBroker.Contracts;
using EmbeddedBroker.Recorder.Options;
using EmbeddedBroker.Recorder.Pipeline;
using EmbeddedBroker.Recorder.Files;
using EmbeddedBroker.Recorder.Tests.Support;

namespace EmbeddedBroker.Recorder.Tests;

/// <summary>
/// Measurement, not a test: time per message of each stage of the writer (queue hop, UTF-8 check, timestamp,
/// CSV formatting, JSON formatting), on the bench's message shape. Run explicitly, Release.
/// </summary>
[Explicit("Measurement; prints ns per message per stage, asserts nothing about speed")]
public sealed class RecorderStageProfile
{
    private const int Count = 1_000_000;
    private const int BatchMessages = 65_536;

    [Test]
    public void Cost_per_message_of_each_writer_stage()
    {
        var messages = BenchMessages();
        using var temp = new TempFolder();
        for (var round = 0; round < 3; round++)
        {
            var queue = Time(() =>
            {
                var q = new RecordQueue(Count, long.MaxValue, FullQueuePolicy.DropNewest, _ => { });
                foreach (var m in messages) q.TryWrite(new QueuedMessage(m, null));
                while (q.TryRead(out _)) { }
            });
            var utf8 = Time(() =>
            {
                var valid = 0;
                foreach (var m in messages) valid += Utf8.IsValid(m.Payload.Span) ? 1 : 0;
                GC.KeepAlive(valid);
            });
            var factory = new MessageRecordFactory();
            var create = Time(() => { foreach (var m in messages) factory.Create(m); });
            using var csv = RecordFileFactory.For(".csv", temp.Combine("p" + round));
            var csvTime = Time(() => WriteAll(csv, factory, messages));
            using var json = RecordFileFactory.For(".json", temp.Combine("p" + round));
            var jsonTime = Time(() => WriteAll(json, factory, messages));
            TestContext.Out.WriteLine($"round {round}: queue {queue:F0} ns, utf8 check {utf8:F0} ns, record (utf8+timestamp) {create:F0} ns, "
                + $"csv {csvTime:F0} ns, json {jsonTime:F0} ns per message (csv/json include record creation)");
        }
    }

    internal static MqttApplicationMessage[] BenchMessages()
    {
        // Like bench scenario "sensors": 4 topics, 64 ASCII digits, timestamps ~1 us apart (many per millisecond).
        var messages = new MqttApplicationMessage[Count];
        var start = DateTimeOffset.UtcNow;
        for (var i = 0; i < Count; i++)
        {
            var payload = new byte[64];
            payload.AsSpan().Fill((byte)('0' + (i % 10)));
            messages[i] = Messages.Bytes("sensors/bench/run/" + (i % 4), payload, clientId: "bench-pub-" + (i % 4), at: start.AddTicks(i * 10L));
        }

        return messages;
    }

    private static void WriteAll(RecordFile sink, MessageRecordFactory factory, MqttApplicationMessage[] messages)
    {
        var n = 0;
        foreach (var m in messages)
        {
            sink.Write(factory.Create(m));
            if (++n % BatchMessages == 0) sink.DiscardPending();
        }

        sink.DiscardPending();
    }

    private static double Time(Action action)
    {
        var clock = Stopwatch.StartNew();
        action();
        return clock.Elapsed.TotalNanoseconds / Count;
    }
}
