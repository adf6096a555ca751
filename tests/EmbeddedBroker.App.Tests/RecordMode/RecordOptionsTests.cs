using EmbeddedBroker.RecordMode;

namespace EmbeddedBroker.App.Tests.RecordMode;

public class RecordOptionsTests
{
    [Test]
    public void Default_subscription_is_sensors_like_the_seed_scripts()
    {
        Assert.That(new RecordOptions().SubscriptionFilters, Is.EqualTo(new[] { "sensors/#" }));
    }

    [Test]
    public void Share_group_turns_every_filter_into_a_shared_subscription_MQTT_4_8_2()
    {
        var options = new RecordOptions { ShareGroup = "recorders", Topics = ["sensors/#", "alarms/+"] };

        Assert.That(options.SubscriptionFilters, Is.EqualTo(new[] { "$share/recorders/sensors/#", "$share/recorders/alarms/+" }));
    }

    [Test]
    public void Persistent_session_without_a_client_id_is_rejected_with_the_fix()
    {
        var result = new RecordOptionsValidator().Validate(null, new RecordOptions { CleanSession = false });

        Assert.That(result.FailureMessage, Does.Contain("Record:CleanSession").And.Contain("--client-id"));
    }

    [TestCase("3.1.1")]
    [TestCase("5")]
    [TestCase("")]
    public void Known_protocol_versions_are_accepted(string version)
    {
        Assert.That(new RecordOptionsValidator().Validate(null, new RecordOptions { ProtocolVersion = version }).Succeeded, Is.True);
    }

    [Test]
    public void Unknown_protocol_version_is_rejected()
    {
        Assert.That(new RecordOptionsValidator().Validate(null, new RecordOptions { ProtocolVersion = "4.0" }).FailureMessage,
            Does.Contain("Record:ProtocolVersion '4.0'"));
    }

    [Test]
    public void Backoff_doubles_from_one_second_up_to_the_maximum_with_bounded_jitter()
    {
        var backoff = new ReconnectBackoff(TimeSpan.FromSeconds(8), new Random(7));

        double[] expected = [1, 2, 4, 8, 8, 8];
        foreach (var seconds in expected)
        {
            Assert.That(backoff.NextDelay().TotalSeconds, Is.InRange(seconds * 0.8, seconds * 1.2));
        }

        backoff.Reset();
        Assert.That(backoff.NextDelay().TotalSeconds, Is.InRange(0.8, 1.2));
    }
}
