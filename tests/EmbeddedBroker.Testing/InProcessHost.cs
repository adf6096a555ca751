using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Hosting;

namespace EmbeddedBroker.Testing;

/// <summary>
/// An application host (the real composition, built by the caller) started inside the test process on free
/// 127.0.0.1 ports, with a temporary folder for what it writes. Disposing stops it (15 s at most) and deletes the folder.
/// </summary>
public sealed class InProcessHost : IAsyncDisposable
{
    private const int StartAttempts = 5;
    private readonly IHost host;

    private InProcessHost(IHost host, IReadOnlyList<int> ports, TempFolder folder)
    {
        this.host = host;
        Ports = ports;
        Folder = folder;
    }

    /// <summary>The ports handed to the build delegate, in its order.</summary>
    public IReadOnlyList<int> Ports { get; }

    public TempFolder Folder { get; }

    public IServiceProvider Services => host.Services;

    /// <summary>
    /// Builds the host with <paramref name="portCount"/> free ports and a fresh folder, and starts it. A free port found
    /// by probing can be taken by another process before the host binds it: then it tries again with new ports.
    /// Any other start-up failure (e.g. invalid options) is thrown as it is.
    /// </summary>
    public static async Task<InProcessHost> StartAsync(int portCount, Func<IReadOnlyList<int>, TempFolder, IHost> build)
    {
        for (var attempt = 1; ; attempt++)
        {
            var ports = Enumerable.Range(0, portCount).Select(_ => FreePort.Next()).ToArray();
            var folder = new TempFolder("eb-host-");
            IHost? host = null;
            try
            {
                host = build(ports, folder);
                await host.StartAsync();
                return new InProcessHost(host, ports, folder);
            }
            catch (IOException ex) when (ex.InnerException is AddressInUseException && attempt < StartAttempts)
            {
                TestContext.Out.WriteLine($"port taken meanwhile ({ex.Message}); retrying with other ports");
                await DisposeAsync(host, folder);
            }
            catch
            {
                await DisposeAsync(host, folder);
                throw;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        using (var cts = new CancellationTokenSource(TimeSpan.FromSeconds(15)))
        {
            await host.StopAsync(cts.Token);
        }

        await DisposeAsync(host, Folder);
    }

    private static async Task DisposeAsync(IHost? host, TempFolder folder)
    {
        if (host is IAsyncDisposable asyncHost)
        {
            await asyncHost.DisposeAsync();
        }
        else
        {
            host?.Dispose();
        }

        folder.Dispose();
    }
}
