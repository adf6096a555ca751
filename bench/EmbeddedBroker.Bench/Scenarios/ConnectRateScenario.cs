using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Net;
using EmbeddedBroker.Bench.Wire;
using EmbeddedBroker.Protocol;
using EmbeddedBroker.Protocol.Packets;

namespace EmbeddedBroker.Bench.Scenarios;

/// <summary>
/// Connection rate: --connectors loops, each opening a TCP connection from the next 127.0.0.x source address,
/// CONNECTing (unique client id, clean session, --username/--password when given), waiting for CONNACK, sending
/// DISCONNECT and closing, then starting over. Reports completed connections per second over the measured window, the
/// time from the start of the TCP connect to CONNACK, failures, and the broker's CPU per connection.
/// The closed sockets linger in TIME_WAIT on the load tool's side; spreading them over several source addresses (each
/// with its own ephemeral port range) keeps the run from running out of ports.
/// </summary>
internal static class ConnectRateScenario
{
    public static async Task<BenchResult> RunAsync(BenchOptions options, CancellationToken cancellationToken)
    {
        var broker = new IPEndPoint(IPAddress.Parse(options.Host), options.Port);
        var sources = new SourceAddresses(options.SourceAddresses);
        var completed = new Counter();
        var failures = new Counter();
        var latency = new List<long>();
        var measuring = new StrongBox<bool>();
        string? firstFailure = null;

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var loops = Enumerable.Range(0, Math.Max(1, options.Connectors)).Select(loop => Task.Run(async () =>
        {
            for (var n = 0; !stop.IsCancellationRequested; n++)
            {
                var started = Stopwatch.GetTimestamp();
                try
                {
                    await ConnectOnceAsync(broker, sources.Next(), options, $"c{loop}-{n}", stop.Token);
                    completed.Increment();
                    if (Volatile.Read(ref measuring.Value))
                    {
                        lock (latency)
                        {
                            latency.Add(Stopwatch.GetTimestamp() - started);
                        }
                    }
                }
                catch (OperationCanceledException) when (stop.IsCancellationRequested)
                {
                }
                catch (Exception ex) when (ex is IOException or InvalidDataException or OperationCanceledException or System.Net.Sockets.SocketException)
                {
                    failures.Increment();
                    Interlocked.CompareExchange(ref firstFailure, ex.Message, null);
                }
            }
        }, CancellationToken.None)).ToArray();

        await Task.Delay(TimeSpan.FromSeconds(options.WarmupSeconds), cancellationToken);
        var (completed0, failures0) = (completed.Value, failures.Value);
        var brokerWindow = BrokerWindow.StartIfKnown(options);
        var clock = Stopwatch.StartNew();
        Volatile.Write(ref measuring.Value, true);
        await Task.Delay(TimeSpan.FromSeconds(options.Seconds), cancellationToken);
        Volatile.Write(ref measuring.Value, false);
        var (connections, failed, elapsed) = (completed.Value - completed0, failures.Value - failures0, clock.Elapsed.TotalSeconds);
        brokerWindow?.Stop();
        await stop.CancelAsync();
        await Task.WhenAll(loops);

        var result = new BenchResult("connect", options)
            .Set("connectors", loops.Length)
            .Set("sourceAddresses", sources.Count)
            .Set("withPassword", options.Password is not null)
            .Set("seconds", elapsed)
            .Set("connections", connections)
            .Set("connectsPerSecond", connections / elapsed)
            .Set("failures", failed);
        if (firstFailure is not null)
        {
            result.Set("firstFailure", firstFailure);
        }

        brokerWindow?.Report(result, connections);
        long[] samples;
        lock (latency)
        {
            samples = [.. latency];
        }

        return Percentiles.Report(result, samples);
    }

    /// <summary>One connection's life: TCP connect, CONNECT, CONNACK (must accept), DISCONNECT, close.</summary>
    private static async Task ConnectOnceAsync(IPEndPoint broker, IPAddress source, BenchOptions options, string role, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(10));
        await using var connection = await WireConnection.OpenAsync(broker, source, options.Protocol, timeout.Token);
        var connAck = await connection.HandshakeAsync(BenchClients.ConnectPacket(options, role), timeout.Token);
        if (connAck.ReasonCode != MqttReasonCode.Success)
        {
            throw new IOException($"CONNACK {connAck.ReasonCode}");
        }

        await connection.SendAsync(new DisconnectPacket(), timeout.Token);
    }
}
