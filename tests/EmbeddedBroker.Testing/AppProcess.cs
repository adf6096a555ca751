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
    public static async Task<AppProcess> StartOnAsync(int port, RecorderOutput output, params string[] extraArguments)
    {
        var app = new AppProcess(AppExecutable.Start([.. AppExecutable.BrokerArguments(port, output), .. extraArguments]), port);
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
