using EmbeddedBroker.Broker.Hooks;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace EmbeddedBroker.Broker.Tests.Hosting;

internal sealed class AddMqttBrokerTests
{
    private static ServiceProvider Build(Dictionary<string, string?> settings, Action<IServiceCollection>? extra = null)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddMqttBroker(configuration.GetSection("Broker"));
        extra?.Invoke(services);
        return services.BuildServiceProvider();
    }

    [Test]
    public async Task Options_are_bound_from_the_Broker_section_and_observers_come_from_DI()
    {
        var observer = new CountingObserver();
        await using var provider = Build(new()
        {
            ["Broker:Capabilities:MaximumPacketSize"] = "2048",
            ["Broker:ConnectTimeout"] = "00:00:03",
            ["Broker:EnableSysTopics"] = "false",
        }, s => s.AddSingleton<IPublishObserver>(observer));

        var broker = provider.GetRequiredService<MqttBroker>();
        Assert.That(broker.Options.Capabilities.MaximumPacketSize, Is.EqualTo(2048));
        Assert.That(broker.Options.ConnectTimeout, Is.EqualTo(TimeSpan.FromSeconds(3)));
        Assert.That(provider.GetRequiredService<MqttConnectionHandler>(), Is.Not.Null);

        await broker.PublishAsync(new MqttApplicationMessage { Topic = "t", Payload = "x"u8.ToArray() });
        Assert.That(observer.Count, Is.EqualTo(1));
    }

    [Test]
    public async Task An_observer_whose_receipts_hold_acknowledgements_registered_in_DI_is_used_by_the_broker()
    {
        var observer = new CountingObserver();
        await using var provider = Build(new() { ["Broker:EnableSysTopics"] = "false" },
            s => s.AddSingleton<IPublishObserver>(observer));
        Assert.That(provider.GetRequiredService<MqttBroker>().Hooks.Observers, Has.Some.SameAs(observer));
    }

    [Test]
    public async Task Invalid_option_fails_with_a_message_naming_the_key()
    {
        await using var provider = Build(new() { ["Broker:MaximumInflightPerClient"] = "0" });
        var ex = Assert.Throws<OptionsValidationException>(() => _ = provider.GetRequiredService<IOptions<MqttBrokerOptions>>().Value);
        Assert.That(ex!.Message, Does.Contain("Broker:MaximumInflightPerClient"));
    }

    [Test]
    public async Task Unknown_key_in_the_Broker_section_is_reported()
    {
        await using var provider = Build(new() { ["Broker:MaximumPaketSize"] = "10" });
        var ex = Assert.Throws<InvalidOperationException>(() => _ = provider.GetRequiredService<IOptions<MqttBrokerOptions>>().Value);
        Assert.That(ex!.Message, Does.Contain("MaximumPaketSize"));
    }

    [Test]
    public void Defaults_are_valid_and_documented_values()
    {
        var options = new MqttBrokerOptions();
        Assert.That(new MqttBrokerOptionsValidator().Validate(null, options).Succeeded, Is.True);
        Assert.Multiple(() =>
        {
            Assert.That(options.Capabilities.MaximumPacketSize, Is.EqualTo(1_048_576));
            Assert.That(options.ConnectTimeout, Is.EqualTo(TimeSpan.FromSeconds(10)));
            Assert.That(options.MaximumQueuedMessagesPerClient, Is.EqualTo(1000));
            Assert.That(options.MaximumInflightPerClient, Is.EqualTo(100));
            Assert.That(options.KeepAliveFactor, Is.EqualTo(1.5));
        });
    }

    [Test]
    public void Broker_constructor_rejects_invalid_options()
    {
        Assert.Throws<ArgumentException>(() => _ = new MqttBroker(new MqttBrokerOptions { KeepAliveFactor = 0.5 }));
    }

    private sealed class CountingObserver : IPublishObserver
    {
        private int _count;
        public int Count => _count;
        public PublishReceipt OnMessageAccepted(MqttApplicationMessage message)
        {
            Interlocked.Increment(ref _count);
            return PublishReceipt.None;
        }
    }
}
