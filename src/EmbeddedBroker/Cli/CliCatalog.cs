namespace EmbeddedBroker.Cli;

/// <summary>
/// Every option of every command, with the configuration key it sets. This table is the single source for parsing,
/// validation and --help, so the three cannot disagree.
/// </summary>
public static class CliCatalog
{
    /// <summary>Configuration key of -c/--config; read before the other sources (it chooses one of them).</summary>
    public const string ConfigFileKey = "ConfigFile";

    public static CliOption Config { get; } = new(["-c", "--config"], ConfigFileKey, CliValueKind.Text,
        "JSON file shaped like config/appsettings.json, layered over the defaults", "FILE");

    public static CliOption Format { get; } = new(["--format"], "Recorder:Format", CliValueKind.Format,
        "files to write: csv, json, jsonl, both (default both) or a comma list", "FORMAT");

    public static CliOption Output { get; } = new(["--output"], "Recorder:Output", CliValueKind.Text,
        "base path of the files, without extension (default exports/mqtt_data)", "PATH");

    /// <summary>The engine logs every packet at Debug in this category (Broker/Diagnostics/PacketLog.cs); -v turns on exactly that.</summary>
    public const string PacketLogLevelKey = "Serilog:MinimumLevel:Override:EmbeddedBroker.Broker.Packets";

    public static CliOption Verbose { get; } = new(["-v", "--verbose"], PacketLogLevelKey, CliValueKind.Flag,
        "log every MQTT packet in and out, like mosquitto -v (client id, type, QoS, topic, sizes)", FlagValue: "Debug");

    public static CliOption LogFormat { get; } = new(["--log-format"], "Log:Format", CliValueKind.LogFormat,
        "text (default: one readable line per event) or json (compact JSON lines for log shippers)", "FORMAT");

    public static CliOption NoConsole { get; } = new(["--no-console"], "Console:Enabled", CliValueKind.Flag,
        "no live message display and no 'q' key (automatic without a terminal)", FlagValue: "false");

    public static IReadOnlyList<CliOption> Serve { get; } =
    [
        new(["-p", "--port"], "Listeners:Mqtt:Port", CliValueKind.Port, "MQTT TCP port (default 1883; 0 = any free port)", "N"),
        new(["--ws-port"], "Listeners:WebSocket:Port", CliValueKind.Port, "MQTT over WebSocket port (default 9001)", "N"),
        new(["--bind"], "Listeners:Mqtt:Address", CliValueKind.Text,
            "address the broker listens on: the MQTT port, and the WebSocket/HTTP port unless --ws-bind is given; with a mosquitto.conf every listener of it (default 0.0.0.0 = all; 127.0.0.1 = this machine only)", "ADDRESS"),
        new(["--ws-bind"], "Listeners:WebSocket:Address", CliValueKind.Text,
            "address the WebSocket/HTTP port (dashboard, API, MQTT over WebSocket) listens on (default: --bind's, else 0.0.0.0)", "ADDRESS"),
        Config,
        Format,
        Output,
        new(["-t", "--topic"], "Recorder:Topics", CliValueKind.TopicFilter,
            "topic filter to record; repeat it or use a comma list (default: every topic except $SYS/#)", "FILTER"),
        new(["--simulate"], "Simulator:Enabled", CliValueKind.Flag, "publish simulated sensor values under sensors/<name>"),
        new(["--simulate-interval"], "Simulator:IntervalSeconds", CliValueKind.Seconds, "seconds between two simulated rounds (default 5)", "SECONDS"),
        Verbose,
        LogFormat,
        NoConsole,
    ];

    public static IReadOnlyList<CliOption> Record { get; } =
    [
        new(["--broker"], "Record:Host", CliValueKind.Text, "host name or address of the broker to record from (default localhost)", "HOST"),
        new(["-p", "--port"], "Record:Port", CliValueKind.Port, "its MQTT TCP port (default 1883)", "N"),
        new(["-t", "--topic"], "Record:Topics", CliValueKind.TopicFilter,
            "topic filter to subscribe to; repeat it or use a comma list (default sensors/#)", "FILTER"),
        new(["--share"], "Record:ShareGroup", CliValueKind.ShareGroup,
            "subscribe as $share/GROUP/<filter> so several recorders split the messages (uses MQTT 5)", "GROUP"),
        new(["-i", "--client-id"], "Record:ClientId", CliValueKind.Text, "client id to connect with (default: generated)", "ID"),
        new(["-u", "--username"], "Record:Username", CliValueKind.Text, "user name, if the broker requires one", "NAME"),
        new(["-P", "--password"], "Record:Password", CliValueKind.Text, "password (prefer the Record__Password environment variable)", "SECRET"),
        Config,
        Format,
        Output,
        Verbose,
        LogFormat,
        NoConsole,
    ];

    public static IReadOnlyList<CliOption> HealthCheck { get; } =
    [
        new(["-p", "--port"], "Listeners:Mqtt:Port", CliValueKind.Port, "MQTT TCP port to probe (default: the configured one)", "N"),
        new(["--ws-port"], "Listeners:WebSocket:Port", CliValueKind.Port, "port of /healthz (default: the configured WebSocket port)", "N"),
        Config,
    ];

    /// <summary>Configuration key of replay's SOURCE argument (the recording to publish).</summary>
    public const string ReplaySourceKey = "Replay:Source";

    public static IReadOnlyList<CliOption> Replay { get; } =
    [
        new(["--broker"], "Replay:Host", CliValueKind.Text, "host name or address of the broker to publish into (default 127.0.0.1)", "HOST"),
        new(["-p", "--port"], "Replay:Port", CliValueKind.Port, "its MQTT TCP port (default 1883)", "N"),
        new(["--speed"], "Replay:Speed", CliValueKind.Speed, "1 keeps the recorded timing (default), 10 plays ten times faster, max as fast as the broker takes it", "1|10|max"),
        new(["--from"], "Replay:From", CliValueKind.Timestamp, "only messages recorded at or after this time (ISO 8601)", "TIME"),
        new(["--to"], "Replay:To", CliValueKind.Timestamp, "only messages recorded at or before this time (ISO 8601)", "TIME"),
        new(["-t", "--topic"], "Replay:TopicFilter", CliValueKind.Text, "only messages whose topic matches this filter", "FILTER"),
        new(["-q", "--qos"], "Replay:Qos", CliValueKind.Qos, "publish every message at this QoS (default: each message's recorded QoS)", "0|1|2"),
        new(["--retain"], "Replay:Retain", CliValueKind.RetainMode, "keep the recorded retain flags (default) or drop them", "keep|drop"),
        new(["-i", "--client-id"], "Replay:ClientId", CliValueKind.Text, "client id to connect with (default: replay- and a random suffix)", "ID"),
        new(["-u", "--username"], "Replay:Username", CliValueKind.Text, "user name, if the broker requires one", "NAME"),
        new(["-P", "--password"], "Replay:Password", CliValueKind.Text, "password (prefer the Replay__Password environment variable)", "SECRET"),
        new(["--no-progress"], "Replay:Progress", CliValueKind.Flag, "no progress bar (automatic without a terminal)", FlagValue: "false"),
    ];

    public static IReadOnlyList<CliOption> For(CliCommand command) => command switch
    {
        CliCommand.Replay => Replay,
        CliCommand.Record => Record,
        CliCommand.HealthCheck => HealthCheck,
        CliCommand.Passwd => [],
        _ => Serve,
    };

    public static string CommandName(CliCommand command) => command switch
    {
        CliCommand.Record => "record",
        CliCommand.HealthCheck => "healthcheck",
        CliCommand.Passwd => "passwd",
        CliCommand.Replay => "replay",
        _ => "",
    };

    /// <summary>The environment variable that names the -c file when -c is not given.</summary>
    public const string ConfigFileEnvironmentVariable = "EMBEDDEDBROKER_CONFIG";

    /// <summary>The environment variable that sets a configuration key ("Recorder:Format" -> "Recorder__Format").</summary>
    public static string EnvironmentName(string configKey) =>
        configKey == ConfigFileKey ? ConfigFileEnvironmentVariable : configKey.Replace(":", "__", StringComparison.Ordinal);
}
