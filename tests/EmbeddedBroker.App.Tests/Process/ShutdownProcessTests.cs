namespace EmbeddedBroker.App.Tests.Process;

/// <summary>Stopping cleanly: `q` in a real terminal, SIGTERM without one. Both exit 0 with complete files.</summary>
public class ShutdownProcessTests
{
    [Test]
    public async Task Sigterm_without_a_terminal_exits_0_with_complete_files_and_no_live_console()
    {
        using var exports = new TempFolder();
        var output = RecorderOutput.In(exports);
        using var app = await AppProcess.StartAsync(output);

        await MosquittoClients.PublishTextAsync(app.Port, "sensors/temperature", "23.7");

        Assert.That(await app.TerminateAsync(TimeSpan.FromSeconds(10)), Is.EqualTo(0), app.Process.StandardError);
        Assert.That(RecordedFiles.ReadCsv(output.Csv).Select(r => r.TopicAndPayload), Does.Contain(("sensors/temperature", "23.7")));
        Assert.That(RecordedFiles.ReadJsonArray(output.Json).Select(r => r.TopicAndPayload), Does.Contain(("sensors/temperature", "23.7")));
        Assert.That(app.Process.StandardOutput, Does.Not.Contain("Live console"), "no terminal: no console, stdin untouched");
    }

    [Test]
    public async Task Typing_q_in_a_terminal_exits_0_with_complete_files()
    {
        var tmux = new Tmux(ThirdPartyTools.Tmux);
        using var exports = new TempFolder();
        var output = RecorderOutput.In(exports);
        var port = FreePort.Next();
        var exitFile = exports.Combine("exit-code");
        var script = exports.Combine("run.sh");
        var arguments = string.Join(' ', new List<string> { AppExecutable.DllPath }.Concat(AppExecutable.BrokerArguments(port, output)).Select(Tmux.Quote));
        await File.WriteAllTextAsync(script, $"{Tmux.Quote(AppExecutable.DotNet)} {arguments}\necho $? > {Tmux.Quote(exitFile)}\nsleep 60\n");
        try
        {
            await tmux.StartAsync($"bash {Tmux.Quote(script)}");
            await tmux.WaitForPaneAsync("Type q to quit", TimeSpan.FromSeconds(30));

            await MosquittoClients.PublishTextAsync(port, "sensors/humidity", "41.5");
            await tmux.WaitForPaneAsync("sensors/humidity", TimeSpan.FromSeconds(10)); // shown live by the console

            await tmux.SendKeysAsync("q");
            await Eventually.HoldsAsync(
                async () => File.Exists(exitFile) && (await File.ReadAllTextAsync(exitFile)).Length > 0,
                () => $"the program exits after q. Pane:\n{tmux.CapturePaneAsync().GetAwaiter().GetResult()}",
                TimeSpan.FromSeconds(15),
                TimeSpan.FromMilliseconds(100));

            Assert.That((await File.ReadAllTextAsync(exitFile)).Trim(), Is.EqualTo("0"), await tmux.CapturePaneAsync());
            Assert.That(RecordedFiles.ReadCsv(output.Csv).Select(r => r.TopicAndPayload), Does.Contain(("sensors/humidity", "41.5")));
            Assert.That(RecordedFiles.ReadJsonArray(output.Json).Select(r => r.TopicAndPayload), Does.Contain(("sensors/humidity", "41.5")));
        }
        finally
        {
            await tmux.KillServerAsync(); // ends the session and everything started in it
        }
    }
}
