using System.Globalization;
using EmbeddedBroker.Protocol;

namespace EmbeddedBroker.Replay;

/// <summary>What <c>EmbeddedBroker replay SOURCE ...</c> is asked to do (see <see cref="ReplayRunner"/>).</summary>
public sealed record ReplayOptions
{
    /// <summary>The recording: a .csv, .json, .jsonl (each optionally .gz, as rotated files are) or .db (SQLite) file.</summary>
    public required string Source { get; init; }

    /// <summary>The broker to publish into (<c>--broker</c>).</summary>
    public string Host { get; init; } = "127.0.0.1";

    /// <summary><c>--port</c>.</summary>
    public int Port { get; init; } = 1883;

    /// <summary>
    /// <c>--speed</c>: 1 keeps the recorded relative timing, 10 plays ten times faster, <see cref="MaxSpeed"/> (0, "max")
    /// publishes as fast as the broker takes it.
    /// </summary>
    public double Speed { get; init; } = 1;

    /// <summary><c>--from</c>: only messages recorded at or after it.</summary>
    public DateTimeOffset? From { get; init; }

    /// <summary><c>--to</c>: only messages recorded at or before it.</summary>
    public DateTimeOffset? To { get; init; }

    /// <summary><c>--topic</c>: only messages whose topic matches this MQTT filter.</summary>
    public string? TopicFilter { get; init; }

    /// <summary><c>--qos</c>: publish every message at this QoS; null keeps each message's recorded QoS.</summary>
    public MqttQualityOfService? Qos { get; init; }

    /// <summary><c>--retain keep|drop</c>: keep the recorded retain flags, or publish everything non-retained.</summary>
    public ReplayRetain Retain { get; init; } = ReplayRetain.Keep;

    /// <summary><c>--client-id</c>; empty gives "replay-" and a random suffix.</summary>
    public string ClientId { get; init; } = "";

    /// <summary><c>--username</c> / <c>--password</c> for a broker that asks.</summary>
    public string? Username { get; init; }

    public string? Password { get; init; }

    /// <summary>Show a progress bar on an interactive terminal (<c>--no-progress</c> turns it off).</summary>
    public bool Progress { get; init; } = true;

    public const double MaxSpeed = 0;

    /// <summary>Parses <c>--speed</c>: a positive number or "max".</summary>
    public static bool TryParseSpeed(string? text, out double speed)
    {
        speed = MaxSpeed;
        if (string.Equals(text?.Trim(), "max", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out speed) && speed > 0 && double.IsFinite(speed);
    }
}

/// <summary>What happens to the recorded retain flags.</summary>
public enum ReplayRetain
{
    /// <summary>Published with the flag as recorded: retained messages become the broker's retained messages again.</summary>
    Keep,

    /// <summary>Published without it: the replay leaves the broker's retained messages as they are.</summary>
    Drop,
}
