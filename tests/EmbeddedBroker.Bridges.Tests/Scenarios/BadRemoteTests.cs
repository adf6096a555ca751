using System.Diagnostics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using EmbeddedBroker.Bridges.Tests.Support;
using EmbeddedBroker.Client;
using EmbeddedBroker.Protocol;

namespace EmbeddedBroker.Bridges.Tests.Scenarios;

/// <summary>
/// A bridge to a remote it cannot use (a name that does not resolve, a port nobody listens on, wrong credentials, TLS
/// towards a plain listener): one warning line per back-off step, with the reason, no stack trace; the broker keeps
/// serving its local clients meanwhile.
/// </summary>
[NonParallelizable]
public sealed class BadRemoteTests
{
    [Test]
    [CancelAfter(60_000)]
    public async Task An_address_that_does_not_resolve_is_one_line_per_attempt_and_local_clients_are_served(CancellationToken cancellationToken)
    {
        using var folder = new TempFolder("eb-bridge-bad-");
        var bridge = BridgeJson.To(1, "bad", "t/# both 1");
        bridge["Addresses"] = new JsonArray("no-such-host.invalid:1883");
        await AssertRetriedWithReasonAsync(folder, bridge, "the host name does not resolve", cancellationToken);
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task An_address_that_refuses_is_one_line_per_attempt_and_local_clients_are_served(CancellationToken cancellationToken)
    {
        using var folder = new TempFolder("eb-bridge-bad-");
        await AssertRetriedWithReasonAsync(folder, BridgeJson.To(FreePort.Next(), "bad", "t/# both 1"), "connection refused", cancellationToken);
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task Wrong_credentials_are_one_line_per_attempt_naming_them_MQTT_3_2_2_3(CancellationToken cancellationToken)
    {
        using var folder = new TempFolder("eb-bridge-bad-");
        var passwords = folder.Combine("passwords");
        using (var passwd = Process.Start("mosquitto_passwd", ["-c", "-b", passwords, "site", "right"])!)
        {
            await passwd.WaitForExitAsync(cancellationToken);
        }

        using var remote = await MosquittoBroker.StartAsync(new MosquittoOptions
        {
            ConfigLines = ["allow_anonymous false", "password_file passwords"],
            Files = new Dictionary<string, string> { ["passwords"] = await File.ReadAllTextAsync(passwords, cancellationToken) },
        });
        var bridge = BridgeJson.To(remote.Port, "bad", "t/# both 1").With("RemoteUsername", "site").With("RemotePassword", "wrong");
        await AssertRetriedWithReasonAsync(folder, bridge, "the remote broker refused the connection", cancellationToken);
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task Tls_towards_a_plain_listener_is_one_line_per_attempt_and_local_clients_are_served(CancellationToken cancellationToken)
    {
        using var folder = new TempFolder("eb-bridge-bad-");
        var caFile = folder.Combine("ca.crt");
        await File.WriteAllTextAsync(caFile, SelfSignedCaPem(), cancellationToken);
        using var remote = await MosquittoBroker.StartAsync();
        var bridge = BridgeJson.To(remote.Port, "bad", "t/# both 1").With("Tls", new JsonObject { ["CaFile"] = caFile });
        await AssertRetriedWithReasonAsync(folder, bridge, "TLS handshake failed", cancellationToken);
    }

    /// <summary>Runs the app with <paramref name="bridge"/>, checks a local client is served while the bridge retries,
    /// and that each attempt is one line that says <paramref name="reason"/>.</summary>
    private static async Task AssertRetriedWithReasonAsync(TempFolder folder, JsonObject bridge, string reason, CancellationToken cancellationToken)
    {
        using var app = await BridgedApp.StartAsync(folder, [bridge]);
        await app.WaitForLogAsync("Bridge bad: cannot connect", TimeSpan.FromSeconds(20));

        await using (var client = await MqttClient.ConnectAsync(new MqttClientOptions { Port = app.Port, ClientId = "local-client" }, cancellationToken))
        {
            await client.SubscribeAsync(("local/#", MqttQualityOfService.AtLeastOnce));
            await client.PublishAsync("local/x", "served"u8.ToArray(), MqttQualityOfService.AtLeastOnce, cancellationToken: cancellationToken);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(10));
            var received = await client.Messages.ReadAsync(timeout.Token);
            Assert.That(received.Topic, Is.EqualTo("local/x"), "the broker serves its local clients while the bridge retries");
        }

        await Eventually.HoldsAsync(() => app.CountInLog("Bridge bad: cannot connect") >= 3, "three attempts, one second apart", 20_000);
        var log = app.Log;
        await TestContext.Out.WriteLineAsync(log);
        var attempts = log.Split('\n').Where(line => line.Contains("Bridge bad: cannot connect", StringComparison.Ordinal)).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(attempts, Has.All.Contains(reason).And.All.Contains("next attempt in"), "each line says why and when next");
            Assert.That(log, Does.Not.Contain("   at "), "no stack trace");
            Assert.That(log.Split('\n').Count(line => line.Contains("Bridge bad:", StringComparison.Ordinal)), Is.EqualTo(attempts.Count),
                "nothing else is logged per attempt");
        });
    }

    private static string SelfSignedCaPem()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=EmbeddedBroker test CA", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        using var ca = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        return ca.ExportCertificatePem();
    }
}
