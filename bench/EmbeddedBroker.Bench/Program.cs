using EmbeddedBroker.Bench;
using EmbeddedBroker.Bench.Scenarios;

BenchOptions options;
try
{
    options = BenchOptions.Parse(args);
}
catch (Exception ex) when (ex is ArgumentException or FormatException)
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

var result = options.Scenario switch
{
    "fanin" => await ThroughputScenario.RunAsync(options, fanIn: true, cancel.Token),
    "fanout" => await ThroughputScenario.RunAsync(options, fanIn: false, cancel.Token),
    "latency" => await LatencyScenario.RunAsync(options, cancel.Token),
    "idle" => await IdleConnectionsScenario.RunAsync(options, cancel.Token),
    "sensors" => await SensorPublishScenario.RunAsync(options, cancel.Token),
    "ack" => await AckLatencyScenario.RunAsync(options, cancel.Token),
    _ => null,
};

if (result is null)
{
    Console.Error.WriteLine($"Unknown scenario '{options.Scenario}'.");
    Console.Error.WriteLine(BenchOptions.Usage);
    return 2;
}

Console.WriteLine(options.Json ? result.ToJson() : result.ToText());
return 0;
