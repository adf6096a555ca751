using EmbeddedBroker.Protocol;

namespace EmbeddedBroker.Persistence.Tests.Support;

internal static class Messages
{
    /// <summary>A message with every stored field set to a non-default value, including every MQTT 5 publication property.</summary>
    public static MqttApplicationMessage Full(string topic, byte[]? payload = null) => new()
    {
        Topic = topic,
        Payload = payload ?? [0, 1, 2, 0xFF, 0x80],
        Qos = MqttQualityOfService.ExactlyOnce,
        Retain = true,
        SourceClientId = "publisher-7",
        Source = MessageSource.Api,
        ReceivedAt = new DateTimeOffset(2026, 3, 4, 5, 6, 7, TimeSpan.Zero).AddTicks(1_234_567),
        Properties = new MqttProperties
        {
            PayloadFormatIndicator = 1,
            MessageExpiryInterval = 3600,
            ContentType = "application/json; charset=utf-8",
            ResponseTopic = "reply/to/me",
            CorrelationData = new byte[] { 9, 8, 7, 0 },
            UserProperties = [new("k", "1"), new("k", "2"), new("ünï", "\"quoted\" 🙂 [x]")],
        },
    };

    public static MqttApplicationMessage Plain(string topic, string payload) => new()
    {
        Topic = topic,
        Payload = System.Text.Encoding.UTF8.GetBytes(payload),
        Qos = MqttQualityOfService.AtLeastOnce,
        Retain = true,
    };

    public static string Text(this MqttApplicationMessage message) => System.Text.Encoding.UTF8.GetString(message.Payload.Span);

    /// <summary>Asserts that <paramref name="actual"/> carries exactly what <paramref name="expected"/> did.</summary>
    public static void AssertSame(MqttApplicationMessage expected, MqttApplicationMessage actual)
    {
        Assert.Multiple(() =>
        {
            Assert.That(actual.Topic, Is.EqualTo(expected.Topic));
            Assert.That(actual.Payload.ToArray(), Is.EqualTo(expected.Payload.ToArray()));
            Assert.That(actual.Qos, Is.EqualTo(expected.Qos));
            Assert.That(actual.Retain, Is.EqualTo(expected.Retain));
            Assert.That(actual.SourceClientId, Is.EqualTo(expected.SourceClientId));
            Assert.That(actual.Source, Is.EqualTo(expected.Source));
            Assert.That(actual.ReceivedAt, Is.EqualTo(expected.ReceivedAt));
            Assert.That(actual.ReceivedAt.UtcTicks, Is.EqualTo(expected.ReceivedAt.UtcTicks), "ReceivedAt to the tick");
            var (e, a) = (expected.Properties, actual.Properties);
            Assert.That(a.PayloadFormatIndicator, Is.EqualTo(e.PayloadFormatIndicator));
            Assert.That(a.MessageExpiryInterval, Is.EqualTo(e.MessageExpiryInterval));
            Assert.That(a.ContentType, Is.EqualTo(e.ContentType));
            Assert.That(a.ResponseTopic, Is.EqualTo(e.ResponseTopic));
            Assert.That(a.CorrelationData?.ToArray(), Is.EqualTo(e.CorrelationData?.ToArray()));
            Assert.That(a.UserProperties, Is.EqualTo(e.UserProperties));
            Assert.That(a.IsEmpty, Is.EqualTo(e.IsEmpty));
        });
    }
}
