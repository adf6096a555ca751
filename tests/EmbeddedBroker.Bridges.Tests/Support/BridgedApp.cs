using System.Text.Json;
using System.Text.Json.Nodes;

namespace EmbeddedBroker.Bridges.Tests.Support;

/// <summary>
/// The app as a process (AppProcess: 127.0.0.1, free port, recorder and store in <paramref name="folder"/>) with
/// bridges given as appsettings JSON (-c), killed and started again on the same port and folder when asked.
/// </summary>
internal sealed class BridgedApp : IDisposable
{
    private readonly TempFolder _folder;
    private readonly string[] _arguments;
    private AppProcess _process;

    private BridgedApp(TempFolder folder, string[] arguments, AppProcess process)
    {
        _folder = folder;
        _arguments = arguments;
        _process = process;
    }

    public int Port => _process.Port;

    /// <summary>What the running process logged so far.</summary>
    public string Log => _process.Process.StandardOutput;

    public static async Task<BridgedApp> StartAsync(TempFolder folder, JsonArray bridges, params string[] extraArguments)
    {
        var config = folder.Combine("bridges.json");
        await File.WriteAllTextAsync(config, new JsonObject { ["Bridges"] = bridges }.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        string[] arguments = ["-c", config, .. extraArguments];
        return new BridgedApp(folder, arguments, await AppProcess.StartAsync(RecorderOutput.In(folder), arguments));
    }

    /// <summary>kill -9, then the same command on the same port: the store and the bridges' queue files are what is left.</summary>
    public async Task KillAndRestartAsync(TimeSpan down)
    {
        var port = _process.Port;
        _process.Process.Kill();
        _process.Dispose();
        await Task.Delay(down);
        _process = await AppProcess.StartOnAsync(port, RecorderOutput.In(_folder), _arguments);
    }

    /// <summary>Lines of the log that contain <paramref name="text"/>.</summary>
    public int CountInLog(string text) => Log.Split('\n').Count(line => line.Contains(text, StringComparison.Ordinal));

    public Task WaitForLogAsync(string text, TimeSpan timeout) => _process.Process.WaitForOutputAsync(text, timeout);

    public Task<int> StopAsync() => _process.TerminateAsync(TimeSpan.FromSeconds(15));

    public void Dispose() => _process.Dispose();
}
