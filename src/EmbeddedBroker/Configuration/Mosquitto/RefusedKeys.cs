namespace EmbeddedBroker.Configuration.Mosquitto;

/// <summary>
/// The Mosquitto 2.0 keys EmbeddedBroker does not support (yet), each with what to do instead. None is ignored in
/// silence: a line either stops start-up with its message, or, for the few keys listed with the value that states what
/// EmbeddedBroker does anyway (e.g. <c>queue_qos0_messages false</c>), is accepted as a no-op. retry_interval, which
/// Mosquitto 2.0 itself ignores, is accepted with a warning.
/// </summary>
internal static class RefusedKeys
{
    private const string NotYet = "not supported yet";
    private const string Remove = "remove the line";
    private const string Plugins = "plugins are not supported";
    private const string UseFiles = "remove it; use password_file and acl_file for authentication and access control";
    private const string Psk = "TLS with pre-shared keys is not supported";
    private const string Engines = "OpenSSL engines are not supported";
    private const string BridgeNotYet = "this bridge option is not supported yet";

    /// <summary>Keys whose name only starts alike: the options of an authentication plugin.</summary>
    public static IReadOnlyList<string> Prefixes { get; } = ["auth_opt_", "plugin_opt_"];

    public static IReadOnlyDictionary<string, RefusedKey> All { get; } = new Dictionary<string, RefusedKey>(StringComparer.Ordinal)
    {
        // General options.
        ["allow_duplicate_messages"] = new("deprecated in Mosquitto 2.0 and not supported", Remove),
        ["allow_zero_length_clientid"] = new(NotYet, "remove it: clients with an empty client id are accepted and get one starting with auto-", "true"),
        ["auth_plugin"] = new(Plugins, UseFiles),
        ["plugin"] = new(Plugins, UseFiles),
        ["auth_plugin_deny_special_chars"] = new(Plugins, UseFiles),
        ["auto_id_prefix"] = new(NotYet, "remove it: assigned client ids start with auto-", "auto-"),
        ["autosave_on_changes"] = new(NotYet, "remove it: the store writes every change within autosave_interval", "false"),
        ["check_retain_source"] = new(NotYet, Remove),
        ["clientid_prefixes"] = new("deprecated in Mosquitto 2.0 and not supported", "remove it; an acl_file can restrict what each client may do"),
        ["log_facility"] = new("logging to syslog is not supported", "remove it; under systemd, standard output goes to the journal"),
        ["log_timestamp"] = new("log lines always carry a time", "remove it", "true"),
        ["log_timestamp_format"] = new(NotYet, "remove it; the layout is Serilog's outputTemplate (Serilog:WriteTo:N:Args:outputTemplate)"),
        ["max_inflight_bytes"] = new(NotYet, "remove it, or use max_queued_bytes, which counts in-flight messages too"),
        ["pid_file"] = new(NotYet, "remove it; systemd and Docker keep track of the process themselves"),
        ["psk_file"] = new(Psk, "remove it; use certfile and keyfile"),
        ["queue_qos0_messages"] = new(NotYet, "remove it: QoS 0 messages are not queued for offline clients, as MQTT specifies", "false"),
        ["retry_interval"] = new("has no effect (Mosquitto 2.0 ignores it too)", Remove, Ignored: true),
        ["set_tcp_nodelay"] = new("TCP_NODELAY is always set", "remove it", "true"),
        ["upgrade_outgoing_qos"] = new("not supported (it breaks MQTT's QoS rules)", Remove, "false"),
        ["user"] = new("EmbeddedBroker does not change user", "remove it and start EmbeddedBroker as that user (systemd User=, docker --user)"),
        ["websockets_headers_size"] = new(NotYet, "remove it; Kestrel accepts request headers up to 32 KiB"),
        ["websockets_log_level"] = new(NotYet, "remove it; WebSocket details are logged at Debug under the Microsoft.AspNetCore category"),

        // Listener options.
        ["ciphers_tls1.3"] = new(NotYet, "remove it; TLS 1.3 uses the system's cipher suites"),
        ["crlfile"] = new(NotYet, Remove),
        ["dhparamfile"] = new(NotYet, "remove it; ECDHE key exchange needs no DH parameters"),
        ["http_dir"] = new(NotYet, "remove it; a websockets listener serves EmbeddedBroker's own dashboard and API"),
        ["max_qos"] = new("not supported per listener yet", "remove it and set Broker:Capabilities:MaximumQos (every listener) in the environment or on the command line"),
        ["maximum_qos"] = new("not supported per listener yet", "remove it and set Broker:Capabilities:MaximumQos (every listener) in the environment or on the command line"),
        ["max_topic_alias"] = new("not supported per listener yet", "remove it and set Broker:Capabilities:TopicAliasMaximum (every listener) in the environment or on the command line"),
        ["mount_point"] = new(NotYet, Remove),
        ["psk_hint"] = new(Psk, "remove it; use certfile and keyfile"),
        ["tls_engine"] = new(Engines, "remove it and give the key as a PEM keyfile"),
        ["tls_engine_kpass_sha1"] = new(Engines, "remove it and give the key as a PEM keyfile"),
        ["tls_keyform"] = new(Engines, "remove it and give the key as a PEM keyfile", "pem"),
        ["use_username_as_clientid"] = new(NotYet, Remove, "false"),

        // Bridge options.
        ["bridge_alpn"] = new(BridgeNotYet, Remove),
        ["bridge_attempt_unsubscribe"] = new(BridgeNotYet, Remove),
        ["bridge_bind_address"] = new(BridgeNotYet, Remove),
        ["bridge_capath"] = new(BridgeNotYet, "use bridge_cafile with the CA certificates in one PEM file"),
        ["bridge_identity"] = new(Psk, "remove it; use bridge_cafile (and bridge_certfile/bridge_keyfile)"),
        ["bridge_psk"] = new(Psk, "remove it; use bridge_cafile (and bridge_certfile/bridge_keyfile)"),
        ["bridge_max_packet_size"] = new(BridgeNotYet, Remove),
        ["bridge_outgoing_retain"] = new(BridgeNotYet, Remove),
        ["bridge_require_ocsp"] = new(BridgeNotYet, Remove),
        ["bridge_tls_version"] = new(BridgeNotYet, "remove it; TLS 1.2 or 1.3 is negotiated"),
        ["idle_timeout"] = new(BridgeNotYet, "remove it; bridges start automatically (start_type automatic)"),
        ["local_cleansession"] = new(BridgeNotYet, "remove it; cleansession applies to both sides"),
        ["local_password"] = new(BridgeNotYet, "remove it; a bridge's local side is not authenticated"),
        ["local_username"] = new(BridgeNotYet, "remove it; a bridge's local side is not authenticated"),
        ["notifications_local_only"] = new(BridgeNotYet, Remove),
        ["round_robin"] = new(BridgeNotYet, Remove),
        ["start_type"] = new(BridgeNotYet, "remove it; bridges start automatically and reconnect", "automatic"),
        ["threshold"] = new(BridgeNotYet, "remove it; bridges start automatically (start_type automatic)"),
    };

    public static void Register(IDictionary<string, KeyHandler> handlers)
    {
        foreach (var (key, refused) in All)
        {
            handlers[key] = refused.Apply;
        }
    }

    /// <summary>The refusal of a plugin option (auth_opt_NAME, plugin_opt_NAME).</summary>
    public static MosquittoConfigurationException PluginOption(ConfLine line) => line.Error(Plugins, UseFiles);
}

/// <summary>
/// A Mosquitto key that is refused with <see cref="Problem"/> and <see cref="Fix"/>, unless its value is
/// <see cref="AcceptedValue"/> (what EmbeddedBroker does anyway). <see cref="Ignored"/>: accepted with a warning.
/// </summary>
internal sealed record RefusedKey(string Problem, string Fix, string? AcceptedValue = null, bool Ignored = false)
{
    public void Apply(ConfState state, ConfLine line)
    {
        if (Ignored)
        {
            state.Warn(line, $"{Problem}; {Fix}");
            return;
        }

        if (AcceptedValue is not null && IsAcceptedValue(line))
        {
            return;
        }

        throw line.Error(Problem, Fix);
    }

    private bool IsAcceptedValue(ConfLine line) => AcceptedValue is "true" or "false"
        ? line.Boolean() == (AcceptedValue == "true")
        : line.Text() == AcceptedValue;
}
