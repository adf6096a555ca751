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

    /// <summary>Messages per second: per publisher for fanin/fanout/p2p (0 = as fast as possible), total for fixedrate.</summary>
    public int Rate { get; init; }

    public int Connections { get; init; } = 10_000;
    public int? BrokerPid { get; init; }
    public MqttProtocolVersion Protocol { get; init; } = MqttProtocolVersion.V311;
    public bool Json { get; init; }

    /// <summary>idle and connect: how many source addresses (127.0.0.2 ..) the sockets are spread over.</summary>
    public int SourceAddresses { get; init; } = 8;

    /// <summary>idle: the keep-alive announced in CONNECT, and how often each connection sends PINGREQ (0: keep-alive / 2).</summary>
    public ushort KeepAliveSeconds { get; init; } = 60;
    public double PingIntervalSeconds { get; init; }

    /// <summary>connect: loops each opening, CONNECTing and DISCONNECTing one connection after another.</summary>
    public int Connectors { get; init; } = 8;
    public string? Username { get; init; }
    public string? Password { get; init; }

    /// <summary>retained: how many retained messages to publish before the subscriber is timed.</summary>
    public int Messages { get; init; } = 100_000;

    /// <summary>MQTT 5: publishers send each topic once and then only its alias (implies wire publishers).</summary>
    public bool TopicAlias { get; init; }

    /// <summary>MQTT 5: subscribers give a Subscription Identifier and check every delivery carries it.</summary>
    public bool SubscriptionId { get; init; }

    /// <summary>Publishers on bare sockets (as the topic-alias publishers) instead of the client: the control for --topic-alias.</summary>
    public bool WirePublishers { get; init; }

    public const string Usage = """
        EmbeddedBroker.Bench --scenario NAME [options]
          fanin | fanout | p2p    saturation: P publishers -> 1 subscriber on bench/<run>/#, 1 -> N, 1 -> 1
          fixedrate               --rate msg/s in total spread over --publishers -> 1 subscriber: latency, broker CPU
          latency                 fixedrate with 1 publisher
          share                   P publishers -> a group of --subscribers on $share/bench/bench/<run>/#, exactly once
          idle                    --connections held with pings flowing: broker KiB per connection, PINGRESPs
          connect                 --connectors loops of connect/CONNECT/CONNACK/DISCONNECT: connections per second
          retained                --messages retained messages, then a fresh '#' subscriber timed until it has them all
          sensors | ack           recorder loads (see bench/recorder.sh)
        Options:
          --host 127.0.0.1 --port 1883     broker address
          --qos 0|1|2                      publish and subscription QoS (default 0)
          --publishers 8 --subscribers 1   client counts
          --seconds 10 --warmup 2          measured window after a warm-up (idle: how long the connections are held)
          --payload 64 --window 64         payload bytes; QoS 1/2 publishes in flight per publisher
          --rate 0                         msg/s per publisher (0 = unlimited); fixedrate: total msg/s (default 1000)
          --broker-pid PID                 the broker process, for its RSS and CPU time from /proc
          --protocol 3|4|5                 MQTT 3.1 / 3.1.1 / 5.0 (default 4)
          --topic-alias --subscription-id  MQTT 5 features on the publishers / subscribers
          --wire-publishers                publishers on bare sockets without aliases (control for --topic-alias)
          --connections 10000 --source-addresses 8 --keepalive 60 --ping-interval 0   idle
          --connectors 8 --username U --password P                                    connect
          --messages 100000                                                           retained
          --json                           one JSON object on stdout instead of text
        """;

    public static BenchOptions Parse(string[] args)
    {
        var options = new BenchOptions();
        for (var i = 0; i < args.Length; i++)
        {
            var name = args[i];
            var flag = name switch
            {
                "--json" => options with { Json = true },
                "--topic-alias" => options with { TopicAlias = true },
                "--subscription-id" => options with { SubscriptionId = true },
                "--wire-publishers" => options with { WirePublishers = true },
                _ => null,
            };
            if (flag is not null)
            {
                options = flag;
                continue;
            }

            if (i + 1 >= args.Length)
            {
                throw new ArgumentException($"{name} needs a value.");
            }

            options = WithValue(options, name, args[++i]);
        }

        return options;
    }

    private static BenchOptions WithValue(BenchOptions options, string name, string value) => name switch
    {
        "--host" => options with { Host = value },
        "--port" => options with { Port = Int(value) },
        "--scenario" => options with { Scenario = value },
        "--qos" => options with { Qos = (MqttQualityOfService)Int(value) },
        "--publishers" => options with { Publishers = Int(value) },
        "--subscribers" => options with { Subscribers = Int(value) },
        "--seconds" => options with { Seconds = Double(value) },
        "--warmup" => options with { WarmupSeconds = Double(value) },
        "--payload" => options with { Payload = Int(value) },
        "--window" => options with { Window = Int(value) },
        "--rate" => options with { Rate = Int(value) },
        "--connections" => options with { Connections = Int(value) },
        "--broker-pid" => options with { BrokerPid = Int(value) },
        "--protocol" => options with { Protocol = (MqttProtocolVersion)Int(value) },
        "--source-addresses" => options with { SourceAddresses = Int(value) },
        "--keepalive" => options with { KeepAliveSeconds = ushort.Parse(value, CultureInfo.InvariantCulture) },
        "--ping-interval" => options with { PingIntervalSeconds = Double(value) },
        "--connectors" => options with { Connectors = Int(value) },
        "--username" => options with { Username = value },
        "--password" => options with { Password = value },
        "--messages" => options with { Messages = Int(value) },
        _ => throw new ArgumentException($"Unknown option {name}."),
    };

    private static int Int(string value) => int.Parse(value, CultureInfo.InvariantCulture);

    private static double Double(string value) => double.Parse(value, CultureInfo.InvariantCulture);
}
