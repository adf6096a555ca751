using EmbeddedBroker.Bench;
using EmbeddedBroker.Bench.Scenarios;

if (args.Contains("--help") || args.Contains("-h"))
{
    Console.WriteLine(BenchOptions.Usage);
    return 0;
}

BenchOptions options;
try
{
    options = BenchOptions.Parse(args);
}
catch (Exception ex) when (ex is ArgumentException or FormatException or OverflowException)
{
    Console.Error.WriteLine(ex.Message);
    Console.Error.WriteLine(BenchOptions.Usage);
    return 2;
}

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};

Func<Task<BenchResult>>? scenario = options.Scenario switch
{
    "fanin" => () => ThroughputScenario.RunAsync(options, ThroughputScenario.Shape.FanIn, cancel.Token),
    "fanout" => () => ThroughputScenario.RunAsync(options, ThroughputScenario.Shape.FanOut, cancel.Token),
    "p2p" => () => ThroughputScenario.RunAsync(options, ThroughputScenario.Shape.PointToPoint, cancel.Token),
    "share" => () => ThroughputScenario.RunAsync(options, ThroughputScenario.Shape.Shared, cancel.Token),
    "fixedrate" => () => FixedRateScenario.RunAsync(options, cancel.Token),
    "latency" => () => FixedRateScenario.RunAsync(options with { Publishers = 1 }, cancel.Token),
    "idle" => () => IdleConnectionsScenario.RunAsync(options, cancel.Token),
    "connect" => () => ConnectRateScenario.RunAsync(options, cancel.Token),
    "retained" => () => RetainedScenario.RunAsync(options, cancel.Token),
    "sensors" => () => SensorPublishScenario.RunAsync(options, cancel.Token),
    "ack" => () => AckLatencyScenario.RunAsync(options, cancel.Token),
    _ => null,
};

if (scenario is null)
{
    Console.Error.WriteLine($"Unknown scenario '{options.Scenario}'.");
    Console.Error.WriteLine(BenchOptions.Usage);
    return 2;
}

BenchResult result;
try
{
    result = await scenario();
}
catch (UnsupportedFeatureException ex)
{
    // Not a failure of the run: this broker does not offer the feature; compare.sh shows "n/a".
    result = new BenchResult(options.Scenario, options).Set("unsupported", ex.Message);
}
catch (ArgumentException ex)
{
    Console.Error.WriteLine(ex.Message);
    return 2;
}
catch (Exception ex)
{
    // One line for compare.sh's log; the run goes on with the next scenario.
    Console.Error.WriteLine($"{options.Scenario} failed: {ex.GetType().Name}: {ex.Message}");
    return 1;
}

Console.WriteLine(options.Json ? result.ToJson() : result.ToText());
return 0;
