using System.Collections.Concurrent;
using EmbeddedBroker.Broker.Hooks;
using EmbeddedBroker.Broker.Tests.Harness;
using EmbeddedBroker.Protocol;
using EmbeddedBroker.Protocol.Packets;

namespace EmbeddedBroker.Broker.Tests.Scenarios;

/// <summary>Every source goes through one pipeline: validate, authorize, intercept, observe, retain, fan out.</summary>
internal sealed class PipelineTests : BrokerScenario
{
    private RecordingObserver _observer = new();

    /// <summary>NUnit reuses the fixture instance: fresh hooks per test (the base [SetUp] reads this).</summary>
    protected override MqttBrokerHooks Hooks
    {
        get
        {
            _observer = new RecordingObserver();
            return new MqttBrokerHooks
            {
                Observers = [_observer],
                PublishAuthorizer = new DenyTopicAuthorizer("forbidden"),
                Interceptors = [new RewritingInterceptor()],
            };
        }
    }

    [Test]
    public async Task Observers_see_client_will_and_api_messages_with_their_source()
    {
        var client = NewClient();
        await client.ConnectOkAsync("c", will: new MqttWill { Topic = "will/c", Payload = "w"u8.ToArray() });
        await client.PublishAsync("from/client", "1", MqttQualityOfService.AtLeastOnce);
        await Broker.PublishAsync(Message("from/api", "2"));
        await client.AbortAsync();
        await WaitUntilAsync(() => _observer.Messages.Count == 3, "three messages are observed");

        Assert.That(_observer.Messages.Select(m => (m.Topic, m.Source)), Is.EquivalentTo(new[]
        {
            ("from/client", MessageSource.Client), ("from/api", MessageSource.Api), ("will/c", MessageSource.Will),
        }));
        Assert.That(_observer.Messages.First(m => m.Source == MessageSource.Client).SourceClientId, Is.EqualTo("c"));
    }

    [TestCase(MessageSource.Api)]
    [TestCase(MessageSource.Simulator)]
    public async Task Dollar_topics_are_refused_from_every_source_but_the_brokers_own_SYS_publisher_MQTT_4_7_2_1(MessageSource source)
    {
        var subscriber = await ConnectedClientAsync("sub");
        await subscriber.SubscribeAsync("$SYS/#");
        var outcome = await Broker.PublishAsync(Message("$SYS/broker/version", "forged", retain: true) with { Source = source });

        Assert.That(outcome, Is.EqualTo(PublishOutcome.DollarTopicDropped));
        await subscriber.AssertNothingReceivedAsync();
        Assert.That(Broker.GetRetainedMessages(), Is.Empty);
        Assert.That(_observer.Messages, Is.Empty);
    }

    [Test]
    public async Task The_brokers_own_SYS_messages_pass_the_dollar_rule()
    {
        var outcome = await Broker.PublishAsync(Message("$SYS/test", "1") with { Source = MessageSource.System });
        Assert.That(outcome, Is.EqualTo(PublishOutcome.NoSubscribers));
        Assert.That(_observer.Messages.Single().Topic, Is.EqualTo("$SYS/test"));
    }

    [Test]
    public async Task Refused_message_is_acknowledged_but_neither_observed_nor_delivered()
    {
        var subscriber = await ConnectedClientAsync("sub");
        await subscriber.SubscribeAsync("#");
        var publisher = await ConnectedClientAsync("pub");
        Assert.That(await publisher.PublishAsync("forbidden", "x", MqttQualityOfService.AtLeastOnce), Is.EqualTo(MqttReasonCode.Success));
        await subscriber.AssertNothingReceivedAsync();
        Assert.That(_observer.Messages, Is.Empty);
        Assert.That(Broker.Statistics.PublishesNotAuthorized, Is.EqualTo(1));
    }

    [Test]
    public async Task Refused_message_gets_PUBACK_0x87_for_mqtt5()
    {
        var publisher = NewClient(MqttProtocolVersion.V500);
        await publisher.ConnectOkAsync("pub");
        Assert.That(await publisher.PublishAsync("forbidden", "x", MqttQualityOfService.AtLeastOnce), Is.EqualTo(MqttReasonCode.NotAuthorized));
        Assert.That(await publisher.PublishAsync("forbidden", "x", MqttQualityOfService.ExactlyOnce), Is.EqualTo(MqttReasonCode.NotAuthorized));
    }

    [Test]
    public async Task Interceptor_can_replace_or_drop_a_message_before_observers_and_retain()
    {
        var subscriber = await ConnectedClientAsync("sub");
        await subscriber.SubscribeAsync("in/#");
        await Broker.PublishAsync(Message("in/upper", "shout", retain: true));
        await Broker.PublishAsync(Message("in/drop", "silence", retain: true));

        Assert.That((await subscriber.ReceivePublishAsync()).Text(), Is.EqualTo("SHOUT"));
        await subscriber.AssertNothingReceivedAsync();
        Assert.That(_observer.Messages.Select(m => m.Topic), Is.EqualTo(new[] { "in/upper" }));
        Assert.That(Broker.GetRetainedMessages().Single().Payload.ToArray(), Is.EqualTo("SHOUT"u8.ToArray()));
    }

    [Test]
    public async Task Api_publish_with_an_invalid_topic_throws()
    {
        await Assert.ThrowsAsync<ArgumentException>(async () => await Broker.PublishAsync(Message("a/+", "x")));
        await Assert.ThrowsAsync<ArgumentException>(async () => await Broker.PublishAsync(Message("", "x")));
    }

    [Test]
    public async Task Failing_observer_does_not_break_publishing()
    {
        _observer.Throw = true;
        var subscriber = await ConnectedClientAsync("sub");
        await subscriber.SubscribeAsync("t");
        await Broker.PublishAsync(Message("t", "still-delivered"));
        await Broker.PublishAsync(Message("t", "again"));
        Assert.That((await subscriber.ReceivePublishAsync()).Text(), Is.EqualTo("still-delivered"));
        Assert.That((await subscriber.ReceivePublishAsync()).Text(), Is.EqualTo("again"));
        Assert.That(Broker.Statistics.ObserverFailures, Is.EqualTo(2));
    }

    [Test]
    public async Task One_message_instance_is_shared_by_observers_and_retained_store()
    {
        await Broker.PublishAsync(Message("shared", "x", retain: true));
        Assert.That(Broker.GetRetainedMessages().Single(), Is.SameAs(_observer.Messages.Single()));
    }

    private sealed class RecordingObserver : IPublishObserver
    {
        public ConcurrentQueue<MqttApplicationMessage> Messages { get; } = new();
        public bool Throw { get; set; }

        public PublishReceipt OnMessageAccepted(MqttApplicationMessage message)
        {
            if (Throw)
                throw new InvalidOperationException("observer failure");
            Messages.Enqueue(message);
            return PublishReceipt.None;
        }
    }

    private sealed class DenyTopicAuthorizer(string topic) : IPublishAuthorizer
    {
        public async ValueTask<bool> AuthorizePublishAsync(MqttClientIdentity? publisher, MqttApplicationMessage message, CancellationToken cancellationToken)
        {
            await Task.Yield(); // exercise the asynchronous path of the pipeline
            return message.Topic != topic;
        }
    }

    private sealed class RewritingInterceptor : IPublishInterceptor
    {
        public MqttApplicationMessage? Intercept(MqttApplicationMessage message) => message.Topic switch
        {
            "in/drop" => null,
            "in/upper" => new MqttApplicationMessage
            {
                Topic = message.Topic,
                Payload = System.Text.Encoding.UTF8.GetBytes(System.Text.Encoding.UTF8.GetString(message.Payload.Span).ToUpperInvariant()),
                Qos = message.Qos,
                Retain = message.Retain,
                Source = message.Source,
            },
            _ => message,
        };
    }
}
