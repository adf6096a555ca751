using EmbeddedBroker.Protocol.Packets;

namespace EmbeddedBroker.Client;

public sealed partial class MqttClient
{
    /// <summary>
    /// Sends PINGREQ when nothing was sent for the keep-alive interval (MQTT-3.1.2-23), and gives the connection
    /// up when a PINGREQ got no answer (nor anything else) within one more interval (MQTT 3.1.2.10).
    /// </summary>
    private async Task KeepAliveLoopAsync(TimeSpan interval)
    {
        var intervalMs = (long)interval.TotalMilliseconds;
        long pingSentAt = 0;
        try
        {
            while (!_closing.IsCancellationRequested)
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
                        Terminate(new MqttConnectionLostEventArgs(timeout, null));
                        return;
                    }
                }

                var idleMs = now - Volatile.Read(ref _lastSentTicks);
                if (idleMs >= intervalMs && pingSentAt == 0)
                {
                    pingSentAt = now;
                    _pingsAwaitingResponse.Enqueue(null);
                    Send(OutgoingPacket.ForPacket(PingReqPacket.Instance));
                    idleMs = 0;
                }

                var waitMs = Math.Max(100, Math.Min(intervalMs - idleMs, pingSentAt == 0 ? intervalMs : pingSentAt + intervalMs - now));
                await Task.Delay(TimeSpan.FromMilliseconds(waitMs), _closing.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            // Closing.
        }
    }
}
