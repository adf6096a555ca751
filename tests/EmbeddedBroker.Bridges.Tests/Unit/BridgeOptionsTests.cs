using EmbeddedBroker.Bridges.Options;
using EmbeddedBroker.Bridges.Statistics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace EmbeddedBroker.Bridges.Tests.Unit;

/// <summary>The Bridges section, as mosquitto.conf's reader writes it (docs/mosquitto-conf.md) or appsettings gives it.</summary>
public sealed class BridgeOptionsTests
{
    [Test]
    public void Keys_of_the_mosquitto_conf_reader_bind_with_mosquittos_defaults()
    {
        var bridges = Bind(new Dictionary<string, string?>
        {
            ["Bridges:0:Name"] = "central",
            ["Bridges:0:Addresses:0"] = "broker.example.com:8883",
            ["Bridges:0:Addresses:1"] = "[::1]:1883",
            ["Bridges:0:Topics:0:Pattern"] = "sensors/#",
            ["Bridges:0:Topics:0:Direction"] = "both",
            ["Bridges:0:Topics:0:Qos"] = "1",
            ["Bridges:0:Topics:0:LocalPrefix"] = "site/",
            ["Bridges:0:RemoteUsername"] = "u",
            ["Bridges:0:RemotePassword"] = "p",
            ["Bridges:0:KeepAlive"] = "30",
            ["Bridges:0:RestartTimeout"] = "2",
            ["Bridges:0:RestartTimeoutMax"] = "20",
            ["Bridges:0:ProtocolVersion"] = "5",
            ["Bridges:1:Name"] = "backup",
            ["Bridges:1:Addresses:0"] = "10.0.0.2",
            ["Bridges:1:Topics:0:Pattern"] = "#",
        });

        var central = bridges.Items[0];
        Assert.That(central.Addresses, Is.EqualTo(new[] { "broker.example.com:8883", "[::1]:1883" }));
        Assert.That(central.Topics[0], Is.EqualTo(new BridgeTopicOptions { Pattern = "sensors/#", Direction = "both", Qos = 1, LocalPrefix = "site/" }));
        Assert.That((central.KeepAlive, central.RestartTimeout, central.RestartTimeoutMax, central.ProtocolVersion), Is.EqualTo((30, (int?)2, (int?)20, "5")));
        var backup = bridges.Items[1];
        Assert.That(backup.CleanSession, Is.False, "Mosquitto: cleansession false");
        Assert.That((backup.TryPrivate, backup.Notifications, backup.KeepAlive, backup.ProtocolVersion), Is.EqualTo((true, true, 60, "3.1.1")));
        Assert.That(backup.EffectiveRemoteClientId, Is.EqualTo($"{Environment.MachineName}.backup"));
        Assert.That(backup.EffectiveLocalClientId, Is.EqualTo($"local.{Environment.MachineName}.backup"));
        Assert.That(backup.EffectiveNotificationTopic, Is.EqualTo($"$SYS/broker/connection/{Environment.MachineName}.backup/state"));
        Assert.That(backup.Topics[0].Direction, Is.EqualTo("out"));
        Assert.That((backup.Queue.MaxMessages, backup.Queue.MaxBytes), Is.EqualTo((100_000, 256L * 1024 * 1024)));
        Assert.That(BridgeAddress.TryParse(backup.Addresses[0], out var address) ? address.Port : 0, Is.EqualTo(1883));
    }

    [Test]
    public void Invalid_bridges_fail_at_start_with_one_line_per_problem_naming_the_key()
    {
        var services = Services(new Dictionary<string, string?>
        {
            ["Bridges:0:Name"] = "a",
            ["Bridges:0:Addresses:0"] = "host:99999",
            ["Bridges:0:Topics:0:Pattern"] = "bad/#/x",
            ["Bridges:0:Topics:0:Direction"] = "sideways",
            ["Bridges:0:Topics:0:Qos"] = "3",
            ["Bridges:0:RemotePassword"] = "p",
            ["Bridges:0:Tls:CertFile"] = "/nonexistent.pem",
            ["Bridges:1:Name"] = "a",
        });

        var error = Assert.Throws<OptionsValidationException>(() => _ = services.GetRequiredService<IOptions<BridgesOptions>>().Value)!;
        Assert.That(error.Failures, Has.Some.StartsWith("Bridges:0:Addresses:0: 'host:99999'"));
        Assert.That(error.Failures, Has.Some.StartsWith("Bridges:0:Topics:0:Pattern: 'bad/#/x'"));
        Assert.That(error.Failures, Has.Some.StartsWith("Bridges:0:Topics:0:Direction"));
        Assert.That(error.Failures, Has.Some.StartsWith("Bridges:0:Topics:0:Qos"));
        Assert.That(error.Failures, Has.Some.StartsWith("Bridges:0:RemotePassword"));
        Assert.That(error.Failures, Has.Some.StartsWith("Bridges:0:Tls"));
        Assert.That(error.Failures, Has.Some.StartsWith("Bridges:1:Addresses: no address"));
        Assert.That(error.Failures, Has.Some.Contains("Name 'a' is used by 2 bridges"));
    }

    [Test]
    public void An_unknown_key_in_a_bridge_is_refused()
    {
        var services = Services(new Dictionary<string, string?> { ["Bridges:0:Name"] = "a", ["Bridges:0:Adress:0"] = "h" });

        Assert.Throws<InvalidOperationException>(() => _ = services.GetRequiredService<IOptions<BridgesOptions>>().Value);
    }

    [Test]
    public void Queue_file_names_keep_safe_characters_only()
    {
        Assert.That(QueueFileName.For("site-a.central_1"), Is.EqualTo("bridge-site-a.central_1.db"));
        Assert.That(QueueFileName.For("../x/y"), Is.EqualTo("bridge-.._x_y.db"));
    }

    private static BridgesOptions Bind(Dictionary<string, string?> values) => Services(values).GetRequiredService<IOptions<BridgesOptions>>().Value;

    private static ServiceProvider Services(Dictionary<string, string?> values)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var services = new ServiceCollection();
        services.AddSingleton<Microsoft.Extensions.Logging.ILoggerFactory>(NullLoggerFactory.Instance);
        services.AddMqttBridges(configuration.GetSection(BridgesOptions.SectionName), queueFolder: null);
        return services.BuildServiceProvider();
    }
}
