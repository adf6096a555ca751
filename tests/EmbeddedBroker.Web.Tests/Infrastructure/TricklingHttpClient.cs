using System.Net.Sockets;
using System.Text;

namespace EmbeddedBroker.Web.Tests.Infrastructure;

/// <summary>
/// An HTTP/1.1 client on a bare TCP socket that sends a request as slowly as a test says (one byte per pause), the
/// way a slowloris attacker holds a connection open, and reads whatever the server answers until it closes.
/// </summary>
internal sealed class TricklingHttpClient : IDisposable
{
    private readonly TcpClient _tcp;
    private readonly NetworkStream _stream;

    private TricklingHttpClient(TcpClient tcp)
    {
        _tcp = tcp;
        _stream = tcp.GetStream();
    }

    public static async Task<TricklingHttpClient> ConnectAsync(int port)
    {
        var tcp = new TcpClient();
        await tcp.ConnectAsync("127.0.0.1", port);
        return new TricklingHttpClient(tcp);
    }

    public Task SendAsync(string text) => _stream.WriteAsync(Encoding.ASCII.GetBytes(text)).AsTask();

    /// <summary>Sends <paramref name="text"/> one byte per <paramref name="pause"/> until it is all sent, the server
    /// closes the connection, or <paramref name="cancellation"/> fires. Returns how many bytes went.</summary>
    public async Task<int> TrickleAsync(string text, TimeSpan pause, CancellationToken cancellation)
    {
        var bytes = Encoding.ASCII.GetBytes(text);
        var sent = 0;
        try
        {
            for (; sent < bytes.Length; sent++)
            {
                await _stream.WriteAsync(bytes.AsMemory(sent, 1), cancellation);
                await Task.Delay(pause, cancellation);
            }
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or ObjectDisposedException)
        {
            // The server cut the connection (what the tests want to see) or the test is over.
        }

        return sent;
    }

    /// <summary>Everything the server sends until it closes the connection; null when it is still open after
    /// <paramref name="timeout"/>.</summary>
    public async Task<string?> ReadUntilClosedAsync(TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        var received = new MemoryStream();
        var buffer = new byte[4096];
        try
        {
            int read;
            while ((read = await _stream.ReadAsync(buffer, deadline.Token)) > 0)
                received.Write(buffer, 0, read);
        }
        catch (IOException)
        {
            // A reset after the answer is a close too.
        }
        catch (OperationCanceledException)
        {
            return null;
        }

        return Encoding.ASCII.GetString(received.ToArray());
    }

    public void Dispose()
    {
        _stream.Dispose();
        _tcp.Dispose();
    }
}
