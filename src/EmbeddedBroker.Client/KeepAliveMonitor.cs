using System.Collections.Concurrent;
using EmbeddedBroker.Protocol.Packets;

namespace EmbeddedBroker.Client;

/// <summary>
/// Keep-alive (MQTT 3.1.2.10) and pings: sends PINGREQ when nothing was sent for the keep-alive interval
/// (MQTT-3.1.2-23) and ends the connection when a PINGREQ got no answer (nor anything else) within one more interval.
/// Owns the PINGREQs awaiting their PINGRESP, the application's (<see cref="PingAsync"/>) and its own.
/// </summary>
internal sealed class KeepAliveMonitor
{
    private readonly ClientWriter _writer;
    private readonly IClientLifetime _lifetime;

    // In the order sent; null for the monitor's own PINGREQ, which nobody awaits.
    private readonly ConcurrentQueue<TaskCompletionSource?> _awaitingResponse = new();
    private Task _loop = Task.CompletedTask;
    private long _lastReceivedTicks = Environment.TickCount64;

    public KeepAliveMonitor(ClientWriter writer, IClientLifetime lifetime)
    {
        _writer = writer;
        _lifetime = lifetime;
    }

    public Task Loop => _loop;

    /// <summary>Starts the loop unless the negotiated keep-alive is zero (no keep-alive).</summary>
    public void Start(ushort keepAliveSeconds, CancellationToken closing)
    {
        if (keepAliveSeconds > 0)
        {
            _loop = Task.Run(() => KeepAliveLoopAsync(TimeSpan.FromSeconds(keepAliveSeconds), closing), CancellationToken.None);
        }
    }

    /// <summary>Sends PINGREQ and completes on PINGRESP.</summary>
    public Task PingAsync(CancellationToken cancellationToken)
    {
        var response = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _awaitingResponse.Enqueue(response);
        if (!_writer.TryWrite(OutgoingPacket.ForPacket(PingReqPacket.Instance)) || !_lifetime.IsConnected)
        {
            response.TrySetException(new MqttConnectionClosedException());
        }

        return response.Task.WaitAsync(cancellationToken);
    }

    /// <summary>The read loop got bytes from the server: it is alive, whatever they are.</summary>
    public void OnReceived() => Volatile.Write(ref _lastReceivedTicks, Environment.TickCount64);

    /// <summary>PINGRESP from the read loop: answers the oldest PINGREQ.</summary>
    public void OnPingResp()
    {
        if (_awaitingResponse.TryDequeue(out var ping))
        {
            ping?.TrySetResult();
        }
    }

    public void FailPings(Exception reason)
    {
        while (_awaitingResponse.TryDequeue(out var ping))
        {
            ping?.TrySetException(reason);
        }
    }

    private async Task KeepAliveLoopAsync(TimeSpan interval, CancellationToken closing)
    {
        var intervalMs = (long)interval.TotalMilliseconds;
        long pingSentAt = 0;
        try
        {
            while (!closing.IsCancellationRequested)
            {
                var now = Environment.TickCount64;
                if (pingSentAt != 0)
                {
                    if (Volatile.Read(ref _lastReceivedTicks) >= pingSentAt)
                    {
                        pingSentAt = 0;
                    }
                    else if (now - pingSentAt >= intervalMs)
                    {
                        var timeout = new TimeoutException($"No PINGRESP within {interval.TotalSeconds:0.#} s.");
                        _lifetime.End(new MqttConnectionLostEventArgs(timeout, null));
                        return;
                    }
                }

                var idleMs = now - _writer.LastSentTicks;
                if (idleMs >= intervalMs && pingSentAt == 0)
                {
                    pingSentAt = now;
                    _awaitingResponse.Enqueue(null);
                    _writer.Send(OutgoingPacket.ForPacket(PingReqPacket.Instance));
                    idleMs = 0;
                }

                var waitMs = Math.Max(100, Math.Min(intervalMs - idleMs, pingSentAt == 0 ? intervalMs : pingSentAt + intervalMs - now));
                await Task.Delay(TimeSpan.FromMilliseconds(waitMs), closing).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            // Closing.
        }
    }
}
