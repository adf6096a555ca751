using System.Collections;
using System.Reflection;
using System.Runtime.CompilerServices;
using EmbeddedBroker.Broker.Hooks;
using EmbeddedBroker.Broker.Tests.Harness;
using EmbeddedBroker.Protocol;

namespace EmbeddedBroker.Broker.Tests.Messages;

/// <summary>
/// One message object is shared by every subscriber queue, the retained store, observers and hooks: nothing any of
/// them does can change what another sees.
/// </summary>
internal sealed class MessageImmutabilityTests : BrokerScenario
{
    private readonly TamperingObserver _tamperer = new();
    private readonly SeeingObserver _seer = new();

    protected override MqttBrokerHooks Hooks => new() { Observers = [_tamperer, _seer] };

    [TestCase(typeof(MqttApplicationMessage))]
    [TestCase(typeof(MqttProperties))]
    public void Message_types_have_no_public_setter_only_init(Type type)
    {
        var settable = type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.SetMethod is { IsPublic: true } setter &&
                        !setter.ReturnParameter.GetRequiredCustomModifiers().Contains(typeof(IsExternalInit)))
            .Select(p => p.Name);
        Assert.That(settable, Is.Empty);
    }

    [Test]
    public void Property_lists_are_copied_and_read_only_so_the_caller_keeps_no_handle_on_them()
    {
        var userProperties = new List<MqttUserProperty> { new("unit", "C") };
        var properties = new MqttProperties { UserProperties = userProperties, SubscriptionIdentifiers = [1] };
        userProperties.Add(new MqttUserProperty("late", "added"));

        Assert.Multiple(() =>
        {
            Assert.That(properties.UserProperties, Has.Count.EqualTo(1), "a later change of the caller's list is not seen");
            Assert.That(((IList)properties.UserProperties!).IsReadOnly, Is.True);
            Assert.That(((IList)properties.SubscriptionIdentifiers!).IsReadOnly, Is.True);
            Assert.Throws<NotSupportedException>(() => ((ICollection<MqttUserProperty>)properties.UserProperties!).Add(new("x", "y")));
        });
    }

    [Test]
    public async Task An_observer_that_tries_to_change_a_message_changes_nothing_a_subscriber_or_the_retained_store_sees()
    {
        var subscriber = await ConnectedClientAsync("s", version: MqttProtocolVersion.V500);
        await subscriber.SubscribeAsync("t");
        var message = Message("t", "original", retain: true) with
        {
            Properties = new MqttProperties { UserProperties = [new("k", "v")], ContentType = "text/plain" },
        };

        await Broker.PublishAsync(message);

        var received = await subscriber.ReceivePublishAsync();
        Assert.Multiple(() =>
        {
            Assert.That(_tamperer.Failures, Is.EqualTo(2), "both attempts were refused");
            Assert.That(received.Text(), Is.EqualTo("original"));
            Assert.That(received.Properties.UserProperties, Is.EqualTo(new[] { new MqttUserProperty("k", "v") }));
            Assert.That(_seer.Seen!.Properties.UserProperties, Has.Count.EqualTo(1));
            Assert.That(Broker.GetRetainedMessages().Single(), Is.SameAs(_seer.Seen));
        });
    }

    [Test]
    public void A_hook_that_wants_another_message_builds_a_new_one_and_the_original_is_untouched()
    {
        var original = Message("t", "a") with { Properties = new MqttProperties { ContentType = "text/plain" } };
        var rewritten = original with { Payload = "b"u8.ToArray(), Properties = original.Properties with { ContentType = "x" } };
        Assert.Multiple(() =>
        {
            Assert.That(original.Payload.ToArray(), Is.EqualTo("a"u8.ToArray()));
            Assert.That(original.Properties.ContentType, Is.EqualTo("text/plain"));
            Assert.That(rewritten, Is.Not.EqualTo(original), "messages compare by identity");
        });
    }

    /// <summary>Tries what a careless observer could do with the message it is given.</summary>
    private sealed class TamperingObserver : IPublishObserver
    {
        public int Failures { get; private set; }

        public PublishReceipt OnMessageAccepted(MqttApplicationMessage message)
        {
            Try(() => ((ICollection<MqttUserProperty>)message.Properties.UserProperties!).Clear());
            Try(() => ((IList<MqttUserProperty>)message.Properties.UserProperties!)[0] = new MqttUserProperty("k", "changed"));
            return PublishReceipt.None;
        }

        private void Try(Action tamper)
        {
            try
            {
                tamper();
            }
            catch (NotSupportedException)
            {
                Failures++;
            }
        }
    }

    private sealed class SeeingObserver : IPublishObserver
    {
        public MqttApplicationMessage? Seen { get; private set; }

        public PublishReceipt OnMessageAccepted(MqttApplicationMessage message)
        {
            Seen = message;
            return PublishReceipt.None;
        }
    }
}
