using EmbeddedBroker.Cli;

namespace EmbeddedBroker.App.Tests.Cli;

public class CommandLineParserTests
{
    [TestCase(new[] { "--port", "1884" }, "Listeners:Mqtt:Port", "1884")]
    [TestCase(new[] { "-p", "1884" }, "Listeners:Mqtt:Port", "1884")]
    [TestCase(new[] { "--port=1884" }, "Listeners:Mqtt:Port", "1884")]
    [TestCase(new[] { "--ws-port", "9002" }, "Listeners:WebSocket:Port", "9002")]
    [TestCase(new[] { "--bind", "127.0.0.1" }, "Listeners:Mqtt:Address", "127.0.0.1")]
    [TestCase(new[] { "--format", "csv" }, "Recorder:Format", "csv")]
    [TestCase(new[] { "--format", "csv,jsonl" }, "Recorder:Format", "csv,jsonl")]
    [TestCase(new[] { "--output", "../exports/mqtt_data" }, "Recorder:Output", "../exports/mqtt_data")]
    [TestCase(new[] { "--simulate" }, "Simulator:Enabled", "true")]
    [TestCase(new[] { "--simulate-interval", "0.5" }, "Simulator:IntervalSeconds", "0.5")]
    [TestCase(new[] { "-v" }, CliCatalog.PacketLogLevelKey, "Debug")]
    [TestCase(new[] { "--verbose" }, CliCatalog.PacketLogLevelKey, "Debug")]
    [TestCase(new[] { "--log-format", "json" }, "Log:Format", "json")]
    [TestCase(new[] { "--no-console" }, "Console:Enabled", "false")]
    [TestCase(new[] { "--Recorder:FlushIntervalMs", "200" }, "Recorder:FlushIntervalMs", "200")]
    [TestCase(new[] { "--Recorder:FlushIntervalMs=200" }, "Recorder:FlushIntervalMs", "200")]
    public void Broker_option_sets_its_configuration_key(string[] args, string key, string expected)
    {
        var parsed = CommandLineParser.Parse(args);

        Assert.That(parsed.Errors, Is.Empty);
        Assert.That(parsed.Command, Is.EqualTo(CliCommand.Serve));
        Assert.That(parsed.Overrides[key], Is.EqualTo(expected));
    }

    [TestCase(new[] { "record", "--broker", "mqtt.local" }, "Record:Host", "mqtt.local")]
    [TestCase(new[] { "record", "--port", "1885" }, "Record:Port", "1885")]
    [TestCase(new[] { "record", "-p", "1885" }, "Record:Port", "1885")]
    [TestCase(new[] { "record", "--share", "recorders" }, "Record:ShareGroup", "recorders")]
    [TestCase(new[] { "record", "--client-id", "rec-1" }, "Record:ClientId", "rec-1")]
    [TestCase(new[] { "record", "-u", "alice" }, "Record:Username", "alice")]
    [TestCase(new[] { "record", "-P", "secret" }, "Record:Password", "secret")]
    [TestCase(new[] { "record", "--format", "json" }, "Recorder:Format", "json")]
    [TestCase(new[] { "record", "--output", "out/data" }, "Recorder:Output", "out/data")]
    [TestCase(new[] { "record", "--no-console" }, "Console:Enabled", "false")]
    [TestCase(new[] { "record", "-v" }, CliCatalog.PacketLogLevelKey, "Debug")]
    [TestCase(new[] { "record", "--log-format=json" }, "Log:Format", "json")]
    [TestCase(new[] { "healthcheck", "--ws-port", "9002" }, "Listeners:WebSocket:Port", "9002")]
    [TestCase(new[] { "healthcheck", "--port", "1999" }, "Listeners:Mqtt:Port", "1999")]
    public void Subcommand_option_sets_its_configuration_key(string[] args, string key, string expected)
    {
        var parsed = CommandLineParser.Parse(args);

        Assert.That(parsed.Errors, Is.Empty);
        Assert.That(parsed.Overrides[key], Is.EqualTo(expected));
    }

    [Test]
    public void Seed_script_command_line_for_record_mode_is_accepted()
    {
        // python src/main.py --broker localhost --port 1883 --topic "sensors/#" --format both --output ../exports/mqtt_data
        var parsed = CommandLineParser.Parse(["record", "--broker", "localhost", "--port", "1883", "--topic", "sensors/#", "--format", "both", "--output", "../exports/mqtt_data"]);

        Assert.That(parsed.Errors, Is.Empty);
        Assert.That(parsed.Command, Is.EqualTo(CliCommand.Record));
        Assert.That(parsed.Overrides["Record:Topics:0"], Is.EqualTo("sensors/#"));
    }

    [Test]
    public void Topic_is_repeatable_and_accepts_comma_lists_and_replaces_the_configured_list()
    {
        var parsed = CommandLineParser.Parse(["--topic", "sensors/#", "-t", "home/+/temp,alarms/#"]);

        Assert.That(parsed.Errors, Is.Empty);
        Assert.That(parsed.Overrides["Recorder:Topics:0"], Is.EqualTo("sensors/#"));
        Assert.That(parsed.Overrides["Recorder:Topics:1"], Is.EqualTo("home/+/temp"));
        Assert.That(parsed.Overrides["Recorder:Topics:2"], Is.EqualTo("alarms/#"));
        Assert.That(parsed.ReplacedSections, Is.EquivalentTo(new[] { "Recorder:Topics" }));
    }

    [Test]
    public void Config_file_is_kept_apart_from_the_overrides()
    {
        var parsed = CommandLineParser.Parse(["-c", "my.json", "--port", "1"]);

        Assert.That(parsed.ConfigFile, Is.EqualTo("my.json"));
        Assert.That(parsed.Overrides.ContainsKey(CliCatalog.ConfigFileKey), Is.False);
    }

    [TestCase("--help")]
    [TestCase("-h")]
    [TestCase("help")]
    public void Help_is_recognised(string word)
    {
        Assert.That(CommandLineParser.Parse([word]).ShowHelp, Is.True);
    }

    [TestCase("--version")]
    public void Version_is_recognised(string word)
    {
        var parsed = CommandLineParser.Parse([word]);

        Assert.That(parsed.ShowVersion, Is.True);
        Assert.That(parsed.Errors, Is.Empty);
    }

    [Test]
    public void Unknown_option_is_an_error_that_suggests_the_closest_option()
    {
        var parsed = CommandLineParser.Parse(["--prot", "1884"]);

        Assert.That(parsed.Errors, Has.Some.Contains("'--prot' was not matched. Did you mean one of the following?"));
        Assert.That(parsed.Errors, Has.Some.Match(@"^\s+--port$"), "the suggestion, on its own line");
    }

    [Test]
    public void Misspelt_command_is_an_error_that_suggests_the_command()
    {
        var parsed = CommandLineParser.Parse(["recrod", "--broker", "localhost"]);

        Assert.That(parsed.Errors, Has.Some.Contains("'recrod' was not matched"));
        Assert.That(parsed.Errors, Has.Some.Match(@"^\s+record$"));
    }

    [Test]
    public void Record_only_option_given_to_the_broker_is_an_error()
    {
        var parsed = CommandLineParser.Parse(["--broker", "localhost"]);

        Assert.That(parsed.Errors, Has.Some.Contains("Unrecognized command or argument '--broker'"));
    }

    [Test]
    public void Passwd_is_a_command_whose_arguments_are_left_to_the_password_editor()
    {
        var parsed = CommandLineParser.Parse(["passwd", "-c", "-b", "passwords", "alice", "secret"]);

        Assert.That(parsed.Errors, Is.Empty);
        Assert.That(parsed.Command, Is.EqualTo(CliCommand.Passwd));
    }

    [Test]
    public void A_value_starting_with_at_is_a_value_not_a_response_file()
    {
        var parsed = CommandLineParser.Parse(["record", "--client-id", "@home"]);

        Assert.That(parsed.Errors, Is.Empty);
        Assert.That(parsed.Overrides["Record:ClientId"], Is.EqualTo("@home"));
    }

    [TestCase(new[] { "--port", "abc" }, "--port 'abc' is not a TCP port: use a number from 1 to 65535")]
    [TestCase(new[] { "--port", "70000" }, "--port '70000' is not a TCP port")]
    [TestCase(new[] { "--port", "-1" }, "--port '-1' is not a TCP port")]
    [TestCase(new[] { "--ws-port", "x" }, "--ws-port 'x' is not a TCP port")]
    [TestCase(new[] { "--format", "xml" }, "--format 'xml' is not valid: use csv, json, jsonl, sqlite, postgres or both")]
    [TestCase(new[] { "--topic", "a/#/b" }, "--topic 'a/#/b' is not a valid topic filter")]
    [TestCase(new[] { "--topic", "a/b+" }, "--topic 'a/b+' is not a valid topic filter")]
    [TestCase(new[] { "--simulate-interval", "0" }, "--simulate-interval '0' is not valid: use a number of seconds greater than 0")]
    [TestCase(new[] { "--simulate-interval", "soon" }, "--simulate-interval 'soon' is not valid")]
    [TestCase(new[] { "record", "--share", "a/b" }, "--share 'a/b' is not a share group name")]
    [TestCase(new[] { "--port" }, "--port needs a value, e.g. --port 1883")]
    [TestCase(new[] { "--output", "--simulate" }, "--output needs a value, e.g. --output exports/mqtt_data")]
    [TestCase(new[] { "--log-format", "xml" }, "--log-format 'xml' is not valid: use text (the default) or json")]
    [TestCase(new[] { "--Recorder:FlushIntervalMs" }, "--Recorder:FlushIntervalMs needs a value")]
    [TestCase(new[] { "--simulate", "extra" }, "Unrecognized command or argument 'extra'")]
    public void Invalid_value_is_an_error_naming_the_option_and_the_fix(string[] args, string expected)
    {
        var parsed = CommandLineParser.Parse(args);

        Assert.That(parsed.IsValid, Is.False);
        Assert.That(parsed.Errors, Has.Some.Contains(expected));
    }

    [Test]
    public void Every_problem_is_reported_not_only_the_first()
    {
        var parsed = CommandLineParser.Parse(["--port", "x", "--format", "xml", "--nope"]);

        Assert.That(parsed.Errors, Has.Some.Contains("--port 'x'"));
        Assert.That(parsed.Errors, Has.Some.Contains("--format 'xml'"));
        Assert.That(parsed.Errors, Has.Some.Contains("'--nope'"));
    }

    [TestCase(CliCommand.Serve, new string[0])]
    [TestCase(CliCommand.Record, new[] { "record" })]
    [TestCase(CliCommand.HealthCheck, new[] { "healthcheck" })]
    public void Help_lists_every_option_of_the_command_with_its_configuration_key_and_environment_variable(CliCommand command, string[] words)
    {
        var parsed = CommandLineParser.Parse([.. words, "--help"]);
        using var output = new StringWriter();

        Assert.That(parsed.ShowHelp, Is.True);
        Assert.That(parsed.WriteHelpOrVersion(output), Is.EqualTo(0));
        var help = output.ToString().Replace("\n", " ", StringComparison.Ordinal);
        foreach (var option in CliCatalog.For(command))
        {
            Assert.That(help, Does.Contain(string.Join(", ", option.Names.OrderBy(n => n.Length))), $"{command}: {option.PrimaryName}");
            Assert.That(System.Text.RegularExpressions.Regex.Replace(help, @"\s+", " "), Does.Contain(CliCatalog.EnvironmentName(option.ConfigKey)), $"{command}: {option.PrimaryName}");
        }

        Assert.That(help, Does.Contain("--Section:Key VALUE"));
    }

    [Test]
    public void Environment_variable_names_use_double_underscores()
    {
        Assert.That(CliCatalog.EnvironmentName("Listeners:Mqtt:Port"), Is.EqualTo("Listeners__Mqtt__Port"));
        Assert.That(CliCatalog.EnvironmentName(CliCatalog.ConfigFileKey), Is.EqualTo("EMBEDDEDBROKER_CONFIG"));
    }
}
