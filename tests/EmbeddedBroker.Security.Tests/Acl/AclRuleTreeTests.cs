using EmbeddedBroker.Protocol;
using EmbeddedBroker.Security.Acl;

namespace EmbeddedBroker.Security.Tests.Acl;

public class AclRuleTreeTests
{
    [TestCase("a/#", "a", true)]
    [TestCase("a/#", "a/b/c", true)]
    [TestCase("a/+", "a/", true)]
    [TestCase("a/+", "a", false)]
    [TestCase("+/+", "/x", true)]
    [TestCase("+/#", "a", true)]
    [TestCase("#", "$SYS/x", false)]
    [TestCase("+/x", "$SYS/x", false)]
    [TestCase("$SYS/#", "$SYS/broker/uptime", true)]
    [TestCase("$SYS/+/uptime", "$SYS/broker/uptime", true)]
    [TestCase("a/b", "a/b/c", false)]
    [TestCase("a//b", "a//b", true)]
    public void A_single_filter_matches_as_mqtt_topic_matching_does_MQTT_4_7_2_1(string filter, string topic, bool expected)
    {
        var tree = new AclRuleTree();
        tree.Add(filter, AclGrant.Read);
        Assert.That(tree.Match(topic) == AclGrant.Read, Is.EqualTo(expected));
        Assert.That(MqttTopic.Matches(filter, topic), Is.EqualTo(expected));
    }

    [Test]
    public void The_tree_gives_the_union_of_every_matching_filter_for_random_rule_sets()
    {
        var random = new Random(42);
        string[] levels = ["a", "b", "", "$SYS", "+", "#", "c"];
        for (var round = 0; round < 300; round++)
        {
            var rules = Enumerable.Range(0, random.Next(1, 30))
                .Select(_ => (Filter: RandomFilter(random, levels), Grant: (AclGrant)(1 << random.Next(3))))
                .Where(r => MqttTopic.IsValidTopicFilter(r.Filter)).ToList();
            var tree = new AclRuleTree();
            rules.ForEach(r => tree.Add(r.Filter, r.Grant));
            for (var probe = 0; probe < 30; probe++)
            {
                var topic = string.Join('/', Enumerable.Range(0, random.Next(1, 5)).Select(_ => levels[random.Next(levels.Length)]).Where(l => l is not ("+" or "#")).DefaultIfEmpty("a"));
                var expected = rules.Where(r => MqttTopic.Matches(r.Filter, topic)).Aggregate(AclGrant.None, (all, r) => all | r.Grant);
                Assert.That(tree.Match(topic), Is.EqualTo(expected), $"topic '{topic}' against {string.Join(", ", rules)}");
            }
        }
    }

    private static string RandomFilter(Random random, string[] levels) =>
        string.Join('/', Enumerable.Range(0, random.Next(1, 5)).Select(_ => levels[random.Next(levels.Length)]));
}
