using System.Net;
using System.Text.Json;
using EmbeddedBroker.Web.Messages;
using Microsoft.Extensions.DependencyInjection;

namespace EmbeddedBroker.Web.Tests.Security;

/// <summary>The ACL file applies to the HTTP user as to an MQTT client of that name: read rules filter
/// GET /api/messages, write rules gate POST /api/publish.</summary>
[TestFixture]
[CancelAfter(60_000)]
public sealed class WebAclTests
{
    private SecuredWeb web = null!;

    [OneTimeSetUp]
    public async Task Start()
    {
        web = await SecuredWeb.StartAsync();
        foreach (var topic in new[] { "sensors/a", "sensors/secret/b", "other/c" })
        {
            await web.Broker.Broker.PublishAsync(new MqttApplicationMessage { Topic = topic, Payload = "v"u8.ToArray() });
        }

        var log = web.Broker.Services.GetRequiredService<RecentMessageLog>();
        await Eventually.HoldsAsync(() => log.Count >= 3, "the three messages are in the recent log");
    }

    [OneTimeTearDown]
    public async Task Stop() => await web.DisposeAsync();

    [Test]
    public async Task Messages_api_returns_only_topics_the_user_may_read()
    {
        var alice = await TopicsAsync("alice", "s3cret");
        var bob = await TopicsAsync("bob", "hunter2");

        Assert.That(alice, Does.Contain("sensors/a").And.Not.Contain("sensors/secret/b").And.Not.Contain("other/c"));
        Assert.That(alice, Is.All.StartsWith("sensors/"), "alice reads sensors/# only (she may write commands/#, not read it)");
        Assert.That(bob, Is.SupersetOf(new[] { "sensors/a", "sensors/secret/b", "other/c" }));
    }

    private async Task<List<string?>> TopicsAsync(string user, string password)
    {
        using var response = await SecuredWeb.SendAsync(web.Broker, HttpMethod.Get, "/api/messages", SecuredWeb.Basic(user, password));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return body.RootElement.EnumerateArray().Select(m => m.GetProperty("topic").GetString()).ToList();
    }

    [Test]
    public async Task Topic_filter_of_the_messages_api_cannot_widen_what_the_acl_denies()
    {
        using var response = await SecuredWeb.SendAsync(web.Broker, HttpMethod.Get, "/api/messages?topic=sensors/secret/%23", SecuredWeb.Basic("alice", "s3cret"));

        Assert.That(await response.Content.ReadAsStringAsync(), Is.EqualTo("[]"));
    }

    [TestCase("alice", "s3cret", "commands/door", HttpStatusCode.OK)]
    [TestCase("alice", "s3cret", "sensors/a", HttpStatusCode.Forbidden)]
    [TestCase("bob", "hunter2", "published/by-bob", HttpStatusCode.OK)]
    [TestCase("bob", "hunter2", "$SYS/broker/x", HttpStatusCode.Forbidden)]
    public async Task Publish_api_needs_write_access_else_403(string user, string password, string topic, HttpStatusCode expected)
    {
        using var response = await SecuredWeb.SendAsync(web.Broker, HttpMethod.Post, "/api/publish", SecuredWeb.Basic(user, password),
            json: JsonSerializer.Serialize(new { topic, payload = "p" }));

        Assert.That(response.StatusCode, Is.EqualTo(expected), await response.Content.ReadAsStringAsync());
    }
}
