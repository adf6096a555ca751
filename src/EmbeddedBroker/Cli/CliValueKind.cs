namespace EmbeddedBroker.Cli;

/// <summary>How an option's value is checked before it reaches configuration (so a typo stops start-up with a fix).</summary>
public enum CliValueKind
{
    /// <summary>No value: the option's presence sets its configuration key to <see cref="CliOption.FlagValue"/>.</summary>
    Flag,

    /// <summary>TCP port 0..65535.</summary>
    Port,

    /// <summary>csv, json, jsonl, both or a comma list.</summary>
    Format,

    /// <summary>A topic filter; repeatable, and each value may be a comma list.</summary>
    TopicFilter,

    /// <summary>A number of seconds greater than zero (decimals allowed).</summary>
    Seconds,

    /// <summary>A shared-subscription group name: no '/', '+' or '#'.</summary>
    ShareGroup,

    /// <summary>text or json (Serilog's compact JSON).</summary>
    LogFormat,

    /// <summary>replay's --speed: a positive number or "max".</summary>
    Speed,

    /// <summary>An ISO 8601 date and time (2026-12-01T10:00:00Z; without an offset it is local time).</summary>
    Timestamp,

    /// <summary>A QoS: 0, 1 or 2.</summary>
    Qos,

    /// <summary>replay's --retain: keep or drop.</summary>
    RetainMode,

    /// <summary>A non-empty string (host name, path, client id).</summary>
    Text,
}
