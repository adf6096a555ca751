namespace EmbeddedBroker.Protocol.Tests.Topics;

/// <summary>Topic names, filters and matching: the examples of 3.1.1 / 5.0 section 4.7.</summary>
public sealed class MqttTopicTests
{
    [TestCase("sport/tennis/player1", ExpectedResult = true)]
    [TestCase("/", ExpectedResult = true, TestName = "Topic of one separator is valid MQTT_4_7_1_1")]
    [TestCase("/finance", ExpectedResult = true)]
    [TestCase("a//b", ExpectedResult = true, TestName = "Empty levels are allowed 4_7_1_1")]
    [TestCase("$SYS/broker/uptime", ExpectedResult = true)]
    [TestCase("ACCOUNTS/accounts", ExpectedResult = true)]
    [TestCase("", ExpectedResult = false, TestName = "Empty topic name is invalid MQTT_4_7_3_1")]
    [TestCase("sport/+/player1", ExpectedResult = false, TestName = "Topic name with plus is invalid MQTT_4_7_3_2")]
    [TestCase("sport/#", ExpectedResult = false, TestName = "Topic name with hash is invalid MQTT_4_7_3_2")]
    [TestCase("sport+", ExpectedResult = false, TestName = "Topic name with plus inside a level is invalid MQTT_4_7_3_2")]
    [TestCase("a\0b", ExpectedResult = false, TestName = "Topic name with U+0000 is invalid MQTT_4_7_3_2_v5")]
    public bool IsValidTopicName(string topic) => MqttTopic.IsValidTopicName(topic);

    [Test]
    public void Topic_name_of_65535_UTF8_bytes_is_valid_and_one_more_is_not_MQTT_4_7_3_3()
    {
        Assert.Multiple(() =>
        {
            Assert.That(MqttTopic.IsValidTopicName(new string('a', 65_535)), Is.True);
            Assert.That(MqttTopic.IsValidTopicName(new string('a', 65_536)), Is.False);
            Assert.That(MqttTopic.IsValidTopicName(new string('é', 32_768)), Is.False, "65,536 UTF-8 bytes");
        });
    }

    [TestCase("sport/tennis/player1/#", ExpectedResult = true)]
    [TestCase("sport/#", ExpectedResult = true)]
    [TestCase("#", ExpectedResult = true)]
    [TestCase("+", ExpectedResult = true)]
    [TestCase("+/tennis/#", ExpectedResult = true)]
    [TestCase("sport/+/player1", ExpectedResult = true)]
    [TestCase("/+", ExpectedResult = true)]
    [TestCase("+/+", ExpectedResult = true)]
    [TestCase("$share/group/a/+", ExpectedResult = true)]
    [TestCase("sport/tennis#", ExpectedResult = false, TestName = "Hash not alone in its level is invalid MQTT_4_7_1_2")]
    [TestCase("sport/tennis/#/ranking", ExpectedResult = false, TestName = "Hash not last is invalid MQTT_4_7_1_2")]
    [TestCase("sport+", ExpectedResult = false, TestName = "Plus not alone in its level is invalid MQTT_4_7_1_3")]
    [TestCase("sport/+tennis", ExpectedResult = false, TestName = "Plus prefix inside a level is invalid MQTT_4_7_1_3")]
    [TestCase("", ExpectedResult = false, TestName = "Empty filter is invalid MQTT_4_7_3_1")]
    [TestCase("a/\0", ExpectedResult = false, TestName = "Filter with U+0000 is invalid MQTT_4_7_3_2_v5")]
    public bool IsValidTopicFilter(string filter) => MqttTopic.IsValidTopicFilter(filter);

    [TestCase("sport/tennis/player1/#", "sport/tennis/player1", ExpectedResult = true, TestName = "Hash matches the parent level 4_7_1_2")]
    [TestCase("sport/tennis/player1/#", "sport/tennis/player1/ranking", ExpectedResult = true)]
    [TestCase("sport/tennis/player1/#", "sport/tennis/player1/score/wimbledon", ExpectedResult = true)]
    [TestCase("sport/tennis/#", "sport/tennis", ExpectedResult = true, TestName = "sport/tennis/# matches sport/tennis 4_7_1_2")]
    [TestCase("sport/#", "sport", ExpectedResult = true)]
    [TestCase("#", "sport/tennis", ExpectedResult = true)]
    [TestCase("#", "/", ExpectedResult = true)]
    [TestCase("sport/tennis/+", "sport/tennis/player1", ExpectedResult = true)]
    [TestCase("sport/tennis/+", "sport/tennis/player1/ranking", ExpectedResult = false, TestName = "Plus matches only one level 4_7_1_3")]
    [TestCase("sport/+", "sport", ExpectedResult = false, TestName = "sport/+ does not match sport 4_7_1_3")]
    [TestCase("sport/+", "sport/", ExpectedResult = true, TestName = "sport/+ matches sport/ (empty level) 4_7_1_3")]
    [TestCase("+/+", "/finance", ExpectedResult = true, TestName = "+/+ matches /finance 4_7_1_3")]
    [TestCase("/+", "/finance", ExpectedResult = true)]
    [TestCase("+", "/finance", ExpectedResult = false, TestName = "+ does not match /finance 4_7_1_3")]
    [TestCase("+", "finance", ExpectedResult = true)]
    [TestCase("sport/+/player1", "sport/tennis/player1", ExpectedResult = true)]
    [TestCase("a/b", "a/b", ExpectedResult = true)]
    [TestCase("a/b", "a/b/c", ExpectedResult = false)]
    [TestCase("a/b/c", "a/b", ExpectedResult = false)]
    [TestCase("a/b", "A/b", ExpectedResult = false, TestName = "Matching is case sensitive MQTT_4_7_3_4")]
    [TestCase("a//b", "a//b", ExpectedResult = true)]
    [TestCase("a/+/b", "a//b", ExpectedResult = true)]
    [TestCase("#", "$SYS/x", ExpectedResult = false, TestName = "Hash does not match $SYS topics MQTT_4_7_2_1")]
    [TestCase("+/x", "$SYS/x", ExpectedResult = false, TestName = "Leading plus does not match $SYS topics MQTT_4_7_2_1")]
    [TestCase("+/monitor/Clients", "$SYS/monitor/Clients", ExpectedResult = false)]
    [TestCase("$SYS/#", "$SYS/x", ExpectedResult = true, TestName = "$SYS/# matches $SYS/x 4_7_2")]
    [TestCase("$SYS/monitor/+", "$SYS/monitor/Clients", ExpectedResult = true)]
    [TestCase("$SYS/#", "$SYS", ExpectedResult = true)]
    [TestCase("a/#", "$SYS/a", ExpectedResult = false)]
    public bool Matches(string filter, string topic) => MqttTopic.Matches(filter, topic);

    [TestCase("$share/group/a/b", ExpectedResult = "group|a/b")]
    [TestCase("$share/g/#", ExpectedResult = "g|#")]
    [TestCase("$share/g/+/x", ExpectedResult = "g|+/x")]
    [TestCase("$share/g/", ExpectedResult = null, TestName = "Shared subscription with empty filter is invalid 4_8_2")]
    [TestCase("$share//a", ExpectedResult = null, TestName = "Empty share name is invalid MQTT_4_8_2_1")]
    [TestCase("$share/g", ExpectedResult = null, TestName = "Share name without filter is invalid 4_8_2")]
    [TestCase("$share/g+/a", ExpectedResult = null, TestName = "Share name with plus is invalid MQTT_4_8_2_2")]
    [TestCase("$share/#/a", ExpectedResult = null, TestName = "Share name with hash is invalid MQTT_4_8_2_2")]
    [TestCase("$share/g/a#", ExpectedResult = null)]
    [TestCase("a/b", ExpectedResult = null)]
    [TestCase("$SHARE/g/a", ExpectedResult = null, TestName = "Share prefix is case sensitive 4_8_2")]
    public string? TryParseSharedSubscription(string filter)
        => MqttTopic.TryParseSharedSubscription(filter, out var share, out var inner) ? $"{share}|{inner}" : null;
}
