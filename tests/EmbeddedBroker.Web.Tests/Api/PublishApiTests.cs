using System.Net;
using System.Text;
using System.Text.Json;
using EmbeddedBroker.Broker;
using EmbeddedBroker.Protocol;
using EmbeddedBroker.Web.Messages;
using EmbeddedBroker.Web.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace EmbeddedBroker.Web.Tests.Api;

/// <summary>POST /api/publish: through the broker's one publish pipeline (so subscribers and the recorder see it), with 400s naming the field.</summary>
[TestFixture]
[CancelAfter(60_000)]
public sealed class PublishApiTests
{
    private WebBroker broker = null!;

    [OneTimeSetUp]
    public async Task StartBroker() => broker = await WebBroker.StartAsync("--Web:Api:MaxRequestBodyBytes", "1024");

    [OneTimeTearDown]
    public async Task StopBroker() => await broker.DisposeAsync();

    [Test]
    public async Task Published_message_reaches_a_tcp_subscriber_and_the_recorder_with_source_Api()
    {
        await using var subscriber = await broker.ConnectTcpClientAsync("api-sub");
        await subscriber.SubscribeAsync(("api/one", MqttQualityOfService.AtLeastOnce));

        using var response = await broker.PostJsonAsync("/api/publish", """{"topic":"api/one","payload":"hello","qos":1}""");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.That(body.RootElement.GetProperty("payloadBytes").GetInt32(), Is.EqualTo(5));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var message = await subscriber.Messages.ReadAsync(timeout.Token);
        Assert.That((message.Topic, Encoding.UTF8.GetString(message.Payload.Span), message.Qos), Is.EqualTo(("api/one", "hello", MqttQualityOfService.AtLeastOnce)));
        var recent = broker.Services.GetRequiredService<RecentMessageLog>().Query("api/one", null, 10);
        Assert.That(recent.Single().Source, Is.EqualTo(MessageSource.Api));
        await broker.WaitForExportsAsync("api/one");
    }

    [Test]
    public async Task Retained_message_is_delivered_to_a_later_subscriber_MQTT_3_3_1_6()
    {
        using var response = await broker.PostJsonAsync("/api/publish", """{"topic":"api/retained","payload":"kept","retain":true}""");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));

        await using var late = await broker.ConnectTcpClientAsync("api-late");
        await late.SubscribeAsync(("api/retained", MqttQualityOfService.AtMostOnce));

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var message = await late.Messages.ReadAsync(timeout.Token);
        Assert.That((Encoding.UTF8.GetString(message.Payload.Span), message.Retain), Is.EqualTo(("kept", true)));
    }

    [Test]
    public async Task Base64_payload_is_published_as_the_bytes_it_encodes()
    {
        using var response = await broker.PostJsonAsync("/api/publish", """{"topic":"api/binary","payload":"AP8Q","encoding":"base64"}""");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var message = broker.Services.GetRequiredService<RecentMessageLog>().Query("api/binary", null, 1).Single();
        Assert.That(message.Payload.ToArray(), Is.EqualTo(new byte[] { 0x00, 0xFF, 0x10 }));
    }

    [Test]
    public async Task Json_value_payload_is_published_as_its_json_text()
    {
        using var response = await broker.PostJsonAsync("/api/publish", """{"topic":"api/json","payload":{"t":21.5,"ok":true}}""");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var message = broker.Services.GetRequiredService<RecentMessageLog>().Query("api/json", null, 1).Single();
        Assert.That(Encoding.UTF8.GetString(message.Payload.Span), Is.EqualTo("""{"t":21.5,"ok":true}"""));
    }

    [Test]
    public async Task Missing_payload_publishes_an_empty_message()
    {
        using var response = await broker.PostJsonAsync("/api/publish", """{"topic":"api/empty"}""");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(broker.Services.GetRequiredService<RecentMessageLog>().Query("api/empty", null, 1).Single().Payload.Length, Is.Zero);
    }

    [TestCase("""{"payload":"x"}""", "topic", TestName = "Missing topic is a 400 naming topic")]
    [TestCase("""{"topic":""}""", "topic", TestName = "Empty topic is a 400 naming topic MQTT_4_7_3_1")]
    [TestCase("""{"topic":"a/+"}""", "topic", TestName = "Wildcard topic is a 400 naming topic MQTT_3_3_2_2")]
    [TestCase("""{"topic":"a/#"}""", "topic", TestName = "Multi-level wildcard topic is a 400 naming topic MQTT_3_3_2_2")]
    [TestCase("""{"topic":5}""", "topic", TestName = "Numeric topic is a 400 naming topic")]
    [TestCase("""{"topic":"a","qos":3}""", "qos", TestName = "QoS 3 is a 400 naming qos")]
    [TestCase("""{"topic":"a","qos":-1}""", "qos", TestName = "Negative QoS is a 400 naming qos")]
    [TestCase("""{"topic":"a","qos":"1"}""", "qos", TestName = "QoS as a string is a 400 naming qos")]
    [TestCase("""{"topic":"a","qos":1.5}""", "qos", TestName = "Fractional QoS is a 400 naming qos")]
    [TestCase("""{"topic":"a","retain":"yes"}""", "retain", TestName = "Non-boolean retain is a 400 naming retain")]
    [TestCase("""{"topic":"a","encoding":"latin1"}""", "encoding", TestName = "Unknown encoding is a 400 naming encoding")]
    [TestCase("""{"topic":"a","payload":"not base64!","encoding":"base64"}""", "payload", TestName = "Invalid base64 is a 400 naming payload")]
    [TestCase("""{"topic":"a","payload":{"x":1},"encoding":"base64"}""", "payload", TestName = "Base64 with a non-string payload is a 400 naming payload")]
    [TestCase("""{"topic":"a","retian":true}""", "retian", TestName = "Unknown field is a 400 naming that field")]
    [TestCase("""["topic","a"]""", "body", TestName = "Array body is a 400 naming body")]
    [TestCase("""{"topic":"a",""", "body", TestName = "Truncated JSON is a 400 naming body")]
    [TestCase("", "body", TestName = "Empty body is a 400 naming body")]
    public async Task Invalid_request_is_a_400_naming_the_field(string json, string field)
    {
        var receivedBefore = broker.Broker.Statistics.MessagesReceived;

        using var response = await broker.PostJsonAsync("/api/publish", json);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/json"));
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.That(body.RootElement.GetProperty("field").GetString(), Is.EqualTo(field));
        Assert.That(body.RootElement.GetProperty("error").GetString(), Is.Not.Empty);
        Assert.That(broker.Broker.Statistics.MessagesReceived, Is.EqualTo(receivedBefore), "nothing was published");
    }

    [Test]
    public async Task Body_over_the_limit_is_a_413_before_anything_is_published()
    {
        var payload = new string('x', 2000);

        using var response = await broker.PostJsonAsync("/api/publish", $$"""{"topic":"api/big","payload":"{{payload}}"}""");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.RequestEntityTooLarge));
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.That(body.RootElement.GetProperty("field").GetString(), Is.EqualTo("body"));
        Assert.That(broker.Services.GetRequiredService<RecentMessageLog>().Query("api/big", null, 1), Is.Empty);
    }

    [Test]
    public async Task Chunked_body_over_the_limit_is_a_413()
    {
        var json = $$"""{"topic":"api/chunked","payload":"{{new string('x', 2000)}}"}""";
        using var content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(json)));
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/publish") { Content = content };
        request.Headers.TransferEncodingChunked = true;

        using var response = await broker.Http.SendAsync(request);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.RequestEntityTooLarge));
        Assert.That(broker.Services.GetRequiredService<RecentMessageLog>().Query("api/chunked", null, 1), Is.Empty);
    }

    [Test]
    public async Task Get_on_publish_is_405()
    {
        using var response = await broker.Http.GetAsync(new Uri("/api/publish", UriKind.Relative));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.MethodNotAllowed));
    }
}
