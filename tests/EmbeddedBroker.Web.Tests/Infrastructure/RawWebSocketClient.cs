using System.Net.WebSockets;

namespace EmbeddedBroker.Web.Tests.Infrastructure;

/// <summary>A WebSocket client that sends MQTT bytes framed exactly as a test says and reads raw bytes back.</summary>
internal sealed class RawWebSocketClient : IDisposable
{
    private static readonly TimeSpan ReadTimeout = TimeSpan.FromSeconds(10);
    private readonly List<byte> received = [];

    private RawWebSocketClient(ClientWebSocket socket)
    {
        Socket = socket;
    }

    public ClientWebSocket Socket { get; }

    public static async Task<RawWebSocketClient> ConnectAsync(Uri uri, params string[] subprotocols)
    {
        var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        foreach (var subprotocol in subprotocols)
        {
            socket.Options.AddSubProtocol(subprotocol);
        }

        using var timeout = new CancellationTokenSource(ReadTimeout);
        try
        {
            await socket.ConnectAsync(uri, timeout.Token);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        return new RawWebSocketClient(socket);
    }

    /// <summary>Sends <paramref name="bytes"/> as one binary message made of frames of at most <paramref name="frameSize"/> bytes.</summary>
    public async Task SendAsync(byte[] bytes, int frameSize = int.MaxValue)
    {
        for (var offset = 0; offset < bytes.Length; offset += frameSize)
        {
            var count = Math.Min(frameSize, bytes.Length - offset);
            await Socket.SendAsync(bytes.AsMemory(offset, count), WebSocketMessageType.Binary, endOfMessage: offset + count >= bytes.Length, CancellationToken.None);
        }
    }

    /// <summary>Sends each packet as its own binary message.</summary>
    public async Task SendMessagesAsync(params byte[][] messages)
    {
        foreach (var message in messages)
        {
            await SendAsync(message);
        }
    }

    /// <summary>Reads until exactly <paramref name="count"/> more bytes have arrived (across any number of frames).</summary>
    public async Task<byte[]> ReceiveBytesAsync(int count)
    {
        using var timeout = new CancellationTokenSource(ReadTimeout);
        var buffer = new byte[4096];
        while (received.Count < count)
        {
            var result = await Socket.ReceiveAsync(buffer, timeout.Token);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                throw new AssertionException($"closed ({result.CloseStatus}) after {received.Count} of {count} bytes");
            }

            Assert.That(result.MessageType, Is.EqualTo(WebSocketMessageType.Binary), "MQTT must come in binary frames [MQTT-6.0.0-1]");
            received.AddRange(buffer.AsSpan(0, result.Count));
        }

        var bytes = received.GetRange(0, count).ToArray();
        received.RemoveRange(0, count);
        return bytes;
    }

    /// <summary>Reads until the server's close frame and returns its status code (null when the connection just dropped).</summary>
    public async Task<WebSocketCloseStatus?> ReceiveCloseAsync()
    {
        using var timeout = new CancellationTokenSource(ReadTimeout);
        var buffer = new byte[4096];
        try
        {
            while (true)
            {
                var result = await Socket.ReceiveAsync(buffer, timeout.Token);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return result.CloseStatus;
                }
            }
        }
        catch (WebSocketException)
        {
            return null;
        }
    }

    public void Dispose() => Socket.Dispose();
}
