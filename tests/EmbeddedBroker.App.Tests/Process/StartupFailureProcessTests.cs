using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace EmbeddedBroker.App.Tests.Process;

/// <summary>
/// Every expected reason not to start is one line on stderr naming the cause and the fix, exit code 2, and no stack
/// trace anywhere (stdout carries the logs).
/// </summary>
public class StartupFailureProcessTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Test]
    public async Task Port_taken_by_a_running_mosquitto_is_one_line_naming_the_port_and_the_fix()
    {
        using var mosquitto = await MosquittoBroker.StartAsync();
        using var exports = new TempFolder();

        var error = await FailToStartAsync(AppExecutable.BrokerArguments(mosquitto.Port, RecorderOutput.In(exports)));

        Assert.That(error, Does.Contain($"port {mosquitto.Port} (MQTT, 127.0.0.1) is already in use").And.Contain("--port N"));
    }

    [Test]
    public async Task WebSocket_port_in_use_names_ws_port()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port.ToString(CultureInfo.InvariantCulture);
        using var exports = new TempFolder();

        var error = await FailToStartAsync([.. AppExecutable.BrokerArguments(FreePort.Next(), RecorderOutput.In(exports)),
            "--Listeners:WebSocket:Enabled", "true", "--Listeners:WebSocket:Address", "127.0.0.1", "--ws-port", port]);

        Assert.That(error, Does.Contain($"port {port} (MQTT over WebSocket and HTTP, 127.0.0.1) is already in use").And.Contain("--ws-port N"));
    }

    [Test]
    public async Task Address_that_is_not_this_machines_is_one_line_naming_bind()
    {
        using var exports = new TempFolder();

        // 192.0.2.0/24 is TEST-NET-1 (RFC 5737): never assigned to a machine. Nothing is sent there: the bind fails locally.
        var error = await FailToStartAsync([.. AppExecutable.BrokerArguments(FreePort.Next(), RecorderOutput.In(exports)), "--bind", "192.0.2.1"]);

        Assert.That(error, Does.Contain("address 192.0.2.1 (Listeners:Mqtt:Address, --bind) is not an address of this machine").And.Contain("use 0.0.0.0"));
    }

    [Test]
    public async Task Unknown_host_name_is_one_line_naming_bind()
    {
        using var exports = new TempFolder();

        // .invalid never resolves (RFC 2606).
        var error = await FailToStartAsync([.. AppExecutable.BrokerArguments(FreePort.Next(), RecorderOutput.In(exports)), "--bind", "no-such-host.invalid"]);

        Assert.That(error, Does.Contain("Listeners:Mqtt:Address (--bind) 'no-such-host.invalid' is not a known host name"));
    }

    [Test]
    public async Task Host_name_is_accepted_where_an_address_is()
    {
        using var exports = new TempFolder();
        var port = FreePort.Next();
        using var app = AppExecutable.Start([.. AppExecutable.BrokerArguments(port, RecorderOutput.In(exports)), "--bind", "localhost"]);

        await FreePort.WaitUntilAcceptingAsync(port, Timeout, app);
        app.Terminate();
        Assert.That(await app.WaitForExitAsync(Timeout), Is.EqualTo(0), app.Describe());
    }

    [Test]
    public async Task Output_folder_that_cannot_be_created_stops_start_up_before_listening()
    {
        using var exports = new TempFolder();
        await File.WriteAllTextAsync(exports.Combine("not-a-folder"), "");
        var port = FreePort.Next();

        var error = await FailToStartAsync(AppExecutable.BrokerArguments(port, RecorderOutput.In(exports.Combine("not-a-folder"))));

        Assert.That(error, Does.Contain("Recorder:Output").And.Contain("cannot write in").And.Contain("--output PATH"));
    }

    [Test]
    public async Task Read_only_output_folder_stops_start_up_before_listening()
    {
        // Root ignores permission bits, and the tests run as root in CI: /proc refuses new files to everyone.
        var error = await FailToStartAsync(AppExecutable.BrokerArguments(FreePort.Next(), new RecorderOutput("/proc/mqtt_data")));

        Assert.That(error, Does.Contain("Recorder:Output '/proc/mqtt_data': cannot write in /proc").And.Contain("--output PATH"));
    }

    [Test]
    public async Task Invalid_setting_is_one_line_naming_the_key()
    {
        using var exports = new TempFolder();

        var error = await FailToStartAsync([.. AppExecutable.BrokerArguments(FreePort.Next(), RecorderOutput.In(exports)), "--Recorder:QueueCapacity", "0"]);

        Assert.That(error, Does.Contain("invalid configuration: Recorder:QueueCapacity"));
    }

    [Test]
    public async Task Unknown_broker_setting_is_one_line_naming_it()
    {
        using var exports = new TempFolder();

        var error = await FailToStartAsync([.. AppExecutable.BrokerArguments(FreePort.Next(), RecorderOutput.In(exports)), "--Broker:MaxQueuedMesages", "5"]);

        Assert.That(error, Does.Contain("unknown setting(s) 'MaxQueuedMesages'"));
    }

    [Test]
    public async Task Settings_file_that_is_not_json_is_one_line()
    {
        using var exports = new TempFolder();
        var settings = exports.Combine("broken.json");
        await File.WriteAllTextAsync(settings, "{ \"Recorder\": ");

        var error = await FailToStartAsync([.. AppExecutable.BrokerArguments(FreePort.Next(), RecorderOutput.In(exports)), "-c", settings]);

        Assert.That(error, Does.Contain("broken.json"));
    }

    [Test]
    public async Task Mosquitto_conf_given_to_config_with_an_unknown_key_is_one_line_naming_its_line()
    {
        using var exports = new TempFolder();
        var settings = exports.Combine("mosquitto.conf");
        await File.WriteAllTextAsync(settings, "listener 1883\nallow_anonymous true\nlistner 1884\n");

        var error = await FailToStartAsync([.. AppExecutable.BrokerArguments(FreePort.Next(), RecorderOutput.In(exports)), "-c", settings]);

        Assert.That(error, Does.Contain("mosquitto.conf:3: listner: not a Mosquitto 2.0 configuration key; did you mean listener?"));
    }

    /// <summary>Runs the app, expects exit code 2 with exactly one line on stderr and no stack trace; returns that line.</summary>
    private static async Task<string> FailToStartAsync(string[] arguments)
    {
        using var app = AppExecutable.Start(arguments);
        Assert.That(await app.WaitForExitAsync(Timeout), Is.EqualTo(2), app.Describe());
        var lines = app.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Multiple(() =>
        {
            Assert.That(lines, Has.Length.EqualTo(1), app.StandardError);
            Assert.That(lines[0], Does.StartWith("EmbeddedBroker cannot start: "));
            Assert.That(app.StandardOutput + app.StandardError, Does.Not.Contain("   at "), "no stack trace");
            Assert.That(app.StandardOutput, Does.Not.Contain("Listening for"), "stopped before any listener opened");
        });
        return lines[0];
    }
}
