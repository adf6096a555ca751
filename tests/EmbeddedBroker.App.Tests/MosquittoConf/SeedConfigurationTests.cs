namespace EmbeddedBroker.App.Tests.MosquittoConf;

/// <summary>The mosquitto.conf of the seed documents, as users run it today with `mosquitto -c mosquitto.conf`.</summary>
public class SeedConfigurationTests : MosquittoConfFixture
{
    private static readonly string[] Seed =
    [
        "listener 1883 ", // the seed has a trailing space here
        "allow_anonymous true",
        "log_type all",
        "",
        "listener 9001",
        "protocol websockets",
        "allow_anonymous true",
    ];

    [Test]
    public void Seed_file_maps_to_an_mqtt_listener_on_1883_and_a_websockets_listener_on_9001()
    {
        var values = Values(Seed);

        Assert.That(Section(values, "Listeners:Endpoints:0"), Is.EquivalentTo(new Dictionary<string, string?>
        {
            ["Name"] = "listener-1883",
            ["Port"] = "1883",
            ["Address"] = "0.0.0.0",
            ["Protocol"] = "mqtt",
        }));
        Assert.That(Section(values, "Listeners:Endpoints:1"), Is.EquivalentTo(new Dictionary<string, string?>
        {
            ["Name"] = "listener-9001",
            ["Port"] = "9001",
            ["Address"] = "0.0.0.0",
            ["Protocol"] = "websockets",
        }));
        Assert.That(Section(values, "Listeners:Endpoints:2"), Is.Empty);
    }

    [Test]
    public void Seed_file_replaces_the_default_listeners()
    {
        var values = Values(Seed);

        Assert.That(values["Listeners:Mqtt:Enabled"], Is.EqualTo("false"));
        Assert.That(values["Listeners:WebSocket:Enabled"], Is.EqualTo("false"));
        Assert.That(values["Listeners:Http:Enabled"], Is.EqualTo("false"));
    }

    [Test]
    public void Seed_file_allows_anonymous_clients_on_both_listeners()
    {
        var values = Values(Seed);

        Assert.That(values["Security:Default:AllowAnonymous"], Is.EqualTo("true"));
        Assert.That(values.Keys.Where(k => k.StartsWith("Security:Listeners", StringComparison.Ordinal)), Is.Empty,
            "without per_listener_settings every listener uses Security:Default");
    }

    [Test]
    public void Seed_file_log_type_all_logs_debug_and_every_packet()
    {
        var values = Values(Seed);

        Assert.That(values["Serilog:MinimumLevel:Default"], Is.EqualTo("Debug"));
        Assert.That(values["Serilog:MinimumLevel:Override:EmbeddedBroker.Broker.Packets"], Is.EqualTo("Debug"));
    }

    [Test]
    public void Seed_file_keeps_no_state_across_restarts_as_Mosquitto_without_persistence_true()
    {
        Assert.That(Values(Seed)["Persistence:Enabled"], Is.EqualTo("false"));
    }

    [Test]
    public void Seed_file_produces_no_other_keys_and_no_warnings()
    {
        var read = Read(Seed);

        Assert.That(read.Warnings, Is.Empty);
        Assert.That(read.Values.Keys.Order(StringComparer.Ordinal), Is.EqualTo(new[]
        {
            "Listeners:Endpoints:0:Address", "Listeners:Endpoints:0:Name", "Listeners:Endpoints:0:Port", "Listeners:Endpoints:0:Protocol",
            "Listeners:Endpoints:1:Address", "Listeners:Endpoints:1:Name", "Listeners:Endpoints:1:Port", "Listeners:Endpoints:1:Protocol",
            "Listeners:Http:Enabled", "Listeners:Mqtt:Enabled", "Listeners:WebSocket:Enabled",
            "Persistence:Enabled",
            "Security:Default:AllowAnonymous",
            "Serilog:MinimumLevel:Default", "Serilog:MinimumLevel:Override:EmbeddedBroker.Broker.Packets",
        }));
        Assert.That(read.Files, Is.EqualTo(new[] { InFolder("mosquitto.conf") }));
    }
}
