using System.Text;
using EmbeddedBroker.Broker;
using EmbeddedBroker.LiveConsole;
using EmbeddedBroker.Protocol;

namespace EmbeddedBroker.App.Tests.LiveConsole;

public class ConsoleLineFormatterTests
{
    [Test]
    public void Message_line_shows_topic_qos_client_and_payload()
    {
        var message = new MqttApplicationMessage
        {
            Topic = "sensors/temperature",
            Payload = "23.7"u8.ToArray(),
            Qos = MqttQualityOfService.AtLeastOnce,
            SourceClientId = "phone",
        };

        var line = ConsoleLineFormatter.Message(message, 60);

        Assert.That(line, Does.EndWith("  sensors/temperature  q1  phone  23.7"));
    }

    [Test]
    public void Long_payload_is_cut_with_an_ellipsis()
    {
        var preview = ConsoleLineFormatter.PayloadPreview(Encoding.UTF8.GetBytes(new string('x', 500)), 10);

        Assert.That(preview, Is.EqualTo("xxxxxxxxxx…"));
    }

    [Test]
    public void Control_characters_do_not_break_the_line()
    {
        Assert.That(ConsoleLineFormatter.PayloadPreview("a\nb\u001b[2Jc"u8, 60), Is.EqualTo("a b [2Jc"));
    }

    [Test]
    public void Binary_payload_is_shown_as_size_and_hex()
    {
        var preview = ConsoleLineFormatter.PayloadPreview(new byte[] { 0xff, 0xfe, 0x00, 0x01 }, 60);

        Assert.That(preview, Is.EqualTo("<binary 4 B: fffe0001>"));
    }

    [Test]
    public void Multibyte_text_cut_in_the_middle_of_a_character_is_still_text()
    {
        var payload = Encoding.UTF8.GetBytes(new string('é', 100));

        Assert.That(ConsoleLineFormatter.PayloadPreview(payload, 5), Is.EqualTo("ééééé…"));
    }

    [Test]
    public void Summary_counts_what_was_not_shown_and_the_rate()
    {
        Assert.That(ConsoleLineFormatter.Summary(12_345, 4_100), Is.EqualTo("… 12,345 more messages (4,100 msg/s)"));
    }

    [Test]
    public void Status_line_shows_clients_rate_recorded_and_dropped()
    {
        Assert.That(ConsoleLineFormatter.Status("clients 3", 12.4, 1_234, 0), Is.EqualTo("── clients 3 · 12 msg/s · recorded 1,234 · dropped 0"));
    }
}
