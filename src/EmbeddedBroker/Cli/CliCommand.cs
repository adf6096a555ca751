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

    // Replay (src/EmbeddedBroker/Replay/ReplayRunner, to come) joins here: a member, its options in CliCatalog,
    // its Command in CommandLineDefinition and its run in EmbeddedBrokerHost.RunAsync.
}
