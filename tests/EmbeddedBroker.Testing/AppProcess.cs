using System.Globalization;

namespace EmbeddedBroker.Testing;

/// <summary>
/// The app as a broker in its own process (see <see cref="AppExecutable"/>), for what only a process can show: SIGTERM
/// draining, kill -9 durability, the healthcheck command. Bound to 127.0.0.1 on a free port; killed when disposed.
/// </summary>
public sealed class AppProcess : IDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);

    private AppProcess(ExternalProcess process, int port)
    {
        Process = process;
        Port = port;
    }

    public ExternalProcess Process { get; }

    public int Port { get; }

    public string PortText => Port.ToString(CultureInfo.InvariantCulture);

    /// <summary>Starts it recording to <paramref name="output"/> and waits until it accepts MQTT connections.</summary>
    public static Task<AppProcess> StartAsync(RecorderOutput output, params string[] extraArguments) =>
        StartOnAsync(FreePort.Next(), output, extraArguments);

    /// <summary>Starts it on <paramref name="port"/> (e.g. again after a kill, for clients that come back to the same address).</summary>
    public static Task<AppProcess> StartOnAsync(int port, RecorderOutput output, params string[] extraArguments) =>
        WaitUntilAcceptingAsync(AppExecutable.Start([.. AppExecutable.BrokerArguments(port, output), .. extraArguments]), port);

    /// <summary>Starts it as <see cref="StartAsync"/> does, under an open-file limit (`ulimit -n`).</summary>
    public static Task<AppProcess> StartWithOpenFileLimitAsync(int openFiles, RecorderOutput output, params string[] extraArguments)
    {
        var port = FreePort.Next();
        return WaitUntilAcceptingAsync(AppExecutable.StartWithOpenFileLimit(openFiles, [.. AppExecutable.BrokerArguments(port, output), .. extraArguments]), port);
    }

    private static async Task<AppProcess> WaitUntilAcceptingAsync(ExternalProcess process, int port)
    {
        var app = new AppProcess(process, port);
        try
        {
            await FreePort.WaitUntilAcceptingAsync(port, StartTimeout, app.Process);
            return app;
        }
        catch
        {
            app.Dispose();
            throw;
        }
    }

    /// <summary>SIGTERM, then the exit code (killed and failed if it takes longer than <paramref name="timeout"/>).</summary>
    public async Task<int> TerminateAsync(TimeSpan timeout)
    {
        Process.Terminate();
        return await Process.WaitForExitAsync(timeout);
    }

    public void Dispose() => Process.Dispose();
}
