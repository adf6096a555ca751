using EmbeddedBroker.Broker.Subscriptions;
using EmbeddedBroker.Protocol;
using EmbeddedBroker.Protocol.Packets;

namespace EmbeddedBroker.Broker.Tests.Subscriptions;

internal sealed class SubscriptionTreeTests
{
    private SubscriptionTree<string> _tree = null!;

    [SetUp]
    public void CreateTree() => _tree = new SubscriptionTree<string>();

    [TearDown]
    public void DisposeTree() => _tree.Dispose();

    private void Subscribe(string subscriber, string filter, MqttQualityOfService qos = MqttQualityOfService.AtMostOnce) =>
        _tree.AddOrReplace(subscriber, new MqttTopicSubscription(filter, qos));

    private List<string> Match(string topic)
    {
        var results = new List<SubscriptionMatch<string>>();
        _tree.Match(topic, results, []);
        return [.. results.Select(r => $"{r.Subscriber}:{r.Subscription.TopicFilter}").Order(StringComparer.Ordinal)];
    }

    // Examples of 3.1.1 section 4.7.1.2/4.7.1.3 and 4.7.2.
    [TestCase("sport/tennis/player1/#", "sport/tennis/player1", true)]
    [TestCase("sport/tennis/player1/#", "sport/tennis/player1/ranking", true)]
    [TestCase("sport/tennis/player1/#", "sport/tennis/player1/score/wimbledon", true)]
    [TestCase("sport/#", "sport", true)]
    [TestCase("#", "any/thing/at/all", true)]
    [TestCase("sport/tennis/+", "sport/tennis/player1", true)]
    [TestCase("sport/tennis/+", "sport/tennis/player1/ranking", false)]
    [TestCase("sport/+", "sport", false)]
    [TestCase("sport/+", "sport/", true)]
    [TestCase("+/+", "/finance", true)]
    [TestCase("/+", "/finance", true)]
    [TestCase("+", "/finance", false)]
    [TestCase("a//b", "a//b", true)]
    [TestCase("a/+/b", "a//b", true)]
    [TestCase("Accounts", "accounts", false)]
    [TestCase("#", "$SYS/broker", false)]
    [TestCase("+/monitor/Clients", "$SYS/monitor/Clients", false)]
    [TestCase("$SYS/#", "$SYS/monitor/Clients", true)]
    [TestCase("$SYS/monitor/+", "$SYS/monitor/Clients", true)]
    [TestCase("a/#", "$a/b", false)]
    public void Filter_matches_topic_as_section_4_7_says(string filter, string topic, bool expected)
    {
        Subscribe("s", filter);
        Assert.That(Match(topic), expected ? Has.Count.EqualTo(1) : Is.Empty);
        // The tree and the codec's reference matcher agree.
        Assert.That(MqttTopic.Matches(filter, topic), Is.EqualTo(expected));
    }

    [Test]
    public void Every_matching_subscription_is_returned_once_per_filter()
    {
        Subscribe("a", "home/#");
        Subscribe("a", "home/+/temp");
        Subscribe("b", "home/kitchen/temp");
        Subscribe("c", "office/#");
        Assert.That(Match("home/kitchen/temp"), Is.EqualTo(new[] { "a:home/#", "a:home/+/temp", "b:home/kitchen/temp" }));
    }

    [Test]
    public void Subscribing_again_replaces_and_reports_not_new_MQTT_3_8_4_3()
    {
        Assert.That(_tree.AddOrReplace("a", new MqttTopicSubscription("t", MqttQualityOfService.AtMostOnce)), Is.True);
        Assert.That(_tree.AddOrReplace("a", new MqttTopicSubscription("t", MqttQualityOfService.ExactlyOnce)), Is.False);
        var results = new List<SubscriptionMatch<string>>();
        _tree.Match("t", results, []);
        Assert.That(results.Single().Subscription.MaximumQos, Is.EqualTo(MqttQualityOfService.ExactlyOnce));
        Assert.That(_tree.Count, Is.EqualTo(1));
    }

    [Test]
    public void Remove_deletes_only_that_subscriber_and_filter()
    {
        Subscribe("a", "x/+");
        Subscribe("b", "x/+");
        Subscribe("a", "x/#");
        Assert.That(_tree.Remove("a", "x/+"), Is.True);
        Assert.That(_tree.Remove("a", "x/+"), Is.False);
        Assert.That(_tree.Remove("a", "never"), Is.False);
        Assert.That(Match("x/1"), Is.EqualTo(new[] { "a:x/#", "b:x/+" }));
        Assert.That(_tree.Count, Is.EqualTo(2));
    }

    [Test]
    public void Removing_everything_prunes_the_tree_and_matching_finds_nothing()
    {
        Subscribe("a", "a/b/c/d");
        Subscribe("a", "a/+/#");
        _tree.Remove("a", "a/b/c/d");
        _tree.Remove("a", "a/+/#");
        Assert.That(_tree.Count, Is.Zero);
        Assert.That(Match("a/b/c/d"), Is.Empty);
        Subscribe("a", "a/b/c/d"); // the pruned path can be built again
        Assert.That(Match("a/b/c/d"), Has.Count.EqualTo(1));
    }

    [Test]
    public void Concurrent_subscribes_and_matches_stay_consistent()
    {
        Parallel.For(0, 2000, i =>
        {
            var subscriber = $"s{i % 50}";
            var filter = $"load/{i % 20}/+";
            if (i % 3 == 0)
                _tree.Remove(subscriber, filter);
            else
                _tree.AddOrReplace(subscriber, new MqttTopicSubscription(filter, MqttQualityOfService.AtMostOnce));
            var results = new List<SubscriptionMatch<string>>();
            _tree.Match($"load/{i % 20}/x", results, []);
            Assert.That(results.All(r => r.Subscription.TopicFilter == $"load/{i % 20}/+"));
        });
        // i % 50 and i % 20 repeat every 100: at most 100 distinct (subscriber, filter) pairs.
        Assert.That(_tree.Count, Is.LessThanOrEqualTo(100));
    }

    [Test]
    public void A_shared_subscription_is_matched_as_its_group_at_the_inner_filter_MQTT_4_8_2()
    {
        _tree.AddOrReplace("a", new MqttTopicSubscription("$share/g/sport/#", MqttQualityOfService.AtLeastOnce));
        _tree.AddOrReplace("b", new MqttTopicSubscription("$share/g/sport/#", MqttQualityOfService.AtMostOnce));
        _tree.AddOrReplace("c", new MqttTopicSubscription("$share/h/sport/tennis", MqttQualityOfService.AtMostOnce));
        _tree.AddOrReplace("a", new MqttTopicSubscription("sport/tennis", MqttQualityOfService.AtMostOnce));

        var ordinary = new List<SubscriptionMatch<string>>();
        var groups = new List<SharedGroup<string>>();
        _tree.Match("sport/tennis", ordinary, groups);

        Assert.That(ordinary.Select(m => m.Subscriber), Is.EqualTo(new[] { "a" }), "the ordinary subscription is separate from the shared one");
        Assert.That(groups.Select(g => (g.Name, g.Filter, g.Members.Length)).OrderBy(g => g.Name),
            Is.EqualTo(new[] { ("g", "sport/#", 2), ("h", "sport/tennis", 1) }));
        Assert.That(_tree.Count, Is.EqualTo(4));
    }

    [Test]
    public void Removing_the_last_member_removes_the_group_and_prunes_the_branch()
    {
        _tree.AddOrReplace("a", new MqttTopicSubscription("$share/g/x/y", MqttQualityOfService.AtMostOnce));
        Assert.That(_tree.Remove("a", "x/y"), Is.False, "the ordinary filter is another subscription");
        Assert.That(_tree.Remove("a", "$share/g/x/y"), Is.True);
        var groups = new List<SharedGroup<string>>();
        _tree.Match("x/y", [], groups);
        Assert.That(groups, Is.Empty);
        Assert.That(_tree.Count, Is.Zero);
    }
}
