namespace EmbeddedBroker.Testing;

/// <summary>
/// Debian's mosquitto on 127.0.0.1 on a free port, from a config generated in its own temporary folder. Start and
/// restart wait until it listens; its log (stdout) is captured; disposing kills it and deletes the folder.
/// </summary>
public sealed class MosquittoBroker : IDisposable
{
    private const UnixFileMode ReadableByAll = UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(10);
    private readonly TempFolder folder = new("eb-mosquitto-");
    private readonly string configFile;
    private ExternalProcess? process;

    private MosquittoBroker(int port, MosquittoOptions options)
    {
        Port = port;
        configFile = folder.Combine("mosquitto.conf");
        // Started as root, mosquitto drops to its own user before it opens an ACL or password file: let it read them.
        AllowRead(Folder, ReadableByAll | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
        foreach (var (name, content) in options.Files)
        {
            var path = folder.Combine(name);
            File.WriteAllText(path, content);
            AllowRead(path, ReadableByAll | UnixFileMode.UserWrite);
        }

        string[] lines =
        [
            $"listener {port} 127.0.0.1",
            "allow_anonymous true",
            "persistence false",
            "log_dest stdout",
            .. options.ConfigLines,
        ];
        File.WriteAllLines(configFile, lines);
    }

    /// <summary>Whether Debian's mosquitto is installed, for fixtures that ignore their tests without it.</summary>
    public static bool IsInstalled => File.Exists(ThirdPartyTools.MosquittoPath);

    public int Port { get; }

    /// <summary>The broker's folder (its working directory): the config and <see cref="MosquittoOptions.Files"/>.</summary>
    public string Folder => folder.Path;

    /// <summary>What the running mosquitto logged so far (stdout) and printed on stderr.</summary>
    public string Log => process?.Describe() ?? "";

    public static async Task<MosquittoBroker> StartAsync(MosquittoOptions? options = null)
    {
        var executable = ThirdPartyTools.Mosquitto;
        var broker = new MosquittoBroker(FreePort.Next(), options ?? new MosquittoOptions());
        try
        {
            await broker.RunAsync(executable);
            return broker;
        }
        catch
        {
            broker.Dispose();
            throw;
        }
    }

    /// <summary>Stops it gracefully and starts it again on the same port, waiting until it listens.</summary>
    public async Task RestartAsync()
    {
        Stop();
        await RunAsync(ThirdPartyTools.Mosquitto);
    }

    /// <summary>SIGKILL (kill -9): it ends at once, without saving or closing anything; <see cref="StartAgainAsync"/> brings it back.</summary>
    public void Kill()
    {
        process?.Kill();
        process?.Dispose();
        process = null;
    }

    /// <summary>Starts it again on the same port and config after <see cref="Stop"/> or <see cref="Kill"/>, waiting until it listens.</summary>
    public Task StartAgainAsync() => process is null ? RunAsync(ThirdPartyTools.Mosquitto) : throw new InvalidOperationException("mosquitto is still running.");

    /// <summary>SIGTERM, and wait until it is gone (its clients see the connection close); killed if it takes over 10 s.</summary>
    public void Stop()
    {
        if (process is null)
        {
            return;
        }

        process.Terminate();
        try
        {
            process.WaitForExitAsync(TimeSpan.FromSeconds(10)).GetAwaiter().GetResult();
        }
        catch (TimeoutException)
        {
            // WaitForExitAsync killed it.
        }

        process.Dispose();
        process = null;
    }

    public void Dispose()
    {
        process?.Dispose();
        process = null;
        folder.Dispose();
    }

    private static void AllowRead(string path, UnixFileMode mode)
    {
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, mode);
        }
    }

    private async Task RunAsync(string executable)
    {
        process = ExternalProcess.Start(executable, ["-c", configFile], stdin: null, workingDirectory: Folder);
        await FreePort.WaitUntilAcceptingAsync(Port, StartTimeout, process);
    }
}
