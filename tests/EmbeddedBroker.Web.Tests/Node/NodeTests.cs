using System.Globalization;
using EmbeddedBroker.Web.Tests.Infrastructure;

namespace EmbeddedBroker.Web.Tests.Node;

/// <summary>
/// Runs each tests/node/*.test.js file (node:test) against the real host started here in-process: MQTT.js over
/// WebSocket, mosquitto clients over TCP, headless Chromium on the sample pages and the dashboard. One NUnit test
/// per file, so `dotnet test` counts and reports them; the node output is in the failure message.
/// Needs `npm ci --prefix tests/node` and the Debian packages nodejs, mosquitto-clients and chromium
/// (scripts/test.sh installs them); a missing one fails the test rather than skipping it.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class NodeTests
{
    private static readonly TimeSpan FileTimeout = TimeSpan.FromMinutes(3);

    /// <summary>
    /// The broker every file gets: recording to CSV, JSON and SQLite (the dashboard's history reads the database) with
    /// delivery receipts. A file named *recorder-failure* gets a recorder whose files are /dev/full (a full disk: the
    /// folder passes the start-up check, every write fails), in <paramref name="failingOutput"/>.
    /// </summary>
    private static string[] BrokerArguments(string fileName, TempFolder failingOutput)
    {
        string[] common = ["--Recorder:Format", "csv,json,sqlite", "--Recorder:RecordDeliveries", "true", "--Recorder:FlushIntervalMs", "200"];
        if (!fileName.Contains("recorder-failure", StringComparison.Ordinal))
        {
            return common;
        }

        var output = RecorderOutput.In(failingOutput);
        File.CreateSymbolicLink(output.Csv, "/dev/full");
        File.CreateSymbolicLink(output.Json, "/dev/full");
        return [.. common, "--Recorder:Output", output.BasePath, "--Persistence:Path", output.StorePath];
    }

    public static IEnumerable<TestCaseData> TestFiles() =>
        Directory.EnumerateFiles(RepositoryPaths.NodeTests, "*.test.js")
            .Order(StringComparer.Ordinal)
            .Select(file => new TestCaseData(Path.GetFileName(file)).SetName($"Node {Path.GetFileName(file)}"));

    [TestCaseSource(nameof(TestFiles))]
    [CancelAfter(240_000)]
    public async Task Node_test_file_passes(string fileName)
    {
        var node = ThirdPartyTools.Node;
        var mqttJs = Path.Combine(RepositoryPaths.NodeTests, "node_modules", "mqtt", "package.json");
        if (!File.Exists(mqttJs))
        {
            Assert.Fail($"{mqttJs} is missing: install it with `npm ci --prefix tests/node` (scripts/test.sh does this).");
        }

        using var failingOutput = new TempFolder("eb-full-disk-");
        await using var broker = await WebBroker.StartAsync(BrokerArguments(fileName, failingOutput));

        // `env` sets the variables for node alone: the broker's ports and where the recorder writes.
        var (exitCode, output, error) = await ExternalProcess.RunAsync(
            FileTimeout,
            "/usr/bin/env",
            $"EB_WS_PORT={broker.WebSocketPort.ToString(CultureInfo.InvariantCulture)}",
            $"EB_TCP_PORT={broker.TcpPort.ToString(CultureInfo.InvariantCulture)}",
            $"EB_EXPORTS={broker.ExportsDirectory}",
            node,
            "--test",
            "--test-reporter=spec",
            "--test-timeout=120000",
            Path.Combine(RepositoryPaths.NodeTests, fileName));

        TestContext.Out.WriteLine(output);
        Assert.That(exitCode, Is.Zero, $"node --test {fileName} failed:{Environment.NewLine}{output}{Environment.NewLine}{error}");
    }
}
