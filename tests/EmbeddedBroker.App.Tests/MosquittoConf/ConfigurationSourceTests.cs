using System.Text;
using EmbeddedBroker.Configuration.Mosquitto;
using Microsoft.Extensions.Configuration;

namespace EmbeddedBroker.App.Tests.MosquittoConf;

/// <summary>Telling a mosquitto.conf from a JSON settings file, and the configuration source around the reader.</summary>
public class ConfigurationSourceTests : MosquittoConfFixture
{
    [TestCase("{ \"Recorder\": { \"Format\": \"csv\" } }", false)]
    [TestCase("\n\t  {\n}", false)]
    [TestCase("// settings\n{ }", false)]
    [TestCase("/* settings */ { }", false)]
    [TestCase("listener 1883\n", true)]
    [TestCase("# {\nlistener 1883\n", true)]
    [TestCase("", true)]
    [TestCase("   \n", true)]
    [TestCase("/etc/not-a-key", true)]
    public void A_file_is_JSON_when_it_starts_with_a_brace_and_mosquitto_conf_otherwise(string content, bool isMosquittoConf)
    {
        var path = Temp.Combine("settings");
        File.WriteAllText(path, content);

        Assert.That(MosquittoConfigurationFile.IsMosquittoConf(path), Is.EqualTo(isMosquittoConf));
    }

    [Test]
    public void A_JSON_file_with_a_byte_order_mark_is_JSON()
    {
        var path = Temp.Combine("appsettings.json");
        File.WriteAllText(path, "{ }", new UTF8Encoding(encoderShouldEmitUTF8Identifier: true));

        Assert.That(MosquittoConfigurationFile.IsMosquittoConf(path), Is.False);
    }

    [Test]
    public void The_source_layers_the_files_keys_under_later_sources()
    {
        var path = Write("mosquitto.conf", "listener 1883", "max_inflight_messages 10", "sys_interval 5");
        var source = new MosquittoConfigurationSource(path);

        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Listeners:Mqtt:Enabled"] = "true", ["Broker:SysInterval"] = "00:00:10" })
            .Add(source)
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Broker:MaximumInflightPerClient"] = "50" })
            .Build();

        Assert.That(configuration["Listeners:Mqtt:Enabled"], Is.EqualTo("false"), "the file overrides the defaults below it");
        Assert.That(configuration["Broker:SysInterval"], Is.EqualTo("00:00:05"));
        Assert.That(configuration["Broker:MaximumInflightPerClient"], Is.EqualTo("50"), "the command line overrides the file");
        Assert.That(configuration["listeners:endpoints:0:port"], Is.EqualTo("1883"), "keys are case-insensitive");
        Assert.That(source.LastRead!.Files, Is.EqualTo(new[] { path }));
    }

    [Test]
    public void A_file_that_cannot_be_used_stops_building_the_configuration_with_its_one_line_message()
    {
        var path = Write("mosquitto.conf", "listener 1883", "bind_interfaces eth0");

        var error = Assert.Throws<MosquittoConfigurationException>(() => new ConfigurationBuilder().AddMosquittoConfiguration(path).Build())!;

        Assert.That(error.Message, Is.EqualTo($"{path}:2: bind_interfaces: not a Mosquitto 2.0 configuration key; did you mean bind_interface? (keys are lower case)"));
        Assert.That((error.File, error.Line, error.Key), Is.EqualTo((path, 2, "bind_interfaces")));
    }
}
