using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using EmbeddedBroker.Integration.Tests.Infrastructure;

namespace EmbeddedBroker.Integration.Tests.Robustness;

/// <summary>
/// Over real TCP: a connection that sends garbage, or never sends CONNECT, is closed within the configured time,
/// while mosquitto clients on the same broker keep publishing and receiving.
/// </summary>
[TestFixture]
[CancelAfter(60_000)]
public sealed class BadConnectionIsolationTests
{
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(1);
    private InProcessBroker broker = null!;

    [SetUp]
    public async Task StartBroker() => broker = await InProcessBroker.StartAsync("--Broker:ConnectTimeout", "00:00:01");

    [TearDown]
    public async Task StopBroker() => await broker.DisposeAsync();

    [Test]
    public async Task Garbage_bytes_close_only_that_connection_MQTT_4_8_0_1()
    {
        await using var traffic = await StartTrafficAsync();

        using var garbage = await ConnectRawAsync();
        await garbage.GetStream().WriteAsync(Encoding.ASCII.GetBytes("GET / HTTP/1.1\r\nHost: x\r\n\r\n"));
        var closedAfter = await TimeUntilClosedAsync(garbage);

        Assert.That(closedAfter, Is.LessThan(TimeSpan.FromSeconds(2)), "a first packet that is not CONNECT closes the connection (MQTT-3.1.0-1)");
        await traffic.AssertAllDeliveredAsync();
    }

    [Test]
    public async Task Connection_that_never_sends_CONNECT_is_closed_after_the_connect_timeout()
    {
        await using var traffic = await StartTrafficAsync();

        using var silent = await ConnectRawAsync();
        var closedAfter = await TimeUntilClosedAsync(silent);

        Assert.That(closedAfter, Is.GreaterThanOrEqualTo(ConnectTimeout * 0.9).And.LessThan(ConnectTimeout + TimeSpan.FromSeconds(2)));
        await traffic.AssertAllDeliveredAsync();
    }

    [Test]
    public async Task Malformed_packet_after_CONNECT_closes_only_that_client_MQTT_4_8_0_1()
    {
        await using var traffic = await StartTrafficAsync();

        using var client = await ConnectRawAsync();
        var stream = client.GetStream();
        // A valid 3.1.1 CONNECT (client id "bad"), then a PUBLISH with QoS 3, which is malformed (MQTT-3.3.1-4).
        await stream.WriteAsync(new byte[] { 0x10, 0x0F, 0x00, 0x04, (byte)'M', (byte)'Q', (byte)'T', (byte)'T', 0x04, 0x02, 0x00, 0x3C, 0x00, 0x03, (byte)'b', (byte)'a', (byte)'d' });
        var connAck = new byte[4];
        await stream.ReadExactlyAsync(connAck);
        Assert.That(connAck, Is.EqualTo(new byte[] { 0x20, 0x02, 0x00, 0x00 }));

        await stream.WriteAsync(new byte[] { 0x36, 0x05, 0x00, 0x01, (byte)'t', 0x00, 0x01 });
        Assert.That(await TimeUntilClosedAsync(client), Is.LessThan(TimeSpan.FromSeconds(2)));
        await traffic.AssertAllDeliveredAsync();
    }

    private async Task<TcpClient> ConnectRawAsync()
    {
        var client = new TcpClient();
        await client.ConnectAsync(broker.Host, broker.Port);
        return client;
    }

    /// <summary>Reads until the broker closes the socket (EOF or reset); returns how long that took.</summary>
    private static async Task<TimeSpan> TimeUntilClosedAsync(TcpClient client)
    {
        var stopwatch = Stopwatch.StartNew();
        var buffer = new byte[256];
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        try
        {
            while (await client.GetStream().ReadAsync(buffer, cts.Token) > 0)
            {
                // Whatever the broker says before closing (e.g. nothing, or a DISCONNECT) is irrelevant here.
            }
        }
        catch (IOException)
        {
            // Reset by the broker: closed too.
        }

        return stopwatch.Elapsed;
    }

    private async Task<Traffic> StartTrafficAsync()
    {
        var traffic = new Traffic(broker);
        await traffic.StartAsync();
        return traffic;
    }

    /// <summary>mosquitto_sub expecting N messages while mosquitto_pub keeps publishing them, one every 20 ms.</summary>
    private sealed class Traffic(InProcessBroker broker) : IAsyncDisposable
    {
        private const int Count = 60;
        private ExternalProcess? subscriber;
        private Task? publishing;

        public async Task StartAsync()
        {
            var port = broker.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
            subscriber = MosquittoClients.StartSubscriber(broker.Port, "-i", "bystander", "-t", "load/#", "-q", "1", "-C", Count.ToString(System.Globalization.CultureInfo.InvariantCulture));
            await broker.WaitForSubscriptionAsync("bystander", "load/#");
            var lines = string.Join('\n', Enumerable.Range(1, Count)) + "\n";
            publishing = Task.Run(async () =>
            {
                // A slow line-by-line publisher over one connection, so traffic spans the bad connection's lifetime.
                using var publisher = ExternalProcess.Start("/bin/sh", ["-c", $"for i in $(seq 1 {Count}); do echo $i; sleep 0.02; done | {ThirdPartyTools.MosquittoPub} -h {broker.Host} -p {port} -t load/x -q 1 -l"], stdin: null);
                Assert.That(await publisher.WaitForExitAsync(TimeSpan.FromSeconds(20)), Is.Zero, publisher.StandardError);
            });
        }

        public async Task AssertAllDeliveredAsync()
        {
            await publishing!;
            Assert.That(await subscriber!.WaitForExitAsync(TimeSpan.FromSeconds(20)), Is.Zero);
            Assert.That(subscriber.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries), Has.Length.EqualTo(Count));
        }

        public ValueTask DisposeAsync()
        {
            subscriber?.Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
