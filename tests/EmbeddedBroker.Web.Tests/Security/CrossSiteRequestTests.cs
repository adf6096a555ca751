using System.Net;
using EmbeddedBroker.Web.Messages;
using EmbeddedBroker.Web.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace EmbeddedBroker.Web.Tests.Security;

/// <summary>
/// The embedded default (anonymous access): POST /api/publish still refuses what a page of another site can send —
/// a form or a no-cors fetch (not JSON: 415), a request with a foreign Origin (403) — and a foreign Host header
/// (DNS rebinding) gets 400. No CORS header is ever sent.
/// </summary>
[TestFixture]
[CancelAfter(60_000)]
public sealed class CrossSiteRequestTests
{
    private WebBroker broker = null!;

    [OneTimeSetUp]
    public async Task Start() => broker = await WebBroker.StartAsync("--Web:AllowedOrigins:0", "http://tools.example:8080");

    [OneTimeTearDown]
    public async Task Stop() => await broker.DisposeAsync();

    [TestCase("text/plain")]
    [TestCase("application/x-www-form-urlencoded")]
    [TestCase("multipart/form-data; boundary=x")]
    public async Task Publish_with_a_content_type_a_form_can_send_is_refused_415_and_publishes_nothing(string contentType)
    {
        var topic = $"xsite/{contentType.GetHashCode(StringComparison.Ordinal):x}";
        using var response = await SecuredWeb.SendAsync(broker, HttpMethod.Post, "/api/publish", json: $$"""{"topic":"{{topic}}","payload":"x","retain":true}""", contentType: contentType);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.UnsupportedMediaType));
        Assert.That(Recent(topic), Is.Empty);
    }

    [TestCase("http://evil.example")]
    [TestCase("null")]
    [TestCase("http://127.0.0.1:1")]
    public async Task Json_publish_from_a_foreign_origin_is_refused_403(string origin)
    {
        using var response = await SecuredWeb.SendAsync(broker, HttpMethod.Post, "/api/publish", json: """{"topic":"xsite/origin","payload":"x"}""", origin: origin);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(Recent("xsite/origin"), Is.Empty);
    }

    [Test]
    public async Task Json_publish_from_the_same_origin_a_listed_origin_or_without_origin_is_accepted()
    {
        using var same = await SecuredWeb.SendAsync(broker, HttpMethod.Post, "/api/publish", json: """{"topic":"xsite/same","payload":"x"}""",
            origin: $"http://127.0.0.1:{broker.WebSocketPort}");
        using var listed = await SecuredWeb.SendAsync(broker, HttpMethod.Post, "/api/publish", json: """{"topic":"xsite/listed","payload":"x"}""",
            origin: "http://tools.example:8080");
        using var none = await SecuredWeb.SendAsync(broker, HttpMethod.Post, "/api/publish", json: """{"topic":"xsite/none","payload":"x"}""", contentType: "application/json; charset=utf-8");

        Assert.That((same.StatusCode, listed.StatusCode, none.StatusCode), Is.EqualTo((HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK)));
    }

    [Test]
    public async Task Cors_preflight_gets_no_cors_headers_so_browsers_never_send_the_request()
    {
        using var request = new HttpRequestMessage(HttpMethod.Options, new Uri("/api/publish", UriKind.Relative));
        request.Headers.Add("Origin", "http://evil.example");
        request.Headers.Add("Access-Control-Request-Method", "POST");
        request.Headers.Add("Access-Control-Request-Headers", "content-type");

        using var response = await broker.Http.SendAsync(request);
        using var get = await SecuredWeb.SendAsync(broker, HttpMethod.Get, "/api/stats", origin: "http://evil.example");

        Assert.That(response.Headers.Concat(get.Headers).Select(h => h.Key), Has.None.StartsWith("Access-Control-"));
    }

    [TestCase("evil.example")]
    [TestCase("evil.example:9001")]
    [TestCase("192.168.1.10")]
    public async Task Foreign_host_header_is_refused_400_against_dns_rebinding(string host)
    {
        using var response = await SecuredWeb.SendAsync(broker, HttpMethod.Get, "/api/messages", host: host);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
    }

    [TestCase("localhost")]
    [TestCase("127.0.0.1")]
    [TestCase("[::1]")]
    public async Task Loopback_host_names_are_answered_on_any_port_when_the_listener_binds_loopback(string name)
    {
        using var response = await SecuredWeb.SendAsync(broker, HttpMethod.Get, "/api/stats", host: $"{name}:{broker.WebSocketPort}");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task Websocket_handshake_with_a_foreign_host_header_is_refused_400()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/mqtt", UriKind.Relative));
        request.Headers.Host = "evil.example";
        request.Headers.Add("Connection", "Upgrade");
        request.Headers.Add("Upgrade", "websocket");
        request.Headers.Add("Sec-WebSocket-Version", "13");
        request.Headers.Add("Sec-WebSocket-Key", Convert.ToBase64String(new byte[16]));
        request.Headers.Add("Sec-WebSocket-Protocol", "mqtt");

        using var response = await broker.Http.SendAsync(request);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
    }

    [Test]
    public async Task Credentials_are_ignored_when_no_password_file_or_acl_is_configured()
    {
        using var response = await SecuredWeb.SendAsync(broker, HttpMethod.Get, "/api/stats", SecuredWeb.Basic("someone", "anything"));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), "the embedded default checks nothing, over MQTT or HTTP");
    }

    private IReadOnlyList<MqttApplicationMessage> Recent(string topic) =>
        broker.Services.GetRequiredService<RecentMessageLog>().Query(topic, null, 1);
}
