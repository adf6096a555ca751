using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace EmbeddedBroker.Integration.Tests.Robustness;

/// <summary>
/// The app under `ulimit -n 1024` (prlimit), where 2,300 idle sockets used to abort the runtime ("Out of memory.",
/// exit 134): connections past what the descriptor limit allows are refused at accept, the refusals are logged once
/// per interval, and the broker serves afterwards.
/// </summary>
[TestFixture]
[CancelAfter(120_000)]
public sealed partial class OpenFileLimitTests
{
    private const int OpenFileLimit = 1024;
    private const int Clients = 2_500;

    [Test]
    public async Task Under_ulimit_1024_2500_connections_are_refused_past_capacity_and_the_broker_serves_afterwards()
    {
        using var folder = new TempFolder("eb-nofile-");
        var webPort = FreePort.Next();
        using var app = await AppProcess.StartWithOpenFileLimitAsync(OpenFileLimit, RecorderOutput.In(folder),
            "--Listeners:WebSocket:Enabled", "true", "--Listeners:WebSocket:Address", "127.0.0.1", "--ws-port", webPort.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var capacity = await ReadCapacityAsync(app);
        Assert.That(capacity, Is.InRange(300, OpenFileLimit - 64), "the capacity leaves the reserve free");

        var sockets = new List<TcpClient>();
        try
        {
            var (accepted, refused) = await ConnectAllAsync(app.Port, sockets);

            Assert.Multiple(() =>
            {
                Assert.That(app.Process.HasExited, Is.False, app.Process.Describe());
                Assert.That(accepted, Is.EqualTo(capacity), "every connection up to the capacity gets its CONNACK");
                Assert.That(refused, Is.EqualTo(Clients - capacity), "the rest are refused, none hang");
            });
        }
        finally
        {
            sockets.ForEach(s => s.Dispose());
        }

        // The released connections are counted back: a client gets in and a message goes through.
        await Eventually.HoldsAsync(async () => (await MosquittoClients.PublishAsync(app.Port, "-t", "after/limit", "-m", "x", "-q", "1")).ExitCode == 0,
            () => "a publisher gets in after the flood " + app.Process.Describe(), TimeSpan.FromSeconds(20), TimeSpan.FromMilliseconds(200));
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{webPort}/") };
        using var stats = System.Text.Json.JsonDocument.Parse(await http.GetStringAsync(new Uri("/api/stats", UriKind.Relative)));
        var connections = stats.RootElement.GetProperty("connections");
        Assert.Multiple(() =>
        {
            Assert.That(connections.GetProperty("capacity").GetInt64(), Is.EqualTo(capacity));
            // At least every refused client of the flood; the publisher's retries above may add a few while sockets close.
            Assert.That(connections.GetProperty("refusedAtAccept").GetProperty("capacity").GetInt64(), Is.InRange(Clients - capacity, Clients - capacity + 100),
                "every refusal is counted");
            Assert.That(app.Process.StandardOutput, Does.Not.Contain("Out of memory").And.Not.Contain("Fatal error"));
            Assert.That(RefusalLine().Matches(app.Process.StandardOutput), Has.Count.InRange(1, 3),
                "one line per reason and interval, not one per refused connection");
        });
    }

    private static async Task<int> ReadCapacityAsync(AppProcess app)
    {
        await app.Process.WaitForOutputAsync("Connections: at most", TimeSpan.FromSeconds(10));
        return int.Parse(CapacityLine().Match(app.Process.StandardOutput).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Opens <see cref="Clients"/> connections one after the other, each sending a CONNECT; an admitted one
    /// answers CONNACK and is kept open, a refused one is reset or closed before any byte.</summary>
    private static async Task<(int Accepted, int Refused)> ConnectAllAsync(int port, List<TcpClient> sockets)
    {
        var accepted = 0;
        var refused = 0;
        for (var i = 0; i < Clients; i++)
        {
            var client = new TcpClient();
            sockets.Add(client);
            try
            {
                await client.ConnectAsync("127.0.0.1", port);
                var stream = client.GetStream();
                await stream.WriteAsync(Connect311($"fd{i}"));
                var connAck = new byte[4];
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                await stream.ReadExactlyAsync(connAck, timeout.Token);
                if (connAck is [0x20, 0x02, _, 0x00])
                {
                    accepted++;
                    continue;
                }
            }
            catch (Exception e) when (e is IOException or SocketException or EndOfStreamException)
            {
                // reset or closed at accept: refused
            }

            refused++;
            client.Dispose();
        }

        return (accepted, refused);
    }

    /// <summary>A 3.1.1 CONNECT with a clean session, keep-alive 60 s and the given client id.</summary>
    private static byte[] Connect311(string clientId)
    {
        var id = System.Text.Encoding.ASCII.GetBytes(clientId);
        byte[] variableHeader = [0x00, 0x04, (byte)'M', (byte)'Q', (byte)'T', (byte)'T', 0x04, 0x02, 0x00, 0x3C];
        return [0x10, (byte)(variableHeader.Length + 2 + id.Length), .. variableHeader, 0x00, (byte)id.Length, .. id];
    }

    [GeneratedRegex(@"Connections: at most (\d+) at once")]
    private static partial Regex CapacityLine();

    [GeneratedRegex(@"refused \(Capacity\)")]
    private static partial Regex RefusalLine();
}
