using System.Globalization;
using System.Net.Sockets;
using EmbeddedBroker.Client;
using EmbeddedBroker.Protocol;

namespace EmbeddedBroker.Integration.Tests.Robustness;

/// <summary>
/// Abuse that would cost memory in a broker without byte bounds, against the app as a process, its resident set read
/// from /proc: an offline session offered far more than its byte limit, and a thousand connections each holding a
/// partial 1 MiB packet. The recorder is off (its own queue is bounded separately): these measure the engine.
/// </summary>
[TestFixture]
[NonParallelizable]
[CancelAfter(180_000)]
public sealed class ResourceBoundTests
{
    private const long MiB = 1024 * 1024;

    [Test]
    public async Task Five_hundred_1_MB_messages_for_an_offline_session_grow_RSS_by_at_most_its_byte_limit_plus_slack()
    {
        const long queueLimit = 32 * MiB;
        using var folder = new TempFolder("eb-offline-bytes-");
        using var app = await AppProcess.StartAsync(RecorderOutput.In(folder), "--Recorder:Enabled", "false",
            "--Broker:MaximumQueuedBytesPerClient", queueLimit.ToString(CultureInfo.InvariantCulture),
            "--Broker:MaximumQueuedMessagesPerClient", "100000");
        var options = new MqttClientOptions { Port = app.Port, ProtocolVersion = MqttProtocolVersion.V311 };
        await using (var sleeper = await MqttClient.ConnectAsync(options with { ClientId = "sleeper", CleanSession = false }))
        {
            await sleeper.SubscribeAsync("big/#", MqttQualityOfService.AtLeastOnce);
            await sleeper.DisconnectAsync();
        }

        await using var publisher = await MqttClient.ConnectAsync(options with { ClientId = "flood" });
        await publisher.PublishAsync("warm/up", new byte[MiB], MqttQualityOfService.AtLeastOnce);
        var before = ResidentKiB(app);
        var payload = new byte[1_000_000];
        Random.Shared.NextBytes(payload);
        for (var i = 0; i < 500; i++)
            await publisher.PublishAsync("big/" + i.ToString(CultureInfo.InvariantCulture), payload, MqttQualityOfService.AtLeastOnce);
        await Task.Delay(2_000); // the store's flush and the GC settle
        var growthMiB = (ResidentKiB(app) - before) / 1024.0;
        TestContext.Out.WriteLine($"RSS before {before / 1024.0:F1} MiB, growth {growthMiB:F1} MiB for 500 MB offered, limit {queueLimit / MiB} MiB");

        Assert.That(growthMiB, Is.LessThan(queueLimit / MiB + 64), "the queue limit plus slack, not the 500 MB offered");
        Assert.That(app.Process.HasExited, Is.False);
    }

    [Test]
    public async Task A_thousand_partial_1_MiB_packets_are_closed_after_the_partial_packet_timeout_and_cost_little_memory()
    {
        using var folder = new TempFolder("eb-partial-");
        using var app = await AppProcess.StartAsync(RecorderOutput.In(folder), "--Recorder:Enabled", "false",
            "--Broker:PartialPacketTimeout", "00:00:05");
        var before = ResidentKiB(app);
        var sockets = new List<Socket>();
        try
        {
            for (var i = 0; i < 1_000; i++)
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                await socket.ConnectAsync("127.0.0.1", app.Port);
                await socket.SendAsync(ConnectPacket("partial-" + i.ToString(CultureInfo.InvariantCulture)));
                sockets.Add(socket);
            }

            foreach (var socket in sockets)
            {
                var connack = new byte[4];
                Assert.That(await socket.ReceiveAsync(connack), Is.EqualTo(4));
                // PUBLISH QoS 0 announcing 1 MiB (remaining length 0x80 0x80 0x40 = 1,048,576), then only 1 KiB of it.
                await socket.SendAsync(new byte[] { 0x30, 0x80, 0x80, 0x40, 0x00, 0x01, (byte)'t' });
                await socket.SendAsync(new byte[1024]);
            }

            var heldMiB = (ResidentKiB(app) - before) / 1024.0;
            var started = System.Diagnostics.Stopwatch.StartNew();
            var closed = await Task.WhenAll(sockets.Select(ClosedByBrokerAsync));
            TestContext.Out.WriteLine($"RSS growth while held {heldMiB:F1} MiB; all closed after {started.Elapsed.TotalSeconds:F1} s");
            Assert.Multiple(() =>
            {
                Assert.That(closed, Is.All.True, "every partial packet's connection is closed by the broker");
                Assert.That(started.Elapsed, Is.LessThan(TimeSpan.FromSeconds(5 + 10)), "no later than the partial-packet timeout plus slack");
                Assert.That(heldMiB, Is.LessThan(200), "1,000 announced MiB are not allocated up front");
            });
            Assert.That((await MosquittoClients.PublishAsync(app.Port, "-t", "after/partial", "-m", "x", "-q", "1")).ExitCode, Is.Zero, "still serving");
        }
        finally
        {
            sockets.ForEach(s => s.Dispose());
        }
    }

    private static async Task<bool> ClosedByBrokerAsync(Socket socket)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var buffer = new byte[64];
        try
        {
            while (await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token) > 0)
            {
            }

            return true;
        }
        catch (SocketException)
        {
            return true; // reset by the broker
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>A 3.1.1 CONNECT, clean session, keep-alive 0.</summary>
    private static byte[] ConnectPacket(string clientId)
    {
        var id = System.Text.Encoding.UTF8.GetBytes(clientId);
        byte[] variable = [0x00, 0x04, (byte)'M', (byte)'Q', (byte)'T', (byte)'T', 0x04, 0x02, 0x00, 0x00];
        var length = variable.Length + 2 + id.Length;
        return [0x10, (byte)length, .. variable, (byte)(id.Length >> 8), (byte)id.Length, .. id];
    }

    private static long ResidentKiB(AppProcess app)
    {
        var status = File.ReadAllLines($"/proc/{app.Process.Id}/status");
        var line = status.Single(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
    }
}
