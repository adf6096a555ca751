using System.Globalization;
using EmbeddedBroker.Integration.Tests.Infrastructure;
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

    public static IEnumerable<TestCaseData> TestFiles() =>
        Directory.EnumerateFiles(NodeTestsDirectory(), "*.test.js")
            .Order(StringComparer.Ordinal)
            .Select(file => new TestCaseData(Path.GetFileName(file)).SetName($"Node {Path.GetFileName(file)}"));

    [TestCaseSource(nameof(TestFiles))]
    [CancelAfter(240_000)]
    public async Task Node_test_file_passes(string fileName)
    {
        var directory = NodeTestsDirectory();
        Require("/usr/bin/node", "the Debian package nodejs");
        Require(Path.Combine(directory, "node_modules", "mqtt", "package.json"), "`npm ci --prefix tests/node`");
        await using var broker = await WebBroker.StartAsync();

        // `env` sets the variables for node alone: the broker's ports and where the recorder writes.
        var (exitCode, output, error) = await ExternalProcess.RunAsync(
            FileTimeout,
            "/usr/bin/env",
            $"EB_WS_PORT={broker.WebSocketPort.ToString(CultureInfo.InvariantCulture)}",
            $"EB_TCP_PORT={broker.TcpPort.ToString(CultureInfo.InvariantCulture)}",
            $"EB_EXPORTS={broker.ExportsDirectory}",
            "/usr/bin/node",
            "--test",
            "--test-reporter=spec",
            "--test-timeout=120000",
            Path.Combine(directory, fileName));

        TestContext.Out.WriteLine(output);
        Assert.That(exitCode, Is.Zero, $"node --test {fileName} failed:{Environment.NewLine}{output}{Environment.NewLine}{error}");
    }

    private static void Require(string path, string installedBy)
    {
        if (!File.Exists(path))
        {
            Assert.Fail($"{path} is missing: install it with {installedBy} (scripts/test.sh does this).");
        }
    }

    private static string NodeTestsDirectory()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "EmbeddedBroker.sln")))
            {
                return Path.Combine(directory.FullName, "tests", "node");
            }
        }

        throw new DirectoryNotFoundException($"EmbeddedBroker.sln not found above {AppContext.BaseDirectory}");
    }
}
