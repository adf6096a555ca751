using System.Buffers.Binary;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;

namespace EmbeddedBroker.Web.Tests.Infrastructure;

/// <summary>
/// A WebSocket client on a bare TCP socket (RFC 6455 sections 4.1 and 5.2) that writes frame headers exactly as a test
/// says, e.g. one announcing 200 MB with no payload behind it, which no WebSocket library would send.
/// </summary>
internal sealed class RawWebSocketFrames : IDisposable
{
    private static readonly TimeSpan ReadTimeout = TimeSpan.FromSeconds(10);
    private readonly TcpClient _tcp;
    private readonly NetworkStream _stream;

    private RawWebSocketFrames(TcpClient tcp)
    {
        _tcp = tcp;
        _stream = tcp.GetStream();
    }

    /// <summary>Connects and upgrades to a WebSocket with subprotocol "mqtt"; fails unless the answer is 101.</summary>
    public static async Task<RawWebSocketFrames> OpenAsync(int port, string path = "/mqtt")
    {
        var tcp = new TcpClient();
        await tcp.ConnectAsync("127.0.0.1", port);
        var frames = new RawWebSocketFrames(tcp);
        var key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(16));
        await frames._stream.WriteAsync(Encoding.ASCII.GetBytes(
            $"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
            $"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: mqtt\r\n\r\n"));
        var response = await frames.ReadHeadersAsync();
        Assert.That(response, Does.StartWith("HTTP/1.1 101"), response);
        return frames;
    }

    /// <summary>Only the header of a client frame (masked, as clients must): FIN, <paramref name="opcode"/>, the length.</summary>
    public async Task SendHeaderAsync(byte opcode, long length, bool final = true)
    {
        var header = new List<byte> { (byte)((final ? 0x80 : 0) | opcode) };
        if (length < 126)
        {
            header.Add((byte)(0x80 | length));
        }
        else if (length <= ushort.MaxValue)
        {
            header.Add(0x80 | 126);
            header.AddRange([(byte)(length >> 8), (byte)length]);
        }
        else
        {
            header.Add(0x80 | 127);
            var extended = new byte[8];
            BinaryPrimitives.WriteInt64BigEndian(extended, length);
            header.AddRange(extended);
        }

        header.AddRange([0, 0, 0, 0]); // masking key 0: the payload goes as it is
        await _stream.WriteAsync(header.ToArray());
    }

    /// <summary>A whole binary frame (masked with a key of zeros).</summary>
    public async Task SendFrameAsync(byte[] payload, bool final = true, byte opcode = 0x2)
    {
        await SendHeaderAsync(opcode, payload.Length, final);
        await _stream.WriteAsync(payload);
    }

    /// <summary>The next server frame (servers never mask): its opcode and payload.</summary>
    public async Task<(byte Opcode, byte[] Payload)> ReadFrameAsync()
    {
        var head = await ReadExactlyAsync(2);
        long length = head[1] & 0x7F;
        if (length == 126)
            length = BinaryPrimitives.ReadUInt16BigEndian(await ReadExactlyAsync(2));
        else if (length == 127)
            length = BinaryPrimitives.ReadInt64BigEndian(await ReadExactlyAsync(8));
        return ((byte)(head[0] & 0x0F), await ReadExactlyAsync((int)length));
    }

    /// <summary>Reads frames until the close frame; returns its status code (RFC 6455 section 7.4).</summary>
    public async Task<int> ReadCloseStatusAsync()
    {
        while (true)
        {
            var (opcode, payload) = await ReadFrameAsync();
            if (opcode == 0x8)
                return payload.Length >= 2 ? BinaryPrimitives.ReadUInt16BigEndian(payload) : 1005;
        }
    }

    /// <summary>True once the server has closed the TCP connection (end of stream or reset) within the read timeout.</summary>
    public async Task<bool> IsClosedByServerAsync()
    {
        using var timeout = new CancellationTokenSource(ReadTimeout);
        var buffer = new byte[4096];
        try
        {
            while (await _stream.ReadAsync(buffer, timeout.Token) > 0)
            {
                // Anything after the close frame is ignored.
            }

            return true;
        }
        catch (IOException)
        {
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private async Task<byte[]> ReadExactlyAsync(int count)
    {
        using var timeout = new CancellationTokenSource(ReadTimeout);
        var bytes = new byte[count];
        await _stream.ReadExactlyAsync(bytes, timeout.Token);
        return bytes;
    }

    private async Task<string> ReadHeadersAsync()
    {
        var text = new StringBuilder();
        while (!text.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal))
            text.Append((char)(await ReadExactlyAsync(1))[0]);
        return text.ToString();
    }

    public void Dispose()
    {
        _stream.Dispose();
        _tcp.Dispose();
    }
}
