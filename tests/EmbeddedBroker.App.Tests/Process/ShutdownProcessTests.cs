using System.Globalization;
using EmbeddedBroker.App.Tests.Infrastructure;

namespace EmbeddedBroker.App.Tests.Process;

/// <summary>Stopping cleanly: `q` in a real terminal, SIGTERM without one. Both exit 0 with complete files.</summary>
public class ShutdownProcessTests
{
    private const string Tmux = "/usr/bin/tmux";

    [Test]
    public async Task Sigterm_without_a_terminal_exits_0_with_complete_files_and_no_live_console()
    {
        using var exports = new TempFolder();
        var port = FreePort.Next();
        using var app = AppExecutable.Start(AppExecutable.BrokerArguments(port, exports.OutputBase));
        await app.WaitForOutputAsync("Listening for", TimeSpan.FromSeconds(30));

        await PublishAsync(port, "sensors/temperature", "23.7");
        app.Terminate();

        Assert.That(await app.WaitForExitAsync(TimeSpan.FromSeconds(10)), Is.EqualTo(0), app.StandardError);
        Assert.That(RecordedFiles.ReadCsv(exports.Csv), Does.Contain("sensors/temperature").And.Contain("23.7"));
        Assert.That(RecordedFiles.ReadJson(exports.Json), Does.Contain(("sensors/temperature", "23.7")));
        Assert.That(app.StandardOutput, Does.Not.Contain("Live console"), "no terminal: no console, stdin untouched");
    }

    [Test]
    public async Task Typing_q_in_a_terminal_exits_0_with_complete_files()
    {
        if (!File.Exists(Tmux))
        {
            Assert.Fail($"{Tmux} is missing: install the Debian package 'tmux' (scripts/test.sh does this).");
        }

        using var exports = new TempFolder();
        var port = FreePort.Next();
        var socket = $"eb-test-{Environment.ProcessId}-{port}";
        var exitFile = Path.Combine(exports.Path, "exit-code");
        var script = Path.Combine(exports.Path, "run.sh");
        var arguments = string.Join(' ', new List<string> { AppExecutable.DllPath }.Concat(AppExecutable.BrokerArguments(port, exports.OutputBase)).Select(Quote));
        await File.WriteAllTextAsync(script, $"{Quote(AppExecutable.DotNet)} {arguments}\necho $? > {Quote(exitFile)}\nsleep 60\n");
        try
        {
            await RunTmuxAsync(socket, "new-session", "-d", "-s", "eb", "-x", "160", "-y", "50", $"bash {Quote(script)}");
            await WaitForPaneAsync(socket, "Type q to quit", TimeSpan.FromSeconds(30));

            await PublishAsync(port, "sensors/humidity", "41.5");
            await WaitForPaneAsync(socket, "sensors/humidity", TimeSpan.FromSeconds(10)); // shown live by the console

            await RunTmuxAsync(socket, "send-keys", "-t", "eb", "q");
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
            while (!File.Exists(exitFile) || (await File.ReadAllTextAsync(exitFile)).Length == 0)
            {
                if (DateTime.UtcNow > deadline)
                {
                    Assert.Fail($"the program did not exit after q. Pane:\n{await CapturePaneAsync(socket)}");
                }

                await Task.Delay(100);
            }

            Assert.That((await File.ReadAllTextAsync(exitFile)).Trim(), Is.EqualTo("0"), await CapturePaneAsync(socket));
            Assert.That(RecordedFiles.ReadCsv(exports.Csv), Does.Contain("sensors/humidity").And.Contain("41.5"));
            Assert.That(RecordedFiles.ReadJson(exports.Json), Does.Contain(("sensors/humidity", "41.5")));
        }
        finally
        {
            // Ends the session and everything started in it.
            using var kill = ExternalProcess.Start(Tmux, "-L", socket, "kill-server");
            await kill.WaitForExitAsync(TimeSpan.FromSeconds(10));
        }
    }

    internal static async Task PublishAsync(int port, string topic, string payload)
    {
        var (code, _, error) = await ExternalProcess.RunAsync(TimeSpan.FromSeconds(10), ThirdPartyTools.MosquittoPub,
            "-h", "127.0.0.1", "-p", port.ToString(CultureInfo.InvariantCulture), "-q", "1", "-t", topic, "-m", payload);
        Assert.That(code, Is.EqualTo(0), error);
    }

    private static async Task RunTmuxAsync(string socket, params string[] arguments)
    {
        var (code, _, error) = await ExternalProcess.RunAsync(TimeSpan.FromSeconds(10), Tmux, ["-L", socket, .. arguments]);
        Assert.That(code, Is.EqualTo(0), error);
    }

    private static async Task<string> CapturePaneAsync(string socket)
    {
        var (_, output, _) = await ExternalProcess.RunAsync(TimeSpan.FromSeconds(10), Tmux, "-L", socket, "capture-pane", "-p", "-J", "-S", "-200", "-t", "eb");
        return output;
    }

    private static async Task WaitForPaneAsync(string socket, string text, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        string pane;
        while (!(pane = await CapturePaneAsync(socket)).Contains(text, StringComparison.Ordinal))
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"'{text}' not shown in the terminal within {timeout.TotalSeconds:0} s. Pane:\n{pane}");
            }

            await Task.Delay(100);
        }
    }

    private static string Quote(string word) => "'" + word.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
