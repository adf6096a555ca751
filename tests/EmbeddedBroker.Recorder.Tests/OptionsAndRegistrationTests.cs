using EmbeddedBroker.Contracts.Hooks;
using EmbeddedBroker.Recorder.Options;
using EmbeddedBroker.Recorder.Tests.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace EmbeddedBroker.Recorder.Tests;

public sealed class OptionsAndRegistrationTests
{
    [Test]
    public void Defaults_match_the_python_script_both_formats_under_exports_mqtt_data()
    {
        var options = new RecorderOptions();
        Assert.That(new RecorderOptionsValidator().Validate(null, options).Succeeded, Is.True);
        Assert.That((options.Format, options.Output, options.FlushIntervalMs, options.FullQueuePolicy), Is.EqualTo(("both", "exports/mqtt_data", 1000, "DropNewest")));
    }

    [TestCase("Format", "xml", "Recorder:Format 'xml' is not valid: use csv, json, jsonl, sqlite, postgres or both")]
    [TestCase("QueueMaxBytes", "10", "Recorder:QueueMaxBytes 10 is not valid")]
    [TestCase("RetentionDays", "-1", "Recorder:RetentionDays -1 is not valid")]
    [TestCase("RetentionMaxBytes", "-5", "Recorder:RetentionMaxBytes -5 is not valid")]
    [TestCase("Format", "csv,xml", "Recorder:Format 'csv,xml' is not valid")]
    [TestCase("Output", "exports/data.csv", "Recorder:Output 'exports/data.csv' must not have an extension (the recorder adds .csv/.json/.jsonl/.db): use 'exports/data'")]
    [TestCase("Output", "exports/data.db", "Recorder:Output 'exports/data.db' must not have an extension")]
    [TestCase("Output", "exports/", "Recorder:Output 'exports/' is a folder")]
    [TestCase("Output", " ", "Recorder:Output is empty")]
    [TestCase("FullQueuePolicy", "Block", "Recorder:FullQueuePolicy 'Block' is not valid: use DropNewest or DropOldest")]
    [TestCase("FlushIntervalMs", "0", "Recorder:FlushIntervalMs 0 is not valid")]
    [TestCase("QueueCapacity", "0", "Recorder:QueueCapacity 0 is not valid")]
    [TestCase("RotateMaxBytes", "-1", "Recorder:RotateMaxBytes -1 is not valid")]
    [TestCase("Topics:0", "sensors/#/x", "Recorder:Topics:0 'sensors/#/x' is not a valid topic filter")]
    [TestCase("Topics:0", "sensors/temp+", "Recorder:Topics:0 'sensors/temp+' is not a valid topic filter")]
    public void A_bad_value_is_rejected_with_a_message_naming_the_key_and_the_fix(string key, string value, string expected)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection([new(key, value)]).Build();
        var options = configuration.Get<RecorderOptions>() ?? new RecorderOptions();

        var result = new RecorderOptionsValidator().Validate(null, options);

        Assert.That(result.Failed, Is.True);
        Assert.That(result.FailureMessage, Does.Contain(expected));
    }

    [Test]
    public void Topics_from_configuration_replace_the_default_selection()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection([new("Topics:0", "sensors/#"), new("Topics:1", "home/+/door")]).Build();

        Assert.That(configuration.Get<RecorderOptions>()!.Topics, Is.EqualTo(new[] { "sensors/#", "home/+/door" }));
    }

    [Test]
    public async Task AddMqttRecorder_registers_one_recorder_as_hosted_service_observer_and_acknowledger()
    {
        using var temp = new TempFolder();
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection([
            new("Recorder:Output", temp.Combine("mqtt_data")),
            new("Recorder:Format", "jsonl"),
            new("Recorder:FlushIntervalMs", "20"),
        ]);
        builder.Services.AddMqttRecorder(builder.Configuration.GetSection(RecorderOptions.SectionName));
        using var host = builder.Build();

        var recorder = host.Services.GetRequiredService<MessageRecorder>();
        Assert.That(host.Services.GetServices<IHostedService>(), Has.Some.SameAs(recorder));
        Assert.That(host.Services.GetServices<IPublishObserver>(), Has.Some.SameAs(recorder));

        await host.StartAsync();
        _ = host.Services.GetRequiredService<IPublishObserver>().OnMessageAccepted(Messages.Text("sensors/t", "via DI"));
        var statistics = host.Services.GetRequiredService<RecorderStatistics>();
        await Eventually.HoldsAsync(() => statistics.Recorded == 1, "the message is recorded");
        await host.StopAsync();

        Assert.That(RecordedFiles.ReadJsonLines(temp.Combine("mqtt_data.jsonl")), Has.Count.EqualTo(1));
    }

    [Test]
    public async Task A_bad_recorder_setting_stops_host_start_up_with_the_validation_message()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection([new("Recorder:Format", "xml")]);
        builder.Services.AddMqttRecorder(builder.Configuration.GetSection(RecorderOptions.SectionName));
        using var host = builder.Build();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());
        Assert.That(error!.Message, Does.Contain("Recorder:Format 'xml' is not valid: use csv, json, jsonl, sqlite, postgres or both"));
    }
}
