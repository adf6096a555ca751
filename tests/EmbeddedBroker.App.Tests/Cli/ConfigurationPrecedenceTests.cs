using EmbeddedBroker.Cli;
using EmbeddedBroker.Hosting;
using Microsoft.Extensions.Configuration;

namespace EmbeddedBroker.App.Tests.Cli;

/// <summary>The one precedence, lowest first: config/appsettings.json &lt; -c file &lt; environment &lt; command line.</summary>
[NonParallelizable] // environment variables are process-wide
public class ConfigurationPrecedenceTests
{
    private string configFile = "";

    [SetUp]
    public void CreateConfigFile()
    {
        configFile = Path.Combine(Path.GetTempPath(), $"eb-config-{Guid.NewGuid():N}.json");
        File.WriteAllText(configFile, """
            { "Recorder": { "Format": "jsonl", "Output": "from-file/data", "Topics": [ "a/#", "b/#", "c/#" ] },
              "Simulator": { "IntervalSeconds": 7 } }
            """);
    }

    [TearDown]
    public void Cleanup()
    {
        File.Delete(configFile);
        Environment.SetEnvironmentVariable("Recorder__Format", null);
        Environment.SetEnvironmentVariable("Simulator__IntervalSeconds", null);
        Environment.SetEnvironmentVariable(CliCatalog.ConfigFileEnvironmentVariable, null);
    }

    [Test]
    public void Defaults_come_from_the_appsettings_next_to_the_program()
    {
        var configuration = Build([]);

        Assert.That(configuration["Recorder:Format"], Is.EqualTo("both"));
        Assert.That(configuration["Listeners:Mqtt:Port"], Is.EqualTo("1883"));
    }

    [Test]
    public void Config_file_overrides_the_defaults()
    {
        var configuration = Build(["-c", configFile]);

        Assert.That(configuration["Recorder:Format"], Is.EqualTo("jsonl"));
        Assert.That(configuration["Recorder:Output"], Is.EqualTo("from-file/data"));
    }

    [Test]
    public void Config_file_can_be_named_by_an_environment_variable()
    {
        Environment.SetEnvironmentVariable(CliCatalog.ConfigFileEnvironmentVariable, configFile);

        Assert.That(Build([])["Recorder:Format"], Is.EqualTo("jsonl"));
    }

    [Test]
    public void Environment_overrides_the_config_file()
    {
        Environment.SetEnvironmentVariable("Recorder__Format", "json");

        var configuration = Build(["-c", configFile]);

        Assert.That(configuration["Recorder:Format"], Is.EqualTo("json"));
        Assert.That(configuration["Simulator:IntervalSeconds"], Is.EqualTo("7"));
    }

    [Test]
    public void Command_line_overrides_the_environment()
    {
        Environment.SetEnvironmentVariable("Recorder__Format", "json");
        Environment.SetEnvironmentVariable("Simulator__IntervalSeconds", "9");

        var configuration = Build(["-c", configFile, "--format", "csv", "--simulate-interval", "2"]);

        Assert.That(configuration["Recorder:Format"], Is.EqualTo("csv"));
        Assert.That(configuration["Simulator:IntervalSeconds"], Is.EqualTo("2"));
    }

    [Test]
    public void Topics_on_the_command_line_replace_the_configured_list_instead_of_merging_by_index()
    {
        var configuration = Build(["-c", configFile, "--topic", "sensors/#"]);

        var topics = configuration.GetSection("Recorder:Topics").Get<string[]>();
        Assert.That(topics, Is.EqualTo(new[] { "sensors/#" }));
    }

    [Test]
    public void Missing_config_file_stops_start_up_naming_the_path()
    {
        var missing = Path.Combine(Path.GetTempPath(), "does-not-exist.json");

        var error = Assert.Throws<FileNotFoundException>(() => Build(["--config", missing]));
        Assert.That(error!.Message, Does.Contain(missing).And.Contain("--config"));
    }

    private static IConfiguration Build(string[] args)
    {
        var parsed = CommandLineParser.Parse(args);
        Assert.That(parsed.Errors, Is.Empty);
        var configuration = new ConfigurationManager();
        ConfigurationSetup.Apply(configuration, parsed);
        return configuration;
    }
}
