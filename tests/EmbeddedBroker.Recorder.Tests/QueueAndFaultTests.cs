using System.Diagnostics;
using EmbeddedBroker.Contracts.Hooks;
using EmbeddedBroker.Protocol;
using EmbeddedBroker.Recorder.Tests.Support;

namespace EmbeddedBroker.Recorder.Tests;

/// <summary>The broker is never blocked: a full queue drops and counts, a failing disk is retried while the broker goes on.</summary>
public sealed class QueueAndFaultTests : TempFolderFixture
{
    [Test]
    public async Task A_full_queue_drops_and_counts_new_messages_without_blocking_the_publisher()
    {
        var options = RecorderRun.OptionsFor(Temp.Combine("mqtt_data"), "csv");
        options.QueueCapacity = 10;
        await using var run = new RecorderRun(options); // not started: nothing drains the queue

        var clock = Stopwatch.StartNew();
        for (var i = 0; i < 25; i++)
        {
            run.Publish(Messages.Text("sensors/t", i.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }

        clock.Stop();
        Assert.That(run.Statistics.Enqueued, Is.EqualTo(10));
        Assert.That(run.Statistics.Dropped, Is.EqualTo(15));
        Assert.That(run.Statistics.QueueDepth, Is.EqualTo(10));
        Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(5)), "returned without waiting for room");

        await run.Recorder.StartAsync(CancellationToken.None);
        await run.StopAsync();
        Assert.That(RecordedFiles.ReadCsv(run.CsvPath).Select(r => r.Payload[0] - '0'), Is.EqualTo(Enumerable.Range(0, 10)), "the first ten were kept");
    }

    [Test]
    public async Task DropOldest_keeps_the_newest_messages_and_counts_the_discarded_ones()
    {
        var options = RecorderRun.OptionsFor(Temp.Combine("mqtt_data"), "csv");
        options.QueueCapacity = 3;
        options.FullQueuePolicy = "DropOldest";
        await using var run = new RecorderRun(options);
        foreach (var payload in new[] { "a", "b", "c", "d", "e" })
        {
            run.Publish(Messages.Text("sensors/t", payload));
        }

        Assert.That(run.Statistics.Dropped, Is.EqualTo(2));
        await run.Recorder.StartAsync(CancellationToken.None);
        await run.StopAsync();
        Assert.That(RecordedFiles.ReadCsv(run.CsvPath).Select(r => System.Text.Encoding.UTF8.GetString(r.Payload)), Is.EqualTo(new[] { "c", "d", "e" }));
    }

    [Test]
    public async Task A_missing_output_folder_is_created()
    {
        var output = Temp.Combine("does", "not", "exist", "mqtt_data");
        await using var run = await RecorderRun.StartAsync(RecorderRun.OptionsFor(output));
        run.Publish(Messages.Text("sensors/t", "1"));
        await run.RecordedAsync(1);

        Assert.That(File.Exists(output + ".csv") && File.Exists(output + ".json"), Is.True);
    }

    [Test]
    public async Task An_unwritable_folder_is_reported_and_counted_and_writing_resumes_when_it_becomes_writable()
    {
        var blocker = Temp.Combine("exports");
        await File.WriteAllTextAsync(blocker, "a file where the folder should be");
        var logger = new CollectingLogger<MessageRecorder>();
        await using var run = await RecorderRun.StartAsync(RecorderRun.OptionsFor(Path.Combine(blocker, "mqtt_data")), logger);

        run.Publish(Messages.Text("sensors/t", "kept while failing"), Messages.Text("sensors/t", "second"));
        await Eventually.HoldsAsync(() => run.Statistics.WriteErrors >= 3, "several write attempts have failed");
        Assert.That(run.Statistics.LastError, Is.Not.Null.And.Not.Empty);
        Assert.That(run.Statistics.Recorded, Is.Zero);
        Assert.That(logger.Errors, Has.Some.Contains("cannot write"));
        Assert.That(logger.Errors, Has.Count.LessThan((int)run.Statistics.WriteErrors), "errors are logged at most once per interval, not per attempt");

        run.Publish(Messages.Text("sensors/t", "third")); // the broker keeps handing messages over
        File.Delete(blocker);

        await run.RecordedAsync(3);
        await run.StopAsync();
        var payloads = RecordedFiles.ReadCsv(Path.Combine(blocker, "mqtt_data.csv")).Select(r => System.Text.Encoding.UTF8.GetString(r.Payload));
        Assert.That(payloads, Is.EqualTo(new[] { "kept while failing", "second", "third" }));
        Assert.That(RecordedFiles.ReadJsonArray(Path.Combine(blocker, "mqtt_data.json")), Has.Count.EqualTo(3), "no duplicates after replay");
    }

    [Test]
    public async Task With_AckAfterRecorded_a_qos1_publisher_waits_until_its_message_is_in_the_files()
    {
        var options = RecorderRun.OptionsFor(Temp.Combine("mqtt_data"), "json");
        options.AckAfterRecorded = true;
        options.FlushIntervalMs = 60_000; // the wait must not depend on the timer
        await using var run = await RecorderRun.StartAsync(options);
        var message = Messages.Text("sensors/t", "acked", qos: MqttQualityOfService.AtLeastOnce);

        var receipt = run.Recorder.OnMessageAccepted(message);
        Assert.That(receipt.IsPending, Is.True, "the acknowledgement waits for the recorder");
        await receipt.AsTask().WaitAsync(TimeSpan.FromSeconds(10));

        Assert.That(RecordedFiles.ReadJsonArray(run.JsonPath), Has.Count.EqualTo(1), "recorded before the acknowledgement");
    }

    [Test]
    public async Task With_AckAfterRecorded_a_dropped_qos1_message_faults_the_wait()
    {
        var options = RecorderRun.OptionsFor(Temp.Combine("mqtt_data"), "csv");
        options.AckAfterRecorded = true;
        options.QueueCapacity = 1;
        await using var run = new RecorderRun(options);
        var kept = Messages.Text("sensors/t", "kept", qos: MqttQualityOfService.AtLeastOnce);
        var dropped = Messages.Text("sensors/t", "dropped", qos: MqttQualityOfService.ExactlyOnce);
        var qos0 = Messages.Text("sensors/t", "qos0");

        var keptWait = run.Recorder.OnMessageAccepted(kept).AsTask();
        var droppedWait = run.Recorder.OnMessageAccepted(dropped).AsTask();
        var qos0Wait = run.Recorder.OnMessageAccepted(qos0).AsTask();

        await Assert.ThrowsAsync<RecordingFailedException>(async () => await droppedWait);
        Assert.That(qos0Wait.IsCompletedSuccessfully, Is.True, "QoS 0 is never waited for");
        Assert.That(keptWait.IsCompleted, Is.False);

        await run.Recorder.StartAsync(CancellationToken.None);
        await keptWait.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Test]
    public async Task With_AckAfterRecorded_a_message_discarded_by_DropOldest_faults_its_wait()
    {
        var options = RecorderRun.OptionsFor(Temp.Combine("mqtt_data"), "csv");
        options.AckAfterRecorded = true;
        options.QueueCapacity = 1;
        options.FullQueuePolicy = "DropOldest";
        await using var run = new RecorderRun(options); // not started: the second message pushes the first out
        var oldestWait = run.Recorder.OnMessageAccepted(Messages.Text("sensors/t", "oldest", qos: MqttQualityOfService.AtLeastOnce)).AsTask();
        var newestWait = run.Recorder.OnMessageAccepted(Messages.Text("sensors/t", "newest", qos: MqttQualityOfService.AtLeastOnce)).AsTask();

        var error = await Assert.ThrowsAsync<RecordingFailedException>(async () => await oldestWait.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.That(error!.Message, Does.Contain("DropOldest"));
        Assert.That(newestWait.IsCompleted, Is.False);

        await run.Recorder.StartAsync(CancellationToken.None);
        await newestWait.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.That(RecordedFiles.ReadCsv(run.CsvPath).Select(r => System.Text.Encoding.UTF8.GetString(r.Payload)), Is.EqualTo(new[] { "newest" }));
    }

    [Test]
    public async Task With_AckAfterRecorded_every_wait_the_recorder_gives_up_on_at_shutdown_faults_and_is_counted_as_lost()
    {
        var blocker = Temp.Combine("exports");
        await File.WriteAllTextAsync(blocker, "a file where the folder should be"); // nothing can be written
        var options = RecorderRun.OptionsFor(Path.Combine(blocker, "mqtt_data"), "csv");
        options.AckAfterRecorded = true;
        var logger = new CollectingLogger<MessageRecorder>();
        await using var run = await RecorderRun.StartAsync(options, logger);

        var retried = run.Recorder.OnMessageAccepted(Messages.Text("sensors/t", "retried", qos: MqttQualityOfService.AtLeastOnce)).AsTask();
        await Eventually.HoldsAsync(() => run.Statistics.WriteErrors >= 1, "the writer retries the first message");
        var queued = run.Recorder.OnMessageAccepted(Messages.Text("sensors/t", "queued", qos: MqttQualityOfService.ExactlyOnce)).AsTask();

        using (var shutdownTimeout = new CancellationTokenSource(TimeSpan.FromMilliseconds(300)))
        {
            await run.Recorder.StopAsync(shutdownTimeout.Token); // the host's shutdown timeout expires: the recorder gives up
        }

        await Assert.ThrowsAsync<RecordingFailedException>(async () => await retried.WaitAsync(TimeSpan.FromSeconds(10)), "the message the writer was retrying");
        await Assert.ThrowsAsync<RecordingFailedException>(async () => await queued.WaitAsync(TimeSpan.FromSeconds(10)), "the message still in the queue");
        Assert.That(logger.Errors, Has.Some.Contains("stopped before 2 queued message(s) could be written"));
    }
}
