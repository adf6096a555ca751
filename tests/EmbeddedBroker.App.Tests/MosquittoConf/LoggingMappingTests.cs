using Microsoft.Extensions.Configuration;
using Serilog;

namespace EmbeddedBroker.App.Tests.MosquittoConf;

/// <summary>log_type, log_dest and connection_messages, written as Serilog settings the program's logger reads.</summary>
public class LoggingMappingTests : MosquittoConfFixture
{
    private const string PacketOverride = "Serilog:MinimumLevel:Override:EmbeddedBroker.Broker.Packets";

    [TestCase("all", "Debug", "Debug")]
    [TestCase("debug", "Debug", "Debug")]
    [TestCase("websockets", "Debug", "Information")]
    [TestCase("internal", "Debug", "Information")]
    [TestCase("information", "Information", null)]
    [TestCase("notice", "Information", null)]
    [TestCase("subscribe", "Information", null)]
    [TestCase("warning", "Warning", null)]
    [TestCase("error", "Error", null)]
    [TestCase("none", "Fatal", null)]
    public void Log_type_sets_the_minimum_level_and_debug_turns_the_packet_log_on(string type, string level, string? packets)
    {
        var values = Values("listener 1883", $"log_type {type}");

        Assert.That(values["Serilog:MinimumLevel:Default"], Is.EqualTo(level));
        Assert.That(values.GetValueOrDefault(PacketOverride), Is.EqualTo(packets),
            "without an override, -v (Default = Debug) still turns the packet log on, as mosquitto -v does");
    }

    [Test]
    public void Log_types_accumulate_over_lines_and_the_lowest_wins()
    {
        Assert.That(Values("listener 1883", "log_type error", "log_type warning", "log_type information")["Serilog:MinimumLevel:Default"], Is.EqualTo("Information"));
    }

    [Test]
    public void Log_type_none_clears_the_types_before_it()
    {
        Assert.That(Values("listener 1883", "log_type debug", "log_type none", "log_type warning")["Serilog:MinimumLevel:Default"], Is.EqualTo("Warning"));
    }

    [Test]
    public void Without_log_type_the_level_stays_EmbeddedBrokers_default()
    {
        Assert.That(Values("listener 1883").Keys, Has.None.StartsWith("Serilog:"));
    }

    [Test]
    public void Two_types_on_one_line_are_refused_where_Mosquitto_reads_only_the_first()
    {
        Assert.That(Refusal("listener 1883", "log_type error warning"),
            Is.EqualTo("mosquitto.conf:2: log_type: unexpected 'warning' after 'error' (Mosquitto reads one value per line and ignores the rest); write `log_type warning` on a line of its own"));
    }

    [Test]
    public void An_unknown_log_type_is_refused()
    {
        Assert.That(Refusal("listener 1883", "log_type info"), Does.StartWith("mosquitto.conf:2: log_type: 'info' is not a log type; use error, warning"));
    }

    [Test]
    public void Log_dest_stdout_stderr_and_file_become_serilog_sinks()
    {
        var values = Values("listener 1883", "log_dest stdout", "log_dest stderr", "log_dest file logs/mosquitto.log");

        Assert.That(values["Serilog:WriteTo:0:Name"], Is.EqualTo("Console"));
        Assert.That(values.ContainsKey("Serilog:WriteTo:0:Args:standardErrorFromLevel"), Is.False);
        Assert.That(values["Serilog:WriteTo:1:Name"], Is.EqualTo("Console"));
        Assert.That(values["Serilog:WriteTo:1:Args:standardErrorFromLevel"], Is.EqualTo("Verbose"));
        Assert.That(values["Serilog:WriteTo:2:Name"], Is.EqualTo("File"));
        Assert.That(values["Serilog:WriteTo:2:Args:path"], Is.EqualTo(InFolder("logs/mosquitto.log")));
        Assert.That(values["Serilog:Using:0"], Is.EqualTo("Serilog.Sinks.Console"));
        Assert.That(values["Serilog:Using:1"], Is.EqualTo("Serilog.Sinks.File"));
    }

    [Test]
    public void Log_dest_file_writes_the_programs_log_lines_to_that_file()
    {
        var values = Values("listener 1883", "log_dest file broker.log", "log_type warning");
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();

        using (var logger = new LoggerConfiguration().ReadFrom.Configuration(configuration).CreateLogger())
        {
            logger.ForContext("SourceContext", "EmbeddedBroker.Test").Warning("Listening on {Port}", 1883);
            logger.Information("filtered out by log_type warning");
        }

        var text = File.ReadAllText(InFolder("broker.log"));
        Assert.That(text, Does.Contain("[WRN] EmbeddedBroker.Test: Listening on 1883"));
        Assert.That(text, Does.Not.Contain("filtered out"));
    }

    [Test]
    public void Log_dest_none_followed_by_a_destination_keeps_only_that_destination()
    {
        var values = Values("listener 1883", "log_dest stdout", "log_dest none", "log_dest stderr");

        Assert.That(values["Serilog:WriteTo:0:Args:standardErrorFromLevel"], Is.EqualTo("Verbose"));
        Assert.That(values.ContainsKey("Serilog:WriteTo:1:Name"), Is.False);
    }

    [TestCase("log_dest none", "mosquitto.conf:2: log_dest: the last log_dest is none, so nothing would be logged; EmbeddedBroker always logs somewhere: keep a destination (stdout, stderr or file PATH) and quieten it with `log_type error`")]
    [TestCase("log_dest syslog", "mosquitto.conf:2: log_dest: logging to syslog is not supported yet; use stdout, stderr or file PATH (under systemd, stdout goes to the journal)")]
    [TestCase("log_dest topic", "mosquitto.conf:2: log_dest: logging to topic is not supported yet; use stdout, stderr or file PATH (under systemd, stdout goes to the journal)")]
    [TestCase("log_dest file", "mosquitto.conf:2: log_dest: no value; write `log_dest file VALUE`")]
    [TestCase("log_dest console", "mosquitto.conf:2: log_dest: 'console' is not a log destination; use stdout, stderr or file PATH")]
    public void Unsupported_log_destinations_are_refused(string line, string expected)
    {
        Assert.That(Refusal("listener 1883", line), Is.EqualTo(expected));
    }

    [Test]
    public void A_second_log_file_is_refused_as_in_Mosquitto()
    {
        Assert.That(Refusal("listener 1883", "log_dest file a.log", "log_dest file b.log"),
            Is.EqualTo("mosquitto.conf:3: log_dest: a log file is already given at mosquitto.conf:2 (Mosquitto allows one); keep one `log_dest file PATH` line"));
    }

    [Test]
    public void Connection_messages_maps_to_the_broker_setting()
    {
        Assert.That(Values("listener 1883", "connection_messages false")["Broker:ConnectionMessages"], Is.EqualTo("false"));
    }
}
