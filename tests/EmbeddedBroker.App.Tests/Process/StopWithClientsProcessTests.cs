using System.Diagnostics;
using EmbeddedBroker.App.Tests.Support;

namespace EmbeddedBroker.App.Tests.Process;

/// <summary>A stop with clients connected: every connection closed at once, MQTT 5 clients told why, the process gone within a second.</summary>
public class StopWithClientsProcessTests
{
    private const int ClientsPerVersion = 50;

    [Test]
    [CancelAfter(60_000)]
    public async Task Sigterm_with_100_clients_closes_every_connection_with_DISCONNECT_0x8B_for_MQTT_5_and_exits_within_1_s_MQTT_3_14_2_1(CancellationToken cancellationToken)
    {
        using var exports = new TempFolder();
        var output = RecorderOutput.In(exports);
        using var app = await AppProcess.StartAsync(output);
        var clients = new List<(RawMqttConnection Connection, byte Version)>();
        try
        {
            for (var i = 0; i < ClientsPerVersion; i++)
            {
                clients.Add((await RawMqttConnection.ConnectAsync(app.Port, $"v5-{i}", 5, cancellationToken), 5));
                clients.Add((await RawMqttConnection.ConnectAsync(app.Port, $"v311-{i}", 4, cancellationToken), 4));
            }

            await MosquittoClients.PublishTextAsync(app.Port, "sensors/door", "open"); // recorded before the stop
            var closes = clients.Select(c => c.Connection.ReadUntilClosedAsync(cancellationToken)).ToArray();

            var stopwatch = Stopwatch.StartNew();
            var exitCode = await app.TerminateAsync(TimeSpan.FromSeconds(10));
            stopwatch.Stop();
            var reasons = await Task.WhenAll(closes).WaitAsync(TimeSpan.FromSeconds(5), cancellationToken);

            Assert.Multiple(() =>
            {
                Assert.That(exitCode, Is.EqualTo(0), app.Process.StandardError);
                Assert.That(stopwatch.Elapsed, Is.LessThan(TimeSpan.FromSeconds(1)), "from SIGTERM to the process's end");
                for (var i = 0; i < clients.Count; i++)
                {
                    Assert.That(reasons[i], Is.EqualTo(clients[i].Version == 5 ? (byte?)0x8B : null),
                        $"client {i} (MQTT {(clients[i].Version == 5 ? "5" : "3.1.1")}): DISCONNECT 0x8B Server shutting down only for MQTT 5 [MQTT-3.14.2-1]");
                }
            });
            Assert.That(RecordedFiles.ReadCsv(output.Csv).Select(r => r.TopicAndPayload), Does.Contain(("sensors/door", "open")));
            await TestContext.Out.WriteLineAsync($"stop with {clients.Count} clients: {stopwatch.ElapsedMilliseconds} ms from SIGTERM to exit");
        }
        finally
        {
            foreach (var (connection, _) in clients)
            {
                await connection.DisposeAsync();
            }
        }
    }
}
