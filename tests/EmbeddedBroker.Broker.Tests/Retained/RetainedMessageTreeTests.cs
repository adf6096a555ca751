using EmbeddedBroker.Broker.Retained;

namespace EmbeddedBroker.Broker.Tests.Retained;

/// <summary>The retained store as a level tree: every filter form finds exactly the topics MQTT 4.7 says it matches.</summary>
internal sealed class RetainedMessageTreeTests
{
    private static readonly string[] Topics =
    [
        "sport", "sport/tennis", "sport/tennis/player1", "sport/tennis/player1/ranking", "sport/golf",
        "/finance", "a//b", "a/", "$SYS/broker/uptime", "$SYS", "x/$y",
    ];

    private static RetainedMessageTree TreeWithAllTopics()
    {
        var tree = new RetainedMessageTree();
        foreach (var topic in Topics)
            tree.Apply(Retained(topic, "v"));
        return tree;
    }

    private static MqttApplicationMessage Retained(string topic, string payload) =>
        new() { Topic = topic, Payload = System.Text.Encoding.UTF8.GetBytes(payload), Retain = true };

    private static string[] Match(RetainedMessageTree tree, string filter)
    {
        var results = new List<MqttApplicationMessage>();
        tree.CollectMatches(filter, results);
        return [.. results.Select(m => m.Topic).Order(StringComparer.Ordinal)];
    }

    [TestCase("sport/tennis", new[] { "sport/tennis" })]
    [TestCase("sport/tennis/#", new[] { "sport/tennis", "sport/tennis/player1", "sport/tennis/player1/ranking" })] // '#' includes the parent (4.7.1.2)
    [TestCase("sport/+", new[] { "sport/golf", "sport/tennis" })]
    [TestCase("sport/+/player1", new[] { "sport/tennis/player1" })]
    [TestCase("+", new[] { "sport" })] // "/finance" has two levels; '$' topics are not matched by a root wildcard
    [TestCase("+/+", new[] { "/finance", "a/", "sport/golf", "sport/tennis", "x/$y" })]
    [TestCase("/+", new[] { "/finance" })]
    [TestCase("a/+/b", new[] { "a//b" })]
    [TestCase("a/+", new[] { "a/" })]
    [TestCase("x/+", new[] { "x/$y" })] // '$' only matters at the first level
    [TestCase("nothing/#", new string[0])]
    public void Filters_match_the_topics_of_4_7(string filter, string[] expected) =>
        Assert.That(Match(TreeWithAllTopics(), filter), Is.EqualTo(expected.Order(StringComparer.Ordinal).ToArray()));

    [Test]
    public void A_root_hash_matches_every_topic_except_those_starting_with_dollar_MQTT_4_7_2_1()
    {
        var expected = Topics.Where(t => !t.StartsWith('$')).Order(StringComparer.Ordinal).ToArray();
        Assert.That(Match(TreeWithAllTopics(), "#"), Is.EqualTo(expected));
    }

    [Test]
    public void Dollar_topics_are_matched_by_filters_that_name_their_first_level_MQTT_4_7_2_1()
    {
        var tree = TreeWithAllTopics();
        Assert.That(Match(tree, "$SYS/#"), Is.EqualTo(new[] { "$SYS", "$SYS/broker/uptime" }));
        Assert.That(Match(tree, "$SYS/+/uptime"), Is.EqualTo(new[] { "$SYS/broker/uptime" }));
    }

    [Test]
    public void A_new_retained_message_replaces_the_old_one_MQTT_3_3_1_5()
    {
        var tree = new RetainedMessageTree();
        tree.Apply(Retained("t", "old"));
        var latest = Retained("t", "new");
        tree.Apply(latest);
        Assert.That(tree.Count, Is.EqualTo(1));
        Assert.That(tree.Snapshot().Single(), Is.SameAs(latest));
    }

    [Test]
    public void An_empty_payload_clears_the_topic_and_prunes_its_branch_MQTT_3_3_1_10_and_11()
    {
        var tree = TreeWithAllTopics();
        tree.Apply(Retained("sport/tennis/player1/ranking", ""));
        tree.Apply(Retained("sport/tennis/player1", ""));
        tree.Apply(Retained("never/retained", ""));
        Assert.Multiple(() =>
        {
            Assert.That(tree.Count, Is.EqualTo(Topics.Length - 2));
            Assert.That(Match(tree, "sport/tennis/#"), Is.EqualTo(new[] { "sport/tennis" }));
            Assert.That(Match(tree, "sport/+/+"), Is.Empty);
        });
    }

    [Test]
    public void The_snapshot_holds_every_retained_message_dollar_topics_included()
    {
        Assert.That(TreeWithAllTopics().Snapshot().Select(m => m.Topic), Is.EquivalentTo(Topics));
    }
}
