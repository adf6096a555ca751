namespace EmbeddedBroker.App.Tests.Process;

/// <summary>The live console in a real terminal (tmux): the pinned status panel, the aligned message table, the keys.</summary>
public class LiveConsoleTmuxTests
{
    [Test]
    public async Task Terminal_shows_the_status_panel_above_an_aligned_table_and_q_exits_0_with_complete_files()
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
            await tmux.WaitForPaneAsync("Type q to quit · p pause · f filter", TimeSpan.FromSeconds(30));

            await MosquittoClients.PublishTextAsync(port, "sensors/humidity", "41.5");
            await MosquittoClients.PublishAsync(port, "-t", "home/[door]", "-m", "open [bold]", "-q", "1", "-r");
            await tmux.WaitForPaneAsync("open [bold]", TimeSpan.FromSeconds(10)); // network text is shown as is, never as markup
            var pane = await tmux.CapturePaneAsync();
            var lines = pane.Split('\n');

            var header = Array.FindIndex(lines, l => l.Contains("time", StringComparison.Ordinal) && l.Contains("payload", StringComparison.Ordinal));
            var panelTop = Array.FindIndex(lines, l => l.Contains("EmbeddedBroker · Type q to quit", StringComparison.Ordinal));
            Assert.Multiple(() =>
            {
                Assert.That(panelTop, Is.GreaterThanOrEqualTo(0), pane);
                Assert.That(header, Is.GreaterThan(panelTop), $"the table is below the panel:\n{pane}");
                Assert.That(pane, Does.Contain("recorder ok:").And.Contain(output.Csv), "recorder state and files in the panel");
                Assert.That(pane, Does.Contain("clients"));
            });
            var topicColumn = lines[header].IndexOf("topic", StringComparison.Ordinal);
            var payloadColumn = lines[header].IndexOf("payload", StringComparison.Ordinal);
            var humidity = lines.Single(l => l.Contains("sensors/humidity", StringComparison.Ordinal));
            var door = lines.Single(l => l.Contains("home/[door]", StringComparison.Ordinal));
            Assert.Multiple(() =>
            {
                Assert.That(humidity.IndexOf("sensors/humidity", StringComparison.Ordinal), Is.EqualTo(topicColumn), $"topics aligned under the header:\n{pane}");
                Assert.That(door.IndexOf("home/[door]", StringComparison.Ordinal), Is.EqualTo(topicColumn), pane);
                Assert.That(humidity.IndexOf("41.5", StringComparison.Ordinal), Is.EqualTo(payloadColumn), $"payloads aligned:\n{pane}");
                Assert.That(door.IndexOf("open [bold]", StringComparison.Ordinal), Is.EqualTo(payloadColumn), pane);
                Assert.That(humidity, Does.Not.Contain("connected"), "connect lines are not in the table");
            });

            await tmux.SendKeysAsync("q");
            await Eventually.HoldsAsync(
                async () => File.Exists(exitFile) && (await File.ReadAllTextAsync(exitFile)).Length > 0,
                () => $"the program exits after q. Pane:\n{tmux.CapturePaneAsync().GetAwaiter().GetResult()}",
                TimeSpan.FromSeconds(15),
                TimeSpan.FromMilliseconds(100));

            Assert.That((await File.ReadAllTextAsync(exitFile)).Trim(), Is.EqualTo("0"), await tmux.CapturePaneAsync());
            Assert.That(RecordedFiles.ReadCsv(output.Csv).Select(r => r.TopicAndPayload), Does.Contain(("sensors/humidity", "41.5")).And.Contain(("home/[door]", "open [bold]")));
            Assert.That(RecordedFiles.ReadJsonArray(output.Json).Select(r => r.TopicAndPayload), Does.Contain(("sensors/humidity", "41.5")));
        }
        finally
        {
            await tmux.KillServerAsync(); // ends the session and everything started in it
        }
    }
}
