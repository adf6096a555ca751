using EmbeddedBroker.Protocol.Packets;

namespace EmbeddedBroker.Client;

public sealed partial class MqttClient
{
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(5);

    /// <summary>Sends DISCONNECT after everything already queued, then closes the connection (MQTT-3.14.4-1). No will is published.</summary>
    /// <param name="packet">A 5.0 DISCONNECT with a reason code (e.g. 0x04 to publish the will) and properties; default Success.</param>
    public async Task DisconnectAsync(DisconnectPacket? packet = null, CancellationToken cancellationToken = default)
    {
        if (Interlocked.CompareExchange(ref _state, StateDisconnecting, StateConnected) != StateConnected)
        {
            await Closed.ConfigureAwait(false);
            return;
        }

        var written = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (_writer.TryWrite(OutgoingPacket.ForPacket(packet ?? new DisconnectPacket(), written)))
        {
            _writer.Complete();
            try
            {
                await _writer.Loop.WaitAsync(DrainTimeout, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                // The server stopped reading: close anyway, the DISCONNECT is lost with the rest.
            }
        }

        Terminate(lost: null);
        await WhenLoopsEndAsync().ConfigureAwait(false);
    }

    /// <summary>Drops the connection without DISCONNECT, as a network failure would: the server publishes the will (MQTT-3.1.2-8).</summary>
    public void Abort() => Terminate(lost: null);

    /// <summary>Disconnects gracefully when still connected, then releases everything.</summary>
    public async ValueTask DisposeAsync()
    {
        if (IsConnected)
        {
            try
            {
                await DisconnectAsync().ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is IOException or OperationCanceledException or InvalidOperationException)
            {
                // Disposal must not throw because the connection broke meanwhile.
            }
        }

        Terminate(lost: null);
        await WhenLoopsEndAsync().ConfigureAwait(false);
        if (_ownedSocket is not null)
        {
            await _ownedSocket.DisposeAsync().ConfigureAwait(false);
        }

        _closing.Dispose();
    }

    bool IClientLifetime.IsConnected => IsConnected;

    void IClientLifetime.End(MqttConnectionLostEventArgs? lost) => Terminate(lost);

    private async Task WhenLoopsEndAsync()
    {
        try
        {
            await Task.WhenAll(_reader.Loop, _writer.Loop, _keepAlive.Loop).WaitAsync(DrainTimeout).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // A loop stuck in a transport call that ignores cancellation: nothing more can be done for it here.
        }
    }

    /// <summary>
    /// Ends the connection once, whatever the cause: stops the loops, fails every waiting request, completes
    /// <see cref="Messages"/> and <see cref="Closed"/>, and raises <see cref="ConnectionLost"/> when <paramref name="lost"/> is set.
    /// </summary>
    private void Terminate(MqttConnectionLostEventArgs? lost)
    {
        if (Interlocked.Exchange(ref _state, StateClosed) == StateClosed)
        {
            return;
        }

        var closed = new MqttConnectionClosedException("The MQTT connection is closed.", lost?.Exception);
        _closing.Cancel();
        _writer.Stop(closed);
        _publishes.Complete();
        WakeTransportLoops();

        _requests.FailAll(closed);
        _keepAlive.FailPings(closed);

        _closed.TrySetResult(lost);
        if (lost is not null)
        {
            try
            {
                ConnectionLost?.Invoke(this, lost);
            }
            catch (Exception)
            {
                // A failing handler must not stop the client's shutdown; it has no one else to report to.
            }
        }
    }

    private void WakeTransportLoops()
    {
        if (_ownedSocket is not null)
        {
            _ownedSocket.Abort();
            return;
        }

        try
        {
            _transport.Input.CancelPendingRead();
            _transport.Output.CancelPendingFlush();
        }
        catch (InvalidOperationException)
        {
            // The loop already completed its end of the pipe.
        }
    }
}
