using System.Diagnostics;
using System.Net;
using EmbeddedBroker.Bench.Wire;

namespace EmbeddedBroker.Bench.Scenarios;

/// <summary>
/// Opens many idle connections (unique client ids, clean session, no subscriptions, keep-alive --keepalive) spread
/// over --source-addresses 127.0.0.x, holds them for --seconds while each sends PINGREQ once per --ping-interval
/// (default keep-alive / 2, staggered evenly), and reports how much the broker's resident memory grew per connection
/// and whether every PINGREQ got its PINGRESP. A warm-up batch is opened first so that one-time costs (thread pools,
/// JIT, first buffers) are not charged to the measured connections. Bare sockets keep the load tool's own cost per
/// connection to a socket and a 64-byte buffer.
/// </summary>
internal static class IdleConnectionsScenario
{
    private const int WarmupConnections = 200;
    private const int ConcurrentConnects = 64;

    public static async Task<BenchResult> RunAsync(BenchOptions options, CancellationToken cancellationToken)
    {
        var broker = new BrokerProcess(options.BrokerPid ?? throw new ArgumentException("--broker-pid is required for the idle scenario."));
        var sources = new SourceAddresses(options.SourceAddresses);
        var connections = new List<WireConnection>(options.Connections + WarmupConnections);
        try
        {
            var warmupFailures = await OpenAsync(options, sources, connections, "w", WarmupConnections, cancellationToken);
            await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken);
            var before = broker.ReadRssKiB();

            var clock = Stopwatch.StartNew();
            var failures = await OpenAsync(options, sources, connections, "i", options.Connections, cancellationToken);
            var openSeconds = clock.Elapsed.TotalSeconds;
            // Let the broker finish per-connection work (CONNACK sent, buffers trimmed) before reading memory.
            await Task.Delay(TimeSpan.FromSeconds(3), cancellationToken);
            var opened = broker.ReadRssKiB();

            var pingInterval = options.PingIntervalSeconds > 0 ? options.PingIntervalSeconds : Math.Max(1, options.KeepAliveSeconds / 2.0);
            var pings = await KeepAlivePings.RunAsync(connections, pingInterval, TimeSpan.FromSeconds(options.Seconds), cancellationToken);
            var held = broker.ReadRssKiB();
            var measured = Math.Max(1, connections.Count - (WarmupConnections - warmupFailures));

            var result = new BenchResult("idle", options)
                .Set("connections", options.Connections)
                .Set("connected", options.Connections - failures)
                .Set("connectFailures", failures + warmupFailures)
                .Set("sourceAddresses", sources.Count)
                .Set("openSeconds", openSeconds)
                .Set("keepAliveSeconds", options.KeepAliveSeconds)
                .Set("heldSeconds", options.Seconds)
                .Set("brokerRssBeforeKiB", before)
                .Set("brokerRssOpenedKiB", opened)
                .Set("brokerRssHeldKiB", held)
                // After the pings flowed: what idle connections cost once they have been active, the figure to compare.
                .Set("kibPerConnection", (double)(held - before) / measured)
                .Set("kibPerConnectionBeforePings", (double)(opened - before) / measured);
            return pings.Report(result);
        }
        finally
        {
            // Closing is enough: the broker sees the connections end; 100,000 DISCONNECTs would only add time.
            foreach (var connection in connections)
            {
                await connection.DisposeAsync();
            }
        }
    }

    /// <summary>Opens <paramref name="count"/> connections, CONNECTs each, and returns how many failed.</summary>
    private static async Task<int> OpenAsync(BenchOptions options, SourceAddresses sources, List<WireConnection> connections, string role, int count, CancellationToken cancellationToken)
    {
        var broker = new IPEndPoint(IPAddress.Parse(options.Host), options.Port);
        var failures = 0;
        using var gate = new SemaphoreSlim(ConcurrentConnects);
        var connecting = Enumerable.Range(0, count).Select(async i =>
        {
            await gate.WaitAsync(cancellationToken);
            WireConnection? connection = null;
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                timeout.CancelAfter(TimeSpan.FromSeconds(10));
                connection = await WireConnection.OpenAsync(broker, sources.Next(), options.Protocol, timeout.Token);
                var connAck = await connection.HandshakeAsync(BenchClients.ConnectPacket(options, $"{role}{i}", options.KeepAliveSeconds), timeout.Token);
                if (connAck.ReasonCode != Protocol.MqttReasonCode.Success)
                {
                    throw new IOException($"CONNACK {connAck.ReasonCode}");
                }

                lock (connections)
                {
                    connections.Add(connection);
                }
            }
            catch (Exception ex) when ((ex is IOException or OperationCanceledException or InvalidDataException or System.Net.Sockets.SocketException)
                                       && !cancellationToken.IsCancellationRequested)
            {
                Interlocked.Increment(ref failures);
                if (connection is not null)
                {
                    await connection.DisposeAsync();
                }
            }
            finally
            {
                gate.Release();
            }
        });
        await Task.WhenAll(connecting);
        return failures;
    }
}
