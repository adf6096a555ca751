using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace EmbeddedBroker.Client.Tests.Mosquitto;

/// <summary>A Debian mosquitto started on 127.0.0.1 on a free port with a temporary config; killed on dispose.</summary>
public sealed class MosquittoProcess : IDisposable
{
    public const string ExecutablePath = "/usr/sbin/mosquitto";

    private readonly Process _process;
    private readonly string _directory;

    private MosquittoProcess(Process process, string directory, int port)
    {
        _process = process;
        _directory = directory;
        Port = port;
    }

    public int Port { get; }

    public static bool IsInstalled => File.Exists(ExecutablePath);

    public static async Task<MosquittoProcess> StartAsync()
    {
        var port = FindFreePort();
        var directory = Directory.CreateTempSubdirectory("eb-client-tests-").FullName;
        var config = Path.Combine(directory, "mosquitto.conf");
        await File.WriteAllTextAsync(config, $"""
            listener {port} 127.0.0.1
            allow_anonymous true
            persistence false
            log_dest none
            """);

        var startInfo = new ProcessStartInfo(ExecutablePath)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        startInfo.ArgumentList.Add("-c");
        startInfo.ArgumentList.Add(config);
        var process = Process.Start(startInfo) ?? throw new InvalidOperationException("mosquitto did not start.");

        var broker = new MosquittoProcess(process, directory, port);
        try
        {
            await broker.WaitUntilListeningAsync(TimeSpan.FromSeconds(10));
            return broker;
        }
        catch
        {
            broker.Dispose();
            throw;
        }
    }

    private async Task WaitUntilListeningAsync(TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < timeout)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"mosquitto exited with {_process.ExitCode}: {await _process.StandardError.ReadToEndAsync()}");
            }

            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, Port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(50);
            }
        }

        throw new TimeoutException($"mosquitto did not listen on {Port} within {timeout}.");
    }

    private static int FindFreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill();
                _process.WaitForExit(5000);
            }
        }
        finally
        {
            _process.Dispose();
            Directory.Delete(_directory, recursive: true);
        }
    }
}
