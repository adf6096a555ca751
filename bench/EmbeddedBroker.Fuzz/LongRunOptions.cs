using System.Globalization;

namespace EmbeddedBroker.Fuzz;

/// <summary>Command line of the long fuzz run; bench/scripts/fuzz-long.sh starts the broker and passes these.</summary>
internal sealed record LongRunOptions
{
    public string Host { get; init; } = "127.0.0.1";
    public int Port { get; init; } = 1883;
    public long Packets { get; init; } = 1_000_000;
    public int Seed { get; init; } = 17_2024;
    public int Parallelism { get; init; } = 16;

    /// <summary>The broker's Maximum Packet Size and Topic Alias Maximum (the application's defaults).</summary>
    public int MaximumPacketSize { get; init; } = 1_048_576;
    public int TopicAliasMaximum { get; init; } = 10;

    /// <summary>The broker's process, for its RSS (Linux /proc).</summary>
    public int? BrokerPid { get; init; }

    /// <summary>The broker's GET /api/stats, for its connection and session counts after the run.</summary>
    public Uri? StatsUrl { get; init; }

    /// <summary>Replay one session of the seed (a violation names it).</summary>
    public int? Session { get; init; }

    /// <summary>Where to write the report (markdown) besides the console.</summary>
    public string? Report { get; init; }

    public const string Usage = """
        EmbeddedBroker.Fuzz [--host H] [--port N] [--packets N] [--seed N] [--parallel N] [--max-packet-size N]
                            [--topic-alias-maximum N] [--pid PID] [--stats-url URL] [--session N] [--report FILE]
        """;

    public static LongRunOptions Parse(string[] args)
    {
        var options = new LongRunOptions();
        for (var i = 0; i < args.Length; i++)
        {
            var value = i + 1 < args.Length ? args[i + 1] : throw new ArgumentException($"{args[i]} needs a value.\n{Usage}");
            options = args[i] switch
            {
                "--host" => options with { Host = value },
                "--port" => options with { Port = Int(value) },
                "--packets" => options with { Packets = long.Parse(value, CultureInfo.InvariantCulture) },
                "--seed" => options with { Seed = Int(value) },
                "--parallel" => options with { Parallelism = Int(value) },
                "--max-packet-size" => options with { MaximumPacketSize = Int(value) },
                "--topic-alias-maximum" => options with { TopicAliasMaximum = Int(value) },
                "--pid" => options with { BrokerPid = Int(value) },
                "--stats-url" => options with { StatsUrl = new Uri(value) },
                "--session" => options with { Session = Int(value) },
                "--report" => options with { Report = value },
                _ => throw new ArgumentException($"unknown option {args[i]}\n{Usage}"),
            };
            i++;
        }

        return options;
    }

    private static int Int(string value) => int.Parse(value, CultureInfo.InvariantCulture);
}
