using EmbeddedBroker.Broker;
using EmbeddedBroker.Persistence.Sqlite;
using Microsoft.Extensions.Configuration;

namespace EmbeddedBroker.App.Tests.MosquittoConf;

/// <summary>The global limits and persistence: each maps to a key of the "Broker" or "Persistence" section, and what it
/// writes binds to the options classes and passes their validators (so an accepted file never fails later).</summary>
public class BrokerMappingTests : MosquittoConfFixture
{
    [Test]
    public void Every_broker_limit_maps_to_its_key()
    {
        var values = Values(
            "listener 1883",
            "max_keepalive 60",
            "max_packet_size 65536",
            "max_queued_messages 500",
            "max_queued_bytes 1048576",
            "max_inflight_messages 10",
            "sys_interval 30",
            "retain_available false",
            "connection_messages false",
            "persistent_client_expiration 2w",
            "memory_limit 104857600");

        Assert.That(Section(values, "Broker"), Is.EquivalentTo(new Dictionary<string, string?>
        {
            ["Capabilities:ServerKeepAlive"] = "00:01:00",
            ["Capabilities:MaximumPacketSize"] = "65536",
            ["Capabilities:RetainAvailable"] = "false",
            ["MaximumQueuedMessagesPerClient"] = "500",
            ["MaximumQueuedBytesPerClient"] = "1048576",
            ["MaximumInflightPerClient"] = "10",
            ["SysInterval"] = "00:00:30",
            ["EnableSysTopics"] = "true",
            ["ConnectionMessages"] = "false",
            ["PersistentSessionExpiry"] = "14.00:00:00",
            ["MemoryLimitBytes"] = "104857600",
        }));
    }

    [Test]
    public void What_the_broker_keys_say_binds_to_the_broker_options_and_passes_their_validator()
    {
        var options = Bind<MqttBrokerOptions>(Values("listener 1883", "max_keepalive 65535", "max_packet_size 128", "max_inflight_messages 0",
            "sys_interval 1", "persistent_client_expiration 1y", "memory_limit 1048576"), MqttBrokerOptions.SectionName);

        Assert.That(options.Capabilities.ServerKeepAlive, Is.EqualTo(TimeSpan.FromSeconds(65535)));
        Assert.That(options.Capabilities.MaximumPacketSize, Is.EqualTo(128));
        Assert.That(options.MaximumInflightPerClient, Is.EqualTo(65535), "0 (no limit) becomes the protocol's 65535");
        Assert.That(options.PersistentSessionExpiry, Is.EqualTo(TimeSpan.FromDays(365)));
        Assert.That(new MqttBrokerOptionsValidator().Validate(null, options).Failed, Is.False);
    }

    [Test]
    public void Sys_interval_0_turns_the_sys_topics_off()
    {
        var values = Values("listener 1883", "sys_interval 0");

        Assert.That(values["Broker:EnableSysTopics"], Is.EqualTo("false"));
        Assert.That(values.ContainsKey("Broker:SysInterval"), Is.False);
    }

    [Test]
    public void Message_size_limit_allows_that_payload_plus_room_for_topic_and_properties()
    {
        Assert.That(Values("listener 1883", "message_size_limit 1000")["Broker:Capabilities:MaximumPacketSize"], Is.EqualTo("66536"));
        Assert.That(Values("listener 1883", "message_size_limit 0")["Broker:Capabilities:MaximumPacketSize"], Is.EqualTo("268435460"),
            "0 is Mosquitto's 'every valid MQTT message'");
    }

    [Test]
    public void Message_size_limit_and_max_packet_size_together_are_refused()
    {
        Assert.That(Refusal("listener 1883", "max_packet_size 2048", "message_size_limit 1024"),
            Is.EqualTo("mosquitto.conf:3: message_size_limit: max_packet_size at mosquitto.conf:2 already sets the largest packet (here both limit the same thing); keep max_packet_size only (Mosquitto also recommends it over message_size_limit)"));
    }

    [TestCase("max_keepalive 5", "mosquitto.conf:2: max_keepalive: 5 is out of range; use 10..65535 seconds")]
    [TestCase("max_packet_size 100", "mosquitto.conf:2: max_packet_size: 100 is out of range; use 128..268435460 bytes (EmbeddedBroker's smallest is 128)")]
    [TestCase("max_queued_messages 0", "mosquitto.conf:2: max_queued_messages: 0 is out of range; use a count of at least 1 (every queue is bounded here, so 0 for no limit is not offered; Mosquitto's default is 1000)")]
    [TestCase("max_queued_bytes 100", "mosquitto.conf:2: max_queued_bytes: 100 bytes is below EmbeddedBroker's smallest queue; use at least 1024 bytes")]
    [TestCase("max_inflight_messages 65536", "mosquitto.conf:2: max_inflight_messages: 65536 is out of range; use 0..65535 (0 = no limit)")]
    [TestCase("sys_interval 65536", "mosquitto.conf:2: sys_interval: 65536 is out of range; use 0 (no $SYS topics) .. 65535 seconds")]
    [TestCase("persistent_client_expiration 14", "mosquitto.conf:2: persistent_client_expiration: '14' is not a duration; use a whole number followed by h, d, w, m or y, e.g. 14d")]
    [TestCase("persistent_client_expiration 0d", "mosquitto.conf:2: persistent_client_expiration: '0d' is not a duration; use a whole number followed by h, d, w, m or y, e.g. 14d")]
    [TestCase("memory_limit 1000", "mosquitto.conf:2: memory_limit: 1000 bytes is below EmbeddedBroker's smallest memory limit; use at least 1048576 (1 MiB)")]
    [TestCase("memory_limit -1", "mosquitto.conf:2: memory_limit: '-1' is not a byte count; use 0 (no limit) or a number of bytes, at least 1048576")]
    public void Broker_values_are_validated_where_Mosquitto_or_EmbeddedBroker_would_refuse_them(string line, string expected)
    {
        Assert.That(Refusal("listener 1883", line), Is.EqualTo(expected));
    }

    [TestCase("max_queued_bytes 0")]
    [TestCase("memory_limit 0")]
    public void Mosquittos_no_limit_keeps_EmbeddedBrokers_bounded_default_with_a_warning(string line)
    {
        var read = Read("listener 1883", line);

        Assert.That(read.Values.Keys, Has.None.StartsWith("Broker:"));
        Assert.That(read.Warnings, Has.One.Contains("0 means no limit in Mosquitto"));
    }

    [Test]
    public void Persistence_maps_to_the_store_in_the_persistence_location()
    {
        var values = Values("listener 1883", "persistence true", "persistence_location /var/lib/mosquitto/", "autosave_interval 60");

        Assert.That(Section(values, "Persistence"), Is.EquivalentTo(new Dictionary<string, string?>
        {
            ["Enabled"] = "true",
            ["Path"] = "/var/lib/mosquitto/broker.db",
            ["FlushInterval"] = "00:01:00",
            ["AliveInterval"] = "00:01:00", // the store's alive interval may not be shorter than its flush interval
        }));
    }

    [Test]
    public void Persistence_file_names_the_store_relative_to_the_location_or_the_configuration_folder()
    {
        Assert.That(Values("listener 1883", "persistence_location data", "persistence_file state.db")["Persistence:Path"], Is.EqualTo(InFolder("data/state.db")));
        Assert.That(Values("listener 1883", "retained_persistence true", "persistence_file state.db")["Persistence:Path"], Is.EqualTo(InFolder("state.db")));
    }

    [Test]
    public void What_the_persistence_keys_say_binds_to_the_store_options_and_passes_their_validator()
    {
        var options = Bind<PersistenceOptions>(
            Values("listener 1883", "persistence true", "persistence_location store", "autosave_interval 1800"), PersistenceOptions.SectionName);

        Assert.That(options.FlushInterval, Is.EqualTo(TimeSpan.FromMinutes(30)));
        Assert.That(new PersistenceOptionsValidator().Validate(null, options).Failed, Is.False);
    }

    [Test]
    public void Without_persistence_true_nothing_is_kept_across_restarts_as_in_Mosquitto()
    {
        Assert.That(Values("listener 1883", "persistence_location /var/lib/mosquitto/")["Persistence:Enabled"], Is.EqualTo("false"));
    }

    [TestCase("autosave_interval 0", "mosquitto.conf:2: autosave_interval: 0 (save only when stopping) has no equivalent: the store writes changes behind continuously; remove the line (changes are then written within 1 s) or give 1..3600 seconds")]
    [TestCase("autosave_interval 7200", "mosquitto.conf:2: autosave_interval: 7200 seconds is longer than the store keeps changes in memory; use 1..3600 seconds (it is the most a crash can lose)")]
    public void Autosave_interval_is_1_to_3600_seconds(string line, string expected)
    {
        Assert.That(Refusal("listener 1883", line), Is.EqualTo(expected));
    }

    [Test]
    public void Pointing_the_store_at_Mosquittos_own_database_is_refused()
    {
        File.WriteAllBytes(Temp.Combine("mosquitto.db"), [0x00, 0xB5, 0x00, .. "mosquitto db"u8, 0, 0, 0, 6]);

        Assert.That(Refusal("listener 1883", "persistence true", "persistence_file mosquitto.db"),
            Is.EqualTo("mosquitto.conf:3: persistence_file: mosquitto.db is Mosquitto's own database, which EmbeddedBroker cannot read (its store is SQLite); name another file with `persistence_file broker.db` and keep mosquitto.db for Mosquitto"));
    }

    private static T Bind<T>(IReadOnlyDictionary<string, string?> values, string section) where T : new() =>
        new ConfigurationBuilder().AddInMemoryCollection(values).Build().GetSection(section).Get<T>() ?? new T();
}
