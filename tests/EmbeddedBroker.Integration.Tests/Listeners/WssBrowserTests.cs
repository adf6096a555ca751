using System.Globalization;

namespace EmbeddedBroker.Integration.Tests.Listeners;

/// <summary>
/// MQTT.js over wss:// in headless Chromium, against a `protocol websockets` listener with a certificate from a
/// mosquitto.conf (tests/node/tls/wss-browser.test.js), with mosquitto_sub over MQTT TLS on the other listener.
/// Needs `npm ci --prefix tests/node` and Debian's nodejs, chromium and mosquitto-clients (scripts/test.sh).
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class WssBrowserTests
{
    [Test]
    [CancelAfter(240_000)]
    public async Task Mqtt_js_in_chromium_votes_over_wss_and_mosquitto_sub_reads_it_over_tls()
    {
        var node = ThirdPartyTools.Node;
        var script = Path.Combine(RepositoryPaths.NodeTests, "tls", "wss-browser.test.js");
        if (!File.Exists(Path.Combine(RepositoryPaths.NodeTests, "node_modules", "playwright-core", "package.json")))
        {
            Assert.Fail("tests/node/node_modules is missing: install it with `npm ci --prefix tests/node` (scripts/test.sh does this).");
        }

        using var folder = new ConfFolder();
        await TestCertificates.CreateAsync(folder);
        var (wss, tls) = (FreePort.Next(), FreePort.Next());
        folder.Write("mosquitto.conf",
            $"listener {wss} 127.0.0.1", "protocol websockets", "certfile server.crt", "keyfile server.key",
            $"listener {tls} 127.0.0.1", "certfile server.crt", "keyfile server.key",
            "allow_anonymous true");
        await folder.StartEmbeddedBrokerAsync("mosquitto.conf", [wss, tls]);

        var (exitCode, output, error) = await ExternalProcess.RunAsync(TimeSpan.FromMinutes(3), "/usr/bin/env",
            $"EB_WSS_PORT={wss.ToString(CultureInfo.InvariantCulture)}",
            $"EB_TLS_PORT={tls.ToString(CultureInfo.InvariantCulture)}",
            $"EB_CA_FILE={folder.Combine("ca.crt")}",
            node, "--test", "--test-reporter=spec", "--test-timeout=120000", script);

        TestContext.Out.WriteLine(output);
        Assert.That(exitCode, Is.Zero, $"node --test {script} failed:{Environment.NewLine}{output}{Environment.NewLine}{error}");
    }
}
