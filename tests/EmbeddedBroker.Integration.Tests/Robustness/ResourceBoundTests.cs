using System.Globalization;
using System.Net.Sockets;
using EmbeddedBroker.Client;
using EmbeddedBroker.Protocol;

namespace EmbeddedBroker.Integration.Tests.Robustness;

/// <summary>
/// Abuse that would cost memory in a broker without byte bounds, against the app as a process: an offline session
/// offered far more than its byte limit, and a thousand connections each holding a partial 1 MiB packet; the resident
/// set is read from /proc. The recorder is off (its own queue is bounded separately): these measure the engine.
/// </summary>
[TestFixture]
[NonParallelizable]
[CancelAfter(180_000)]
public sealed class ResourceBoundTests
{
    private const long MiB = 1024 * 1024;

    [Test]
    public async Task Five_hundred_1_MB_messages_for_an_offline_session_are_held_up_to_its_byte_limit_and_the_rest_dropped()
    {
        const long queueLimit = 32 * MiB;
        using var folder = new TempFolder("eb-offline-bytes-");
        using var app = await AppProcess.StartAsync(RecorderOutput.In(folder), "--Recorder:Enabled", "false",
            "--Broker:MaximumQueuedBytesPerClient", queueLimit.ToString(CultureInfo.InvariantCulture),
            "--Broker:MaximumQueuedMessagesPerClient", "100000", "--Broker:SysInterval", "00:00:01");
        var options = new MqttClientOptions { Port = app.Port, ProtocolVersion = MqttProtocolVersion.V311 };
        await using (var sleeper = await MqttClient.ConnectAsync(options with { ClientId = "sleeper", CleanSession = false }))
        {
            await sleeper.SubscribeAsync(("big/#", MqttQualityOfService.AtLeastOnce));
            await sleeper.DisconnectAsync();
        }

        await using var publisher = await MqttClient.ConnectAsync(options with { ClientId = "flood" });
        await publisher.PublishAsync("warm/up", new byte[1_000_000], MqttQualityOfService.AtLeastOnce);
        var before = ResidentKiB(app);
        var payload = new byte[1_000_000];
        Random.Shared.NextBytes(payload);
        for (var i = 0; i < 500; i++)
            await publisher.PublishAsync("big/" + i.ToString(CultureInfo.InvariantCulture), payload, MqttQualityOfService.AtLeastOnce);
        await Task.Delay(2_000); // the store's flush and $SYS settle
        var growthMiB = (ResidentKiB(app) - before) / 1024.0;
        var held = await SysValueAsync(app, "$SYS/broker/heap/held bytes");
        TestContext.Out.WriteLine($"RSS before {before / 1024.0:F1} MiB, growth {growthMiB:F1} MiB for 500 MB offered; held {held / (double)MiB:F1} MiB, limit {queueLimit / MiB} MiB");

        // What the engine holds is bounded by the limit. The resident set is not (yet): the dropped payloads are
        // garbage on the large-object heap until a gen 2 collection (measured 150-360 MiB here), see docs/limits.md.
        Assert.That(held, Is.LessThanOrEqualTo(queueLimit + 2 * MiB), "held bytes: the session's queue limit, not the 500 MB offered");
        Assert.That(growthMiB, Is.LessThan(500), "the resident set does not keep every message offered");
        Assert.That(app.Process.HasExited, Is.False);
    }

    [Test]
    public async Task A_thousand_partial_1_MiB_packets_are_closed_after_the_partial_packet_timeout_and_cost_little_memory()
    {
        using var folder = new TempFolder("eb-partial-");
        using var app = await AppProcess.StartAsync(RecorderOutput.In(folder), "--Recorder:Enabled", "false",
            "--Broker:PartialPacketTimeout", "00:00:05", "--Broker:Capabilities:MaximumPacketSize", "2097152");
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

            var heldSince = new Dictionary<Socket, long>();
            foreach (var socket in sockets)
            {
                var connack = new byte[4];
                Assert.That(await socket.ReceiveAsync(connack), Is.EqualTo(4));
                // PUBLISH QoS 0 announcing 1 MiB (remaining length 0x80 0x80 0x40 = 1,048,576, under the 2 MiB maximum
                // packet size set here), then only 1 KiB of it.
                await socket.SendAsync(new byte[] { 0x30, 0x80, 0x80, 0x40, 0x00, 0x01, (byte)'t' });
                await socket.SendAsync(new byte[1024]);
                heldSince[socket] = Environment.TickCount64;
            }

            var heldMiB = (ResidentKiB(app) - before) / 1024.0;
            var closedAfter = await Task.WhenAll(sockets.Select(async socket =>
                await ClosedByBrokerAsync(socket) ? TimeSpan.FromMilliseconds(Environment.TickCount64 - heldSince[socket]) : (TimeSpan?)null));
            TestContext.Out.WriteLine($"RSS growth while held {heldMiB:F1} MiB; held {closedAfter.Min()?.TotalSeconds:F1} .. {closedAfter.Max()?.TotalSeconds:F1} s");
            Assert.Multiple(() =>
            {
                Assert.That(closedAfter, Has.None.Null, "every partial packet's connection is closed by the broker");
                Assert.That(closedAfter.Min(), Is.GreaterThan(TimeSpan.FromSeconds(3)), "held until the partial-packet timeout (5 s), not refused at once");
                Assert.That(closedAfter.Max(), Is.LessThan(TimeSpan.FromSeconds(5 + 10)), "and no longer than it plus slack");
                Assert.That(heldMiB, Is.LessThan(200), "1,000 announced MiB are not allocated up front");
            });
            Assert.That((await MosquittoClients.PublishAsync(app.Port, "-t", "after/partial", "-m", "x", "-q", "1")).ExitCode, Is.Zero, "still serving");
        }
        finally
        {
            sockets.ForEach(s => s.Dispose());
        }
    }

    private static async Task<long> SysValueAsync(AppProcess app, string topic)
    {
        var read = await MosquittoClients.SubscribeAsync(app.Port, "-t", topic, "-C", "1", "-W", "10");
        Assert.That(read.ExitCode, Is.Zero, $"{topic}: {read.Error}");
        return long.Parse(read.Output.Trim(), CultureInfo.InvariantCulture);
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
