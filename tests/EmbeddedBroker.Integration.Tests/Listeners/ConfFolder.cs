using System.Globalization;

namespace EmbeddedBroker.Integration.Tests.Listeners;

/// <summary>
/// A folder holding a mosquitto.conf and the files it names (password file, ACL, certificates), readable by the user
/// Debian's mosquitto drops to when started as root; the same folder runs under mosquitto or under EmbeddedBroker
/// (both take relative paths from it: mosquitto as its working directory, EmbeddedBroker as the file's folder).
/// Everything started from it is killed, and the folder deleted, on dispose.
/// </summary>
internal sealed class ConfFolder : IDisposable
{
    private const UnixFileMode ReadableByAll = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);
    private readonly TempFolder folder = new("eb-conf-");
    private readonly List<ExternalProcess> started = [];

    public ConfFolder()
    {
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(folder.Path, ReadableByAll | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
        }
    }

    public string Path => folder.Path;

    public string Combine(string name) => folder.Combine(name);

    /// <summary>Writes a file (lines joined with \n) readable by everyone; returns its full path.</summary>
    public string Write(string name, params string[] lines)
    {
        var path = folder.Combine(name);
        File.WriteAllText(path, string.Join('\n', lines) + "\n");
        AllowRead(path);
        return path;
    }

    public static void AllowRead(string path)
    {
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, ReadableByAll);
        }
    }

    /// <summary>EmbeddedBroker with <c>-c</c> this folder's <paramref name="conf"/>, recording into the folder; waits
    /// until every port of <paramref name="ports"/> accepts connections.</summary>
    public async Task<ExternalProcess> StartEmbeddedBrokerAsync(string conf, IEnumerable<int> ports, params string[] extra)
    {
        var output = RecorderOutput.In(folder.Combine("exports"));
        Directory.CreateDirectory(folder.Combine("exports"));
        var process = AppExecutable.Start(["-c", Combine(conf), "--no-console", "--output", output.BasePath, "--Persistence:Path", output.StorePath, .. extra]);
        return await WaitAsync(process, ports);
    }

    /// <summary>Debian's mosquitto on this folder's <paramref name="conf"/>, started in the folder.</summary>
    public async Task<ExternalProcess> StartMosquittoAsync(string conf, IEnumerable<int> ports)
    {
        var process = ExternalProcess.Start(ThirdPartyTools.Mosquitto, ["-c", Combine(conf)], stdin: null, workingDirectory: Path);
        return await WaitAsync(process, ports);
    }

    /// <summary>
    /// As <see cref="StartMosquittoAsync"/>, but waits for its "running" log line (the conf must say `log_dest stderr`:
    /// its standard output is buffered when it is not a terminal)
    /// instead of probing its ports: Debian's mosquitto 2.0.11 miscounts max_connections after a connection that
    /// closes before CONNECT (measured: a probe lets one client too many in later).
    /// </summary>
    public async Task<ExternalProcess> StartMosquittoWithoutProbingAsync(string conf)
    {
        var process = ExternalProcess.Start(ThirdPartyTools.Mosquitto, ["-c", Combine(conf)], stdin: null, workingDirectory: Path);
        started.Add(process);
        await Eventually.HoldsAsync(
            () => process.HasExited ? throw new AssertionException($"mosquitto exited: {process.Describe()}") : process.StandardError.Contains(" running", StringComparison.Ordinal),
            $"mosquitto logs that it runs", StartTimeout);
        return process;
    }

    /// <summary>Sends SIGHUP to <paramref name="process"/> (a broker of this folder).</summary>
    public static async Task HangUpAsync(ExternalProcess process)
    {
        var (code, _, error) = await ExternalProcess.RunAsync(TimeSpan.FromSeconds(10), "/bin/kill", "-HUP", process.Id.ToString(CultureInfo.InvariantCulture));
        Assert.That(code, Is.Zero, error);
    }

    public void Dispose()
    {
        foreach (var process in started)
        {
            process.Dispose();
        }

        folder.Dispose();
    }

    private async Task<ExternalProcess> WaitAsync(ExternalProcess process, IEnumerable<int> ports)
    {
        started.Add(process);
        foreach (var port in ports)
        {
            await FreePort.WaitUntilAcceptingAsync(port, StartTimeout, process);
        }

        return process;
    }
}
