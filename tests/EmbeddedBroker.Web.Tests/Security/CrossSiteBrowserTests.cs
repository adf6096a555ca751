using System.Globalization;
using System.Net;
using EmbeddedBroker.Web.Messages;
using EmbeddedBroker.Web.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace EmbeddedBroker.Web.Tests.Security;

/// <summary>
/// Issue 10's done-when, in headless Chromium (tests/node/security/cross-site.test.js): a page on another origin tries
/// a text/plain form POST, a no-cors fetch and a CORS fetch to /api/publish, and MQTT over WebSocket with its own
/// Origin; the broker is also reached under a rebound name. In every configuration the form and the fetches publish
/// nothing and the foreign Host is refused; the WebSocket fails once allowed origins are set, and gets nothing
/// without credentials once authentication is on. Needs `npm ci --prefix tests/node` and Debian's nodejs and chromium.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class CrossSiteBrowserTests
{
    private static readonly string[] AlwaysRefused = ["attack/form", "attack/fetch", "attack/cors"];

    [TestCase("anonymous")]
    [TestCase("origins")]
    [TestCase("auth")]
    [CancelAfter(240_000)]
    public async Task Page_of_another_origin_publishes_nothing_and_a_rebound_host_is_refused(string mode)
    {
        if (!File.Exists(Path.Combine(RepositoryPaths.NodeTests, "node_modules", "playwright-core", "package.json")))
        {
            Assert.Fail("tests/node/node_modules is missing: install it with `npm ci --prefix tests/node` (scripts/test.sh does this).");
        }

        SecuredWeb? secured = null;
        WebBroker broker;
        if (mode == "auth")
        {
            secured = await SecuredWeb.StartAsync();
            broker = secured.Broker;
        }
        else
        {
            broker = await WebBroker.StartAsync(mode == "origins" ? ["--Web:WebSocketAllowedOrigins:0", "https://pages.example"] : []);
        }

        try
        {
            // Something to steal: a retained message a '#' subscriber would get at once.
            await broker.Broker.PublishAsync(new MqttApplicationMessage { Topic = "secret/data", Payload = "s"u8.ToArray(), Retain = true });

            var script = Path.Combine(RepositoryPaths.NodeTests, "security", "cross-site.test.js");
            var (exitCode, output, error) = await ExternalProcess.RunAsync(TimeSpan.FromMinutes(3), "/usr/bin/env",
                $"EB_WS_PORT={broker.WebSocketPort.ToString(CultureInfo.InvariantCulture)}", $"EB_MODE={mode}",
                ThirdPartyTools.Node, "--test", "--test-reporter=spec", "--test-timeout=120000", script);
            TestContext.Out.WriteLine(output);
            Assert.That(exitCode, Is.Zero, $"node --test {script} failed:{Environment.NewLine}{output}{Environment.NewLine}{error}");

            var recent = broker.Services.GetRequiredService<RecentMessageLog>();
            var published = recent.Query("attack/#", null, recent.Capacity).Select(m => m.Topic).ToList();
            Assert.That(published, Has.None.AnyOf(AlwaysRefused), "the form, the no-cors and the CORS fetch published nothing");
            Assert.That(published.Contains("attack/ws"), Is.EqualTo(mode == "anonymous"),
                "MQTT over WebSocket from any page is the documented anonymous default; refused by origin or by credentials otherwise");

            using var rebound = await SecuredWeb.SendAsync(broker, HttpMethod.Get, "/api/messages", host: "evil.example");
            Assert.That(rebound.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest), "Host: evil.example (curl-style)");
        }
        finally
        {
            if (secured is not null)
            {
                await secured.DisposeAsync();
            }
            else
            {
                await broker.DisposeAsync();
            }
        }
    }
}
