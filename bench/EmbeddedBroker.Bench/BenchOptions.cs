using System.Globalization;
using EmbeddedBroker.Protocol;

namespace EmbeddedBroker.Bench;

/// <summary>Command line of the bench tool; every option has a default fit for a 2-core loopback run.</summary>
internal sealed record BenchOptions
{
    public string Host { get; init; } = "127.0.0.1";
    public int Port { get; init; } = 1883;
    public string Scenario { get; init; } = "fanin";
    public MqttQualityOfService Qos { get; init; } = MqttQualityOfService.AtMostOnce;
    public int Publishers { get; init; } = 8;
    public int Subscribers { get; init; } = 1;
    public double Seconds { get; init; } = 10;
    public double WarmupSeconds { get; init; } = 2;
    public int Payload { get; init; } = 64;

    /// <summary>QoS 1/2 publishes each publisher keeps awaiting acknowledgement.</summary>
    public int Window { get; init; } = 64;

    /// <summary>Messages per second: per publisher for fanin/fanout (0 = as fast as possible), total for latency.</summary>
    public int Rate { get; init; }

    public int Connections { get; init; } = 10_000;
    public int? BrokerPid { get; init; }
    public MqttProtocolVersion Protocol { get; init; } = MqttProtocolVersion.V311;
    public bool Json { get; init; }

    public const string Usage = """
        EmbeddedBroker.Bench --scenario fanin|fanout|latency|idle|sensors|ack [options]
          --host 127.0.0.1 --port 1883     broker address
          --qos 0|1|2                      publish and subscription QoS (default 0)
          --publishers 8 --subscribers 1   clients (fanin: P publishers on bench/<i>, 1 subscriber on bench/#;
                                           fanout: 1 publisher, N subscribers on one topic)
          --seconds 10 --warmup 2          measured window after a warm-up
          --payload 64                     payload bytes
          --window 64                      QoS 1/2 publishes in flight per publisher
          (ack: one publisher, QoS 1/2 publishes one at a time, each timed from send to PUBACK/PUBCOMP)
          --rate 0                         msg/s per publisher (0 = unlimited); latency: total msg/s (default 1000)
          --connections 10000 --broker-pid PID   idle: connections to open; the broker process to read VmRSS from
          --protocol 3|4|5                 MQTT 3.1 / 3.1.1 / 5.0 (default 4)
          --json                           one JSON object on stdout instead of text
        """;

    public static BenchOptions Parse(string[] args)
    {
        var options = new BenchOptions();
        for (var i = 0; i < args.Length; i++)
        {
            var name = args[i];
            if (name == "--json")
            {
                options = options with { Json = true };
                continue;
            }

            if (i + 1 >= args.Length)
            {
                throw new ArgumentException($"{name} needs a value.");
            }

            var value = args[++i];
            options = name switch
            {
                "--host" => options with { Host = value },
                "--port" => options with { Port = Int(value) },
                "--scenario" => options with { Scenario = value },
                "--qos" => options with { Qos = (MqttQualityOfService)Int(value) },
                "--publishers" => options with { Publishers = Int(value) },
                "--subscribers" => options with { Subscribers = Int(value) },
                "--seconds" => options with { Seconds = double.Parse(value, CultureInfo.InvariantCulture) },
                "--warmup" => options with { WarmupSeconds = double.Parse(value, CultureInfo.InvariantCulture) },
                "--payload" => options with { Payload = Int(value) },
                "--window" => options with { Window = Int(value) },
                "--rate" => options with { Rate = Int(value) },
                "--connections" => options with { Connections = Int(value) },
                "--broker-pid" => options with { BrokerPid = Int(value) },
                "--protocol" => options with { Protocol = (MqttProtocolVersion)Int(value) },
                _ => throw new ArgumentException($"Unknown option {name}."),
            };
        }

        return options;
    }

    private static int Int(string value) => int.Parse(value, CultureInfo.InvariantCulture);
}
