using EmbeddedBroker.Contracts;
using EmbeddedBroker.Recorder.Options;
using EmbeddedBroker.Recorder.Pipeline;
using EmbeddedBroker.Recorder.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace EmbeddedBroker.Recorder.Tests;

/// <summary>The writer's per-message path allocates nothing (the formats write from spans into reused buffers).</summary>
public sealed class AllocationTests
{
    [TestCase(RecordFormats.Csv)]
    [TestCase(RecordFormats.Json)]
    [TestCase(RecordFormats.JsonLines)]
    public void Appending_and_committing_records_allocates_nothing_per_message(RecordFormats format)
    {
        using var temp = new TempDirectory();
        var payload = new byte[64];
        var messages = new MqttApplicationMessage[20_000];
        for (var i = 0; i < messages.Length; i++)
        {
            // A new millisecond every 10 messages, so timestamp formatting is part of the measurement.
            messages[i] = Messages.Bytes("sensors/room1/temperature", payload, at: Messages.Noon.AddTicks(i * 1000L));
        }

        using var files = new RecordFileSet(RecorderRun.OptionsFor(temp.Combine("mqtt_data")), format, new RecorderStatistics(), _ => { }, NullLogger.Instance);
        AppendAll(files, messages); // warm-up: buffers reach their working size

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var round = 0; round < 5; round++)
        {
            AppendAll(files, messages);
        }

        var perMessage = (GC.GetAllocatedBytesForCurrentThread() - before) / (5.0 * messages.Length);
        Assert.That(perMessage, Is.LessThan(1.0), "bytes allocated per recorded message");
    }

    private static void AppendAll(RecordFileSet files, MqttApplicationMessage[] messages)
    {
        foreach (var message in messages)
        {
            files.Append(message);
        }

        files.Commit();
    }
}
