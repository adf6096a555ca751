namespace EmbeddedBroker.App.Tests.Process;

/// <summary>Stopping cleanly without a terminal: SIGTERM exits 0 with complete files (q in a terminal: LiveConsoleTmuxTests).</summary>
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
}
