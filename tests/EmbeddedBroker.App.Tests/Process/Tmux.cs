namespace EmbeddedBroker.App.Tests.Process;

/// <summary>A private tmux server (its own socket) with one 160x50 session, for what only a real terminal shows.</summary>
internal sealed class Tmux(string executable)
{
    private const string Session = "eb";
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(10);
    private readonly string socket = $"eb-test-{Environment.ProcessId}-{Guid.NewGuid():N}";

    /// <summary>A word for bash, single-quoted.</summary>
    public static string Quote(string word) => "'" + word.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    public Task StartAsync(string shellCommand) =>
        RunAsync("new-session", "-d", "-s", Session, "-x", "160", "-y", "50", shellCommand);

    public Task SendKeysAsync(string keys) => RunAsync("send-keys", "-t", Session, keys);

    public async Task<string> CapturePaneAsync()
    {
        var (_, output, _) = await ExternalProcess.RunAsync(CommandTimeout, executable, "-L", socket, "capture-pane", "-p", "-J", "-S", "-200", "-t", Session);
        return output;
    }

    public Task WaitForPaneAsync(string text, TimeSpan timeout)
    {
        var pane = "";
        return Eventually.HoldsAsync(
            async () => (pane = await CapturePaneAsync()).Contains(text, StringComparison.Ordinal),
            () => $"'{text}' is shown in the terminal. Pane:\n{pane}",
            timeout,
            TimeSpan.FromMilliseconds(100));
    }

    public async Task KillServerAsync()
    {
        using var kill = ExternalProcess.Start(executable, "-L", socket, "kill-server");
        await kill.WaitForExitAsync(CommandTimeout);
    }

    private async Task RunAsync(params string[] arguments)
    {
        var (code, _, error) = await ExternalProcess.RunAsync(CommandTimeout, executable, ["-L", socket, .. arguments]);
        Assert.That(code, Is.EqualTo(0), error);
    }
}
