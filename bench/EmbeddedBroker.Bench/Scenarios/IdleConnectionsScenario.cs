using System.Diagnostics;
using System.Globalization;
using EmbeddedBroker.Client;

namespace EmbeddedBroker.Bench.Scenarios;

/// <summary>
/// Opens many idle connections (unique client ids, clean session, no subscriptions) and reports how much the
/// broker's resident memory grew per connection. A warm-up batch is opened first so that one-time costs
/// (thread pools, JIT, first buffers) are not charged to the measured connections.
/// </summary>
internal static class IdleConnectionsScenario
{
    private const int WarmupConnections = 200;
    private const int ConcurrentConnects = 32;

    public static async Task<BenchResult> RunAsync(BenchOptions options, CancellationToken cancellationToken)
    {
        var pid = options.BrokerPid ?? throw new ArgumentException("--broker-pid is required for the idle scenario.");
        var clients = new List<MqttClient>(options.Connections + WarmupConnections);
        try
        {
            await OpenAsync(options, clients, "w", WarmupConnections, cancellationToken);
            await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken);
            var before = ReadRssKiB(pid);

            var clock = Stopwatch.StartNew();
            await OpenAsync(options, clients, "i", options.Connections, cancellationToken);
            var openSeconds = clock.Elapsed.TotalSeconds;
            // Let the broker finish per-connection work (CONNACK sent, buffers trimmed) before reading memory.
            await Task.Delay(TimeSpan.FromSeconds(3), cancellationToken);
            var after = ReadRssKiB(pid);

            return new BenchResult("idle", options)
                .Set("connections", options.Connections)
                .Set("connected", clients.Count(c => c.IsConnected) - WarmupConnections)
                .Set("openSeconds", openSeconds)
                .Set("brokerRssBeforeKiB", before)
                .Set("brokerRssAfterKiB", after)
                .Set("kibPerConnection", (double)(after - before) / options.Connections);
        }
        finally
        {
            await BenchClients.DisposeAllAsync(clients);
        }
    }

    private static async Task OpenAsync(BenchOptions options, List<MqttClient> clients, string role, int count, CancellationToken cancellationToken)
    {
        using var gate = new SemaphoreSlim(ConcurrentConnects);
        var connecting = Enumerable.Range(0, count).Select(async i =>
        {
            await gate.WaitAsync(cancellationToken);
            try
            {
                // Keep-alive long enough that no PINGREQ falls inside the measurement.
                var client = await BenchClients.ConnectAsync(options, $"{role}{i}", cancellationToken, keepAliveSeconds: 600);
                lock (clients)
                {
                    clients.Add(client);
                }
            }
            finally
            {
                gate.Release();
            }
        });
        await Task.WhenAll(connecting);
    }

    /// <summary>VmRSS of the broker process from /proc (Linux), in KiB.</summary>
    private static long ReadRssKiB(int pid)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                return long.Parse(line["VmRSS:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
            }
        }

        throw new InvalidOperationException($"No VmRSS in /proc/{pid}/status.");
    }
}
