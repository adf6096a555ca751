using EmbeddedBroker.Recorder.Tests.Support;

namespace EmbeddedBroker.Recorder.Tests;

public sealed class TopicSelectionTests : TempFolderFixture
{
    [Test]
    public async Task By_default_every_topic_except_dollar_topics_is_recorded_MQTT_4_7_2_1()
    {
        await using var run = await RecorderRun.StartAsync(RecorderRun.OptionsFor(Temp.Combine("mqtt_data"), "csv"));
        run.Publish(
            Messages.Text("$SYS/broker/uptime", "12", clientId: null),
            Messages.Text("sensors/t", "1"),
            Messages.Text("home/door", "open"),
            Messages.Text("/leading/slash", "x"));
        await run.StopAsync();

        Assert.That(RecordedFiles.ReadCsv(run.CsvPath).Select(r => r.Topic), Is.EqualTo(new[] { "sensors/t", "home/door", "/leading/slash" }));
        Assert.That(run.Statistics.Enqueued, Is.EqualTo(3));
        Assert.That(run.Statistics.Dropped, Is.Zero, "unselected topics are not drops");
    }

    [Test]
    public async Task Configured_filters_select_only_matching_topics()
    {
        var options = RecorderRun.OptionsFor(Temp.Combine("mqtt_data"), "csv");
        options.Topics = ["sensors/#", "$SYS/broker/clients/+"];
        await using var run = await RecorderRun.StartAsync(options);
        run.Publish(
            Messages.Text("sensors", "parent level matches #"),
            Messages.Text("sensors/room1/temperature", "1"),
            Messages.Text("home/door", "open"),
            Messages.Text("$SYS/broker/clients/connected", "3", clientId: null),
            Messages.Text("$SYS/broker/uptime", "12", clientId: null));
        await run.StopAsync();

        Assert.That(RecordedFiles.ReadCsv(run.CsvPath).Select(r => r.Topic),
            Is.EqualTo(new[] { "sensors", "sensors/room1/temperature", "$SYS/broker/clients/connected" }));
    }

    [Test]
    public async Task A_disabled_recorder_writes_nothing()
    {
        var options = RecorderRun.OptionsFor(Temp.Combine("mqtt_data"));
        options.Enabled = false;
        await using var run = await RecorderRun.StartAsync(options);
        run.Publish(Messages.Text("sensors/t", "1"));
        await run.StopAsync();

        Assert.That(Directory.GetFiles(Temp.Path), Is.Empty);
        Assert.That(run.Statistics.Enqueued, Is.Zero);
    }
}
