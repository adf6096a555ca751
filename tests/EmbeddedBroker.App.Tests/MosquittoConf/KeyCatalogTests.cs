using System.Text.RegularExpressions;
using EmbeddedBroker.Configuration.Mosquitto;

namespace EmbeddedBroker.App.Tests.MosquittoConf;

/// <summary>Every key Mosquitto 2.0.11 knows is known here (mapped, accepted as a no-op, or refused with what to do),
/// nothing else is, unknown keys stop with a suggestion, and docs/mosquitto-conf.md lists them all.</summary>
public class KeyCatalogTests : MosquittoConfFixture
{
    /// <summary>The keys of Mosquitto 2.0.11's src/conf.c (config__read_file_core), auth_opt_* and plugin_opt_* aside.</summary>
    private static readonly string[] Mosquitto2011Keys =
    [
        "acl_file", "address", "addresses", "allow_anonymous", "allow_duplicate_messages", "allow_zero_length_clientid",
        "auth_plugin", "auth_plugin_deny_special_chars", "auto_id_prefix", "autosave_interval", "autosave_on_changes",
        "bind_address", "bind_interface", "bridge_alpn", "bridge_attempt_unsubscribe", "bridge_bind_address", "bridge_cafile",
        "bridge_capath", "bridge_certfile", "bridge_identity", "bridge_insecure", "bridge_keyfile", "bridge_max_packet_size",
        "bridge_outgoing_retain", "bridge_protocol_version", "bridge_psk", "bridge_require_ocsp", "bridge_tls_version",
        "cafile", "capath", "certfile", "check_retain_source", "ciphers", "ciphers_tls1.3", "cleansession", "clientid",
        "clientid_prefixes", "connection", "connection_messages", "crlfile", "dhparamfile", "http_dir", "idle_timeout",
        "include_dir", "keepalive_interval", "keyfile", "listener", "local_cleansession", "local_clientid", "local_password",
        "local_username", "log_dest", "log_facility", "log_timestamp", "log_timestamp_format", "log_type", "max_connections",
        "max_inflight_bytes", "max_inflight_messages", "max_keepalive", "max_packet_size", "max_qos", "max_queued_bytes",
        "max_queued_messages", "max_topic_alias", "maximum_qos", "memory_limit", "message_size_limit", "mount_point",
        "notification_topic", "notifications", "notifications_local_only", "password", "password_file",
        "per_listener_settings", "persistence", "persistence_file", "persistence_location", "persistent_client_expiration",
        "pid_file", "plugin", "port", "protocol", "psk_file", "psk_hint", "queue_qos0_messages", "remote_clientid",
        "remote_password", "remote_username", "require_certificate", "restart_timeout", "retain_available",
        "retained_persistence", "retry_interval", "round_robin", "set_tcp_nodelay", "socket_domain", "start_type",
        "sys_interval", "threshold", "tls_engine", "tls_engine_kpass_sha1", "tls_keyform", "tls_version", "topic",
        "try_private", "upgrade_outgoing_qos", "use_identity_as_username", "use_subject_as_username",
        "use_username_as_clientid", "user", "username", "websockets_headers_size", "websockets_log_level",
    ];

    private static IEnumerable<TestCaseData> RefusedKeyCases() =>
        RefusedKeys.All.Where(pair => !pair.Value.Ignored).Select(pair =>
            new TestCaseData(pair.Key, pair.Value.AcceptedValue, $"{pair.Value.Problem}; {pair.Value.Fix}").SetName($"Refused_key_stops_with_file_line_and_what_to_do({pair.Key})"));

    [Test]
    public void Every_Mosquitto_2_0_11_key_is_known_and_no_other()
    {
        Assert.That(MosquittoConfigurationReader.KnownKeys, Is.EquivalentTo(Mosquitto2011Keys));
        Assert.That(MosquittoConfigurationReader.KnownKeyPrefixes, Is.EquivalentTo(new[] { "auth_opt_", "plugin_opt_" }));
    }

    [TestCaseSource(nameof(RefusedKeyCases))]
    public void Refused_key_stops_with_file_line_and_what_to_do(string key, string? acceptedValue, string message)
    {
        var value = acceptedValue switch
        {
            "true" => "false",
            "false" => "true",
            _ => "something",
        };

        Assert.That(Refusal("listener 1883", "# a comment", $"{key} {value}"), Is.EqualTo($"mosquitto.conf:3: {key}: {message}"));
    }

    [TestCase("psk_file", "mosquitto.conf:2: psk_file: TLS with pre-shared keys is not supported; remove it; use certfile and keyfile")]
    [TestCase("auth_plugin", "mosquitto.conf:2: auth_plugin: plugins are not supported; remove it; use password_file and acl_file for authentication and access control")]
    [TestCase("auth_opt_db_host", "mosquitto.conf:2: auth_opt_db_host: plugins are not supported; remove it; use password_file and acl_file for authentication and access control")]
    [TestCase("plugin_opt_config_file", "mosquitto.conf:2: plugin_opt_config_file: plugins are not supported; remove it; use password_file and acl_file for authentication and access control")]
    [TestCase("websockets_log_level", "mosquitto.conf:2: websockets_log_level: not supported yet; remove it; WebSocket details are logged at Debug under the Microsoft.AspNetCore category")]
    [TestCase("http_dir", "mosquitto.conf:2: http_dir: not supported yet; remove it; a websockets listener serves EmbeddedBroker's own dashboard and API")]
    [TestCase("mount_point", "mosquitto.conf:2: mount_point: not supported yet; remove the line")]
    [TestCase("use_username_as_clientid", "mosquitto.conf:2: use_username_as_clientid: not supported yet; remove the line")]
    [TestCase("allow_zero_length_clientid", "mosquitto.conf:2: allow_zero_length_clientid: not supported yet; remove it: clients with an empty client id are accepted and get one starting with auto-")]
    [TestCase("queue_qos0_messages", "mosquitto.conf:2: queue_qos0_messages: not supported yet; remove it: QoS 0 messages are not queued for offline clients, as MQTT specifies")]
    [TestCase("pid_file", "mosquitto.conf:2: pid_file: not supported yet; remove it; systemd and Docker keep track of the process themselves")]
    [TestCase("max_qos", "mosquitto.conf:2: max_qos: not supported per listener yet; remove it and set Broker:Capabilities:MaximumQos (every listener) in the environment or on the command line")]
    public void Common_unsupported_keys_say_what_to_do(string key, string expected)
    {
        var value = key is "use_username_as_clientid" or "queue_qos0_messages" ? "true" : key == "allow_zero_length_clientid" ? "false" : "x";

        Assert.That(Refusal("listener 1883", $"{key} {value}"), Is.EqualTo(expected));
    }

    [TestCase("queue_qos0_messages false")]
    [TestCase("allow_zero_length_clientid true")]
    [TestCase("auto_id_prefix auto-")]
    [TestCase("upgrade_outgoing_qos false")]
    [TestCase("use_username_as_clientid false")]
    [TestCase("log_timestamp true")]
    [TestCase("set_tcp_nodelay true")]
    [TestCase("autosave_on_changes false")]
    [TestCase("tls_keyform pem")]
    [TestCase("start_type automatic")]
    public void A_value_that_states_what_EmbeddedBroker_does_anyway_is_accepted_and_writes_nothing(string line)
    {
        var read = Read("listener 1883", line);

        Assert.That(read.Values, Is.EquivalentTo(Values("listener 1883")));
        Assert.That(read.Warnings, Is.Empty);
    }

    [Test]
    public void Retry_interval_has_no_effect_in_Mosquitto_2_0_and_is_accepted_with_a_warning()
    {
        var read = Read("listener 1883", "retry_interval 20");

        Assert.That(read.Warnings, Has.One.Contains("mosquitto.conf:2: retry_interval: has no effect (Mosquitto 2.0 ignores it too); remove the line"));
    }

    [TestCase("allow_anonymus true", "did you mean allow_anonymous?")]
    [TestCase("allow_anonymuos true", "did you mean allow_anonymous?")]
    [TestCase("Listener 1883", "did you mean listener?")]
    [TestCase("pasword_file passwd", "did you mean password_file?")]
    [TestCase("persistance true", "did you mean persistence?")]
    [TestCase("max_inflight_message 10", "did you mean max_inflight_messages?")]
    public void A_typo_stops_with_the_closest_known_key(string line, string suggestion)
    {
        var key = line.Split(' ')[0];

        Assert.That(Refusal("port 1883", line), Is.EqualTo($"mosquitto.conf:2: {key}: not a Mosquitto 2.0 configuration key; {suggestion} (keys are lower case)"));
    }

    [Test]
    public void An_unknown_key_far_from_every_known_key_stops_without_a_guess()
    {
        Assert.That(Refusal("port 1883", "enable_turbo true"),
            Is.EqualTo("mosquitto.conf:2: enable_turbo: not a Mosquitto 2.0 configuration key; check the spelling; docs/mosquitto-conf.md lists every key"));
    }

    [Test]
    public void The_mapping_table_in_the_docs_lists_every_known_key()
    {
        var doc = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "docs", "mosquitto-conf.md"));
        var listed = Regex.Matches(doc, @"^\| `([a-z0-9_.]+\*?)`", RegexOptions.Multiline).Select(m => m.Groups[1].Value).ToHashSet();

        Assert.That(MosquittoConfigurationReader.KnownKeys.Where(key => !listed.Contains(key)), Is.Empty, "keys missing from the table");
        Assert.That(listed.Where(key => !MosquittoConfigurationReader.KnownKeys.Contains(key) && !key.EndsWith('*')), Is.Empty, "keys in the table the reader does not know");
    }
}
