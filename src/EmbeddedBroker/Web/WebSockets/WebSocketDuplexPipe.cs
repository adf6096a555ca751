using System.Buffers;
using System.IO.Pipelines;
using System.Net.WebSockets;

namespace EmbeddedBroker.Web.WebSockets;

/// <summary>
/// Presents a WebSocket as the <see cref="IDuplexPipe"/> the broker's connection loop reads and writes, so the MQTT
/// code never sees WebSocket framing. One loop copies received binary frames into <see cref="Input"/> (an MQTT packet
/// may span frames and a frame may hold several packets: the pipe is a plain byte stream), one loop sends what the
/// broker writes to <see cref="Output"/> as binary messages. A text frame closes with 1003, a message over the size
/// limit with 1009 (RFC 6455 section 7.4.1), refused by <see cref="WebSocketFrameGuard"/> at the frame header that
/// announces it, before its payload is read; the broker then sees the end of its input, as for a dropped TCP socket.
/// </summary>
internal sealed class WebSocketDuplexPipe : IDuplexPipe
{
    private static readonly TimeSpan CloseHandshakeTimeout = TimeSpan.FromSeconds(2);

    private readonly WebSocket socket;
    private readonly Pipe input;
    private readonly Pipe output;
    private WebSocketCloseStatus closeStatus = WebSocketCloseStatus.NormalClosure;
    private string? closeDescription;
    private volatile bool inputOpen = true;

    /// <param name="guard">The stream under <paramref name="socket"/>, which refuses oversized messages at their header.</param>
    /// <param name="messageTooBig">Told the announced length of each refused message (counted and logged by the caller).</param>
    public WebSocketDuplexPipe(WebSocket socket, WebSocketFrameGuard guard, long inputBufferLimit, Action<long> messageTooBig)
    {
        this.socket = socket;
        // The input may have to hold one whole MQTT packet before the broker can consume any of it, so the writer
        // pauses only beyond the largest packet the broker accepts (pausing earlier would deadlock on big packets).
        input = new Pipe(new PipeOptions(
            pauseWriterThreshold: inputBufferLimit,
            resumeWriterThreshold: inputBufferLimit / 2,
            useSynchronizationContext: false));
        output = new Pipe(new PipeOptions(
            pauseWriterThreshold: 1024 * 1024,
            resumeWriterThreshold: 512 * 1024,
            useSynchronizationContext: false));
        guard.OnRefused = async announced =>
        {
            // On the receive loop's own flow (inside its ReceiveAsync), so the input writer is not in use meanwhile.
            SetClose(WebSocketCloseStatus.MessageTooBig, $"WebSocket message larger than {guard.MessageLimit} bytes");
            inputOpen = false;
            await input.Writer.CompleteAsync();
            messageTooBig(announced);
        };
    }

    public PipeReader Input => input.Reader;

    public PipeWriter Output => output.Writer;

    /// <summary>
    /// Runs <paramref name="connection"/> (the broker's connection loop) over this socket and closes the socket when it
    /// ends, with 1000 or the violation's code. Returns once both loops are done.
    /// </summary>
    public async Task RunAsync(Func<IDuplexPipe, CancellationToken, Task> connection, CancellationToken aborted)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(aborted);
        var receiving = ReceiveLoopAsync(stop.Token);
        var sending = SendLoopAsync(stop.Token);
        try
        {
            await connection(this, stop.Token);
        }
        finally
        {
            // Whatever the broker wrote last (a CONNACK with a reason code, a DISCONNECT) is sent before the close frame.
            await output.Writer.CompleteAsync();
            await sending;
            await CloseAsync(receiving, stop);
        }
    }

    private async Task ReceiveLoopAsync(CancellationToken cancellation)
    {
        byte[]? discard = null;
        try
        {
            while (true)
            {
                // Once the input is closed (violation, or the broker stopped reading) we keep reading only to see the
                // peer's close frame, so our close frame is delivered before the connection goes away.
                var memory = inputOpen ? input.Writer.GetMemory(4096) : (discard ??= new byte[1024]);
                var result = await socket.ReceiveAsync(memory, cancellation);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }

                if (!inputOpen)
                {
                    continue;
                }

                if (result.MessageType == WebSocketMessageType.Text)
                {
                    // MQTT over WebSocket is binary only [MQTT-6.0.0-1]: a text frame is a protocol violation.
                    SetClose(WebSocketCloseStatus.InvalidMessageType, "MQTT needs binary WebSocket frames");
                    inputOpen = false;
                    await input.Writer.CompleteAsync();
                    continue;
                }

                input.Writer.Advance(result.Count);
                var flush = await input.Writer.FlushAsync(cancellation);
                if (flush.IsCompleted)
                {
                    inputOpen = false; // the broker stopped reading: it is closing the connection
                    await input.Writer.CompleteAsync();
                }
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or IOException)
        {
            // The peer vanished without a close handshake: to the broker that is the end of the stream, exactly
            // like a reset TCP socket (it publishes the will), not a fault of ours.
        }
        finally
        {
            if (inputOpen)
            {
                await input.Writer.CompleteAsync();
            }
        }
    }

    private async Task SendLoopAsync(CancellationToken cancellation)
    {
        try
        {
            while (true)
            {
                var result = await output.Reader.ReadAsync(cancellation);
                var buffer = result.Buffer;
                foreach (var segment in buffer)
                {
                    // Each segment is a complete binary message: receivers must not assume packets align with
                    // frames [MQTT-6.0.0-2], and whole messages (no continuation frames) suit every client.
                    await socket.SendAsync(segment, WebSocketMessageType.Binary, endOfMessage: true, cancellation);
                }

                output.Reader.AdvanceTo(buffer.End);
                if (result.IsCompleted || result.IsCanceled)
                {
                    break;
                }
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or IOException)
        {
            // The peer is gone; the broker's next flush sees the completed reader and ends the connection.
        }
        finally
        {
            await output.Reader.CompleteAsync();
        }
    }

    private async Task CloseAsync(Task receiving, CancellationTokenSource stop)
    {
        try
        {
            if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                using var timeout = new CancellationTokenSource(CloseHandshakeTimeout);
                await socket.CloseOutputAsync(closeStatus, closeDescription, timeout.Token);
            }

            // Give the client a moment to answer our close frame, then stop reading regardless.
            await receiving.WaitAsync(CloseHandshakeTimeout);
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or TimeoutException or IOException)
        {
            // The peer is gone or slow: nothing more to say to it.
        }
        finally
        {
            await stop.CancelAsync();
            if (socket.State is not WebSocketState.Closed)
            {
                socket.Abort();
            }

            await receiving;
        }
    }

    private void SetClose(WebSocketCloseStatus status, string description)
    {
        closeStatus = status;
        closeDescription = description;
    }
}
