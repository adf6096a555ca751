using System.Net;
using System.Text.Json;
using EmbeddedBroker.Security.Authentication;
using EmbeddedBroker.Web.Messages;
using Microsoft.Extensions.DependencyInjection;

namespace EmbeddedBroker.Web.Tests.Security;

/// <summary>Anonymous access off: the dashboard, the API and /metrics ask for HTTP Basic credentials from the MQTT
/// password file, checked by the same authenticator as MQTT CONNECT (over WebSocket too).</summary>
[TestFixture]
[CancelAfter(60_000)]
public sealed class WebAuthenticationTests
{
    private static readonly string[] ProtectedPaths = ["/dashboard/", "/api/stats", "/api/clients", "/api/messages", "/metrics"];
    private SecuredWeb web = null!;

    [OneTimeSetUp]
    public async Task Start() => web = await SecuredWeb.StartAsync();

    [OneTimeTearDown]
    public async Task Stop() => await web.DisposeAsync();

    [TestCaseSource(nameof(ProtectedPaths))]
    public async Task Request_without_credentials_gets_401_with_a_Basic_challenge(string path)
    {
        using var response = await SecuredWeb.SendAsync(web.Broker, HttpMethod.Get, path);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(response.Headers.WwwAuthenticate.Single().Scheme, Is.EqualTo("Basic"));
    }

    [TestCaseSource(nameof(ProtectedPaths))]
    public async Task Credentials_from_the_password_file_open_the_endpoint(string path)
    {
        using var response = await SecuredWeb.SendAsync(web.Broker, HttpMethod.Get, path, SecuredWeb.Basic("alice", "s3cret"));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
    }

    [TestCase("alice", "wrong")]
    [TestCase("mallory", "s3cret")]
    [TestCase("alice", "")]
    public async Task Wrong_password_or_unknown_user_gets_401_and_counts_as_a_failed_login(string user, string password)
    {
        var counters = web.Broker.Services.GetRequiredService<PasswordFileAuthenticator>().Counters;
        var before = counters.FailedLogins;

        using var response = await SecuredWeb.SendAsync(web.Broker, HttpMethod.Get, "/api/stats", SecuredWeb.Basic(user, password));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(counters.FailedLogins, Is.GreaterThan(before), "counted with MQTT's failed logins (and slowed down per address like them)");
    }

    [Test]
    public async Task Malformed_basic_credentials_get_401()
    {
        using var response = await SecuredWeb.SendAsync(web.Broker, HttpMethod.Get, "/api/stats", new("Basic", "not base64!"));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    [Test]
    public async Task Publish_without_credentials_gets_401_and_publishes_nothing()
    {
        using var response = await SecuredWeb.SendAsync(web.Broker, HttpMethod.Post, "/api/publish", json: """{"topic":"commands/anon","payload":"x"}""");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(web.Broker.Services.GetRequiredService<RecentMessageLog>().Query("commands/anon", null, 1), Is.Empty);
    }

    [Test]
    public async Task Health_stays_open_without_credentials_but_shows_only_the_statuses()
    {
        using var anonymous = await SecuredWeb.SendAsync(web.Broker, HttpMethod.Get, "/healthz");
        using var alice = await SecuredWeb.SendAsync(web.Broker, HttpMethod.Get, "/healthz", SecuredWeb.Basic("alice", "s3cret"));

        Assert.That(anonymous.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        using var open = JsonDocument.Parse(await anonymous.Content.ReadAsStringAsync());
        using var full = JsonDocument.Parse(await alice.Content.ReadAsStringAsync());
        Assert.That(open.RootElement.GetProperty("checks").GetProperty("broker").GetProperty("status").GetString(), Is.EqualTo("Healthy"));
        Assert.That(open.RootElement.GetProperty("checks").GetProperty("broker").TryGetProperty("description", out var hidden) ? hidden.ValueKind : JsonValueKind.Null,
            Is.EqualTo(JsonValueKind.Null), "no check details without credentials");
        Assert.That(full.RootElement.GetProperty("checks").GetProperty("broker").GetProperty("description").GetString(), Is.Not.Empty);
    }

    [TestCase(null, null, (byte)5)]
    [TestCase("alice", "wrong", (byte)5)]
    [TestCase("alice", "s3cret", (byte)0)]
    public async Task Mqtt_over_websocket_connect_is_checked_against_the_same_password_file_MQTT_3_2_2_3(string? user, string? password, byte expected)
    {
        using var socket = await SecuredWeb.OpenWebSocketAsync(web.Broker, origin: "http://elsewhere.example");

        var code = await SecuredWeb.ConnectOverWebSocketAsync(socket, $"ws-auth-{expected}-{user}", user, password);

        Assert.That(code, Is.EqualTo(expected), "3.1.1 return code 0 accepted, 5 not authorized");
    }
}
