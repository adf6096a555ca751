using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace EmbeddedBroker.Security.Tests.Support;

/// <summary>Debian's /usr/sbin/mosquitto on 127.0.0.1 and a free port with the given configuration lines; killed on dispose.</summary>
internal sealed class MosquittoBroker : IDisposable
{
    public const string Executable = "/usr/sbin/mosquitto";

    private readonly Process _process;

    private MosquittoBroker(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    public static async Task<MosquittoBroker> StartAsync(TempDirectory directory, params string[] configurationLines)
    {
        var port = FreePort();
        var config = directory.Write("mosquitto.conf",
            // As root, mosquitto switches to the user "mosquitto", which cannot read the test's 0700 directory or the
            // 0600 files the editor creates (as with mosquitto_passwd 2.0.x): stay the user who owns them.
            $"listener {port} 127.0.0.1\npersistence false\nlog_dest stderr\n{(Environment.UserName == "root" ? "user root\n" : "")}" + string.Join('\n', configurationLines) + "\n");
        var startInfo = new ProcessStartInfo(ExternalTool.Require(Executable))
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        startInfo.ArgumentList.Add("-c");
        startInfo.ArgumentList.Add(config);
        var process = Process.Start(startInfo)!;
        process.BeginOutputReadLine();
        var errors = new System.Text.StringBuilder();
        process.ErrorDataReceived += (_, e) => { lock (errors) { errors.AppendLine(e.Data); } };
        process.BeginErrorReadLine();

        var broker = new MosquittoBroker(process, port);
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            if (process.HasExited)
            {
                process.WaitForExit(); // drains the output handlers
                var exitCode = process.ExitCode;
                broker.Dispose();
                lock (errors)
                {
                    Assert.Fail($"mosquitto exited with {exitCode}: {errors}");
                }
            }
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, port);
                return broker;
            }
            catch (SocketException) when (deadline.Elapsed < TimeSpan.FromSeconds(10))
            {
                await Task.Delay(50);
            }
        }
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit(5000);
        }
        _process.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
