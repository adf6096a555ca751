using System.Net.Sockets;

namespace EmbeddedBroker.Integration.Tests.Infrastructure;

/// <summary>
/// The real executable (EmbeddedBroker.dll from this test's output folder) as its own process, for what only a
/// process can show: SIGTERM draining, kill -9 durability. Bound to 127.0.0.1; killed when disposed.
/// </summary>
internal sealed class AppProcess : IDisposable
{
    private AppProcess(ExternalProcess process, int port)
    {
        Process = process;
        Port = port;
    }

    public ExternalProcess Process { get; }

    public int Port { get; }

    public string PortText => Port.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public static async Task<AppProcess> StartAsync(string recorderOutput, params string[] extraArguments)
    {
        var port = FreePort.Next();
        string[] arguments =
        [
            Path.Combine(AppContext.BaseDirectory, "EmbeddedBroker.dll"),
            "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--Listeners:Mqtt:Address", "127.0.0.1",
            "--Listeners:WebSocket:Enabled", "false",
            "--Recorder:Output", recorderOutput,
            .. extraArguments,
        ];
        var process = ExternalProcess.Start("dotnet", arguments, stdin: null);
        var app = new AppProcess(process, port);
        await app.WaitUntilAcceptingAsync(TimeSpan.FromSeconds(30));
        return app;
    }

    public void Dispose() => Process.Dispose();

    private async Task WaitUntilAcceptingAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync("127.0.0.1", Port);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline && !Process.HasExited)
            {
                await Task.Delay(100);
            }
            catch (SocketException)
            {
                Assert.Fail($"EmbeddedBroker did not accept connections on {Port}. stdout: {Process.StandardOutput} stderr: {Process.StandardError}");
            }
        }
    }
}
