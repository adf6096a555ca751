namespace EmbeddedBroker.Cli;

/// <summary>What the program was asked to do: the first word of the command line, or nothing for the broker.</summary>
public enum CliCommand
{
    /// <summary>No sub-command: run the broker (and recorder, simulator, console).</summary>
    Serve,

    /// <summary>`record`: subscribe to another broker as a client and record what it sends.</summary>
    Record,

    /// <summary>`healthcheck`: connect to our own MQTT port once and exit 0 (healthy) or 1 (Docker HEALTHCHECK).</summary>
    HealthCheck,

    /// <summary>`passwd`: edit a password file as mosquitto_passwd does (its own argument rules: see PasswordFileEditor).</summary>
    Passwd,

    /// <summary>`replay SOURCE`: publish a recording into a broker with its recorded timing (Replay/ReplayRunner).</summary>
    Replay,
}
