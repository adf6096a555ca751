using EmbeddedBroker.Contracts;
using EmbeddedBroker.Protocol;
using EmbeddedBroker.Recorder.Outputs;
using EmbeddedBroker.Recorder.Options;
using EmbeddedBroker.Recorder.Pipeline;
using EmbeddedBroker.Recorder.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace EmbeddedBroker.Recorder.Tests;

/// <summary>
/// Neither side of the recorder allocates per message: the publisher's side (topic check, queue hop: the completion of an
/// acknowledgement is the only allocation, and only with AckAfterRecorded) and the writer's (the formats write from
/// spans into reused buffers).
/// </summary>
public sealed class AllocationTests
{
    [TestCase(RecordFormats.Csv)]
    [TestCase(RecordFormats.Json)]
    [TestCase(RecordFormats.JsonLines)]
    [TestCase(RecordFormats.Sqlite)]
    public void Appending_and_committing_records_allocates_nothing_per_message(RecordFormats format)
    {
        using var temp = new TempFolder();
        var payload = new byte[64];
        var messages = new MqttApplicationMessage[20_000];
        for (var i = 0; i < messages.Length; i++)
        {
            // A new millisecond every 10 messages, so timestamp formatting is part of the measurement.
            messages[i] = Messages.Bytes("sensors/room1/temperature", payload, at: Messages.Noon.AddTicks(i * 1000L));
        }

        using var files = new RecordOutputSet(RecorderRun.OptionsFor(temp.Combine("mqtt_data")), format, new RecorderStatistics(), NullLogger.Instance);
        AppendAll(files, messages); // warm-up: buffers reach their working size

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var round = 0; round < 5; round++)
        {
            AppendAll(files, messages);
        }

        var perMessage = (GC.GetAllocatedBytesForCurrentThread() - before) / (5.0 * messages.Length);
        Assert.That(perMessage, Is.LessThan(1.0), "bytes allocated per recorded message");
    }

    [TestCase(false, MqttQualityOfService.AtMostOnce, 0, 1, TestName = "Accepting_a_message_allocates_nothing_on_the_publishing_thread")]
    [TestCase(true, MqttQualityOfService.AtMostOnce, 0, 1, TestName = "Accepting_a_qos0_message_allocates_nothing_with_AckAfterRecorded")]
    [TestCase(true, MqttQualityOfService.AtLeastOnce, 64, 1024, TestName = "Accepting_a_qos1_message_with_AckAfterRecorded_allocates_only_its_completion")]
    public async Task Bytes_allocated_per_accepted_message_on_the_publishing_thread(bool ackAfterRecorded, MqttQualityOfService qos, double atLeast, double below)
    {
        using var temp = new TempFolder();
        var options = RecorderRun.OptionsFor(temp.Combine("mqtt_data"), "csv");
        options.AckAfterRecorded = ackAfterRecorded;
        await using var run = await RecorderRun.StartAsync(options);
        var messages = Enumerable.Range(0, 2_000).Select(_ => Messages.Text("sensors/room1/temperature", "23.5", qos: qos)).ToArray();

        const int WarmUpRounds = 3; // the queue's segments grow to their working size
        const int MeasuredRounds = 5;
        long allocated = 0;
        for (var round = 0; round < WarmUpRounds + MeasuredRounds; round++)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            foreach (var message in messages)
            {
                _ = run.Recorder.OnMessageAccepted(message);
            }

            allocated += round < WarmUpRounds ? 0 : GC.GetAllocatedBytesForCurrentThread() - before;
            await run.RecordedAsync((round + 1L) * messages.Length);
        }

        var perMessage = allocated / (double)(MeasuredRounds * messages.Length);
        Assert.That(perMessage, Is.GreaterThanOrEqualTo(atLeast).And.LessThan(below), "bytes allocated per accepted message");
    }

    private static void AppendAll(RecordOutputSet files, MqttApplicationMessage[] messages)
    {
        foreach (var message in messages)
        {
            files.Append(message);
        }

        files.Commit();
    }
}
