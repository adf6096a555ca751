using System.Net.Sockets;
using System.Text;

namespace EmbeddedBroker.App.Tests.Support;

/// <summary>
/// An MQTT connection written byte by byte, for what a client library hides: the exact DISCONNECT a server sends
/// before it closes. CONNECT with clean start, keep-alive 60 s; no will, no credentials.
/// </summary>
internal sealed class RawMqttConnection : IAsyncDisposable
{
    private readonly TcpClient tcp;
    private readonly NetworkStream stream;

    private RawMqttConnection(TcpClient tcp)
    {
        this.tcp = tcp;
        stream = tcp.GetStream();
    }

    /// <param name="protocolLevel">4 = MQTT 3.1.1, 5 = MQTT 5.0.</param>
    public static async Task<RawMqttConnection> ConnectAsync(int port, string clientId, byte protocolLevel, CancellationToken cancellationToken)
    {
        var tcp = new TcpClient { NoDelay = true };
        await tcp.ConnectAsync("127.0.0.1", port, cancellationToken);
        var connection = new RawMqttConnection(tcp);
        var id = Encoding.UTF8.GetBytes(clientId);
        var body = new List<byte> { 0, 4, (byte)'M', (byte)'Q', (byte)'T', (byte)'T', protocolLevel, 0x02, 0, 60 };
        if (protocolLevel == 5)
        {
            body.Add(0); // no CONNECT properties
        }

        body.AddRange([(byte)(id.Length >> 8), (byte)id.Length]);
        body.AddRange(id);
        await connection.stream.WriteAsync((byte[])[0x10, (byte)body.Count, .. body], cancellationToken);
        var (type, payload) = await connection.ReadPacketAsync(cancellationToken) ?? throw new IOException("closed before CONNACK");
        if (type != 0x20 || payload[1] != 0)
        {
            throw new IOException($"no accepting CONNACK: type 0x{type:X2}, code {payload[1]}");
        }

        return connection;
    }

    /// <summary>Reads until the server closes: the reason code of the DISCONNECT it sent first (MQTT 5), or null when it sent none.</summary>
    public async Task<byte?> ReadUntilClosedAsync(CancellationToken cancellationToken)
    {
        byte? reason = null;
        try
        {
            while (await ReadPacketAsync(cancellationToken) is var (type, payload))
            {
                if (type == 0xE0)
                {
                    reason = payload.Length == 0 ? (byte)0 : payload[0];
                }
            }
        }
        catch (IOException)
        {
            // A reset after the DISCONNECT is still a close.
        }

        return reason;
    }

    /// <summary>One packet: its first byte and its body, or null at the end of the stream.</summary>
    private async Task<(byte Type, byte[] Body)?> ReadPacketAsync(CancellationToken cancellationToken)
    {
        var header = new byte[1];
        if (await stream.ReadAsync(header, cancellationToken) == 0)
        {
            return null;
        }

        int length = 0, shift = 0;
        byte next;
        do
        {
            var one = new byte[1];
            await stream.ReadExactlyAsync(one, cancellationToken);
            next = one[0];
            length |= (next & 0x7F) << shift;
            shift += 7;
        }
        while ((next & 0x80) != 0);

        var body = new byte[length];
        await stream.ReadExactlyAsync(body, cancellationToken);
        return (header[0], body);
    }

    public ValueTask DisposeAsync()
    {
        tcp.Dispose();
        return ValueTask.CompletedTask;
    }
}
