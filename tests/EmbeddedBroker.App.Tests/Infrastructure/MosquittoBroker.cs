using System.Net.Sockets;

namespace EmbeddedBroker.App.Tests.Infrastructure;

/// <summary>A real Debian mosquitto on 127.0.0.1 and a port of the test's choosing, for record mode; can be restarted on the same port.</summary>
internal sealed class MosquittoBroker : IDisposable
{
    private const string Executable = "/usr/sbin/mosquitto";
    private readonly string configFile;
    private ExternalProcess? process;

    private MosquittoBroker(int port)
    {
        Port = port;
        configFile = Path.Combine(Path.GetTempPath(), $"eb-mosquitto-{port}.conf");
        File.WriteAllText(configFile, $"listener {port} 127.0.0.1\nallow_anonymous true\npersistence false\n");
    }

    public int Port { get; }

    public static async Task<MosquittoBroker> StartAsync()
    {
        if (!File.Exists(Executable))
        {
            Assert.Fail($"{Executable} is missing: install the Debian package 'mosquitto' (scripts/test.sh does this).");
        }

        var broker = new MosquittoBroker(FreePort.Next());
        await broker.RestartAsync();
        return broker;
    }

    /// <summary>Starts it (again) and waits until it accepts connections.</summary>
    public async Task RestartAsync()
    {
        Stop();
        process = ExternalProcess.Start(Executable, "-c", configFile);
        await WaitUntilAcceptingAsync(Port, TimeSpan.FromSeconds(10));
    }

    /// <summary>SIGTERM, and wait until it is gone (its clients see the connection close).</summary>
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
        Stop();
        File.Delete(configFile);
    }

    public static async Task WaitUntilAcceptingAsync(int port, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync("127.0.0.1", port);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(50);
            }
        }
    }
}
