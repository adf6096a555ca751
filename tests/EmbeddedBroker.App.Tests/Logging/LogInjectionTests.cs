using System.Globalization;
using EmbeddedBroker.Hosting;
using EmbeddedBroker.LiveConsole;
using Microsoft.Extensions.Configuration;
using Serilog.Events;
using Serilog.Formatting.Display;

namespace EmbeddedBroker.App.Tests.Logging;

/// <summary>A client chooses its id, user name and topics; logged, they must not be able to start a log line of their own.</summary>
[TestFixture]
public sealed class LogInjectionTests
{
    [Test]
    public void A_line_feed_in_a_logged_user_name_is_escaped_so_no_forged_line_starts()
    {
        var events = Log(logger => logger.Information("Client {ClientId} connected (user {Username})", "c-1", "u\n[12:00:00 ERR] forged\r\u2028\u001b[2J"));

        var line = AsConsoleWritesIt(events.Single());
        Assert.That(line, Is.EqualTo(@"Client c-1 connected (user u\n[12:00:00 ERR] forged\r\u2028\u001B[2J)"));
    }

    [Test]
    public void Ordinary_text_and_other_values_are_left_as_they_are()
    {
        var events = Log(logger => logger.Warning("Topic {Topic} from {Port}: {Name}", "sensors/température/°C", 1883, "Ωμέγα"));

        Assert.That(AsConsoleWritesIt(events.Single()), Is.EqualTo("Topic sensors/température/°C from 1883: Ωμέγα"));
    }

    /// <summary>The message as the console sink's template renders it ({Message:lj}: strings without quotes).</summary>
    private static string AsConsoleWritesIt(LogEvent logEvent)
    {
        using var text = new StringWriter(CultureInfo.InvariantCulture);
        new MessageTemplateTextFormatter("{Message:lj}", CultureInfo.InvariantCulture).Format(logEvent, text);
        return text.ToString();
    }

    private static IReadOnlyList<LogEvent> Log(Action<Serilog.ILogger> write)
    {
        var capture = new ConsoleLogCapture { IsCapturing = true };
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Serilog:MinimumLevel:Default"] = "Information",
        }).Build();
        using (var logger = LoggingSetup.CreateLogger(configuration, capture))
        {
            write(logger);
        }

        return capture.Last(ConsoleLogCapture.Capacity);
    }
}
