using System.IO.Pipelines;
using EmbeddedBroker.Broker.Publishing;
using EmbeddedBroker.Broker.Sessions;
using EmbeddedBroker.Protocol;
using EmbeddedBroker.Protocol.Packets;
using Microsoft.Extensions.Logging;

namespace EmbeddedBroker.Broker.Connections;

/// <summary>
/// One network connection speaking MQTT, whatever the transport (TCP, WebSocket, in-memory pipes): a read loop that
/// decodes every packet the buffer holds, and one writer loop that drains a priority lane (acks, PINGRESP, SUBACK,
/// DISCONNECT) before pulling data from the session, encodes all it has and flushes once.
/// This file: lifetime (run, close, clean-up). See the Connect, Inbound and Outbound parts.
/// </summary>
internal sealed partial class MqttConnection : ISessionOwner, IDisposable
{
    private readonly MqttBroker _broker;
    private readonly MqttBrokerOptions _options;
    private readonly BrokerStatistics _statistics;
    private readonly IDuplexPipe _transport;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _readCts;
    private readonly CancellationToken _connectionToken;
    private readonly CancellationToken _shutdownToken;

    private readonly ControlLane _control = new();
    private readonly SemaphoreSlim _controlSlots;
    private readonly WriterSignal _outboundSignal = new();

    private int _closeReason;
    private volatile bool _closing;
    private volatile bool _connAckSent;
    private Task? _writerTask;

    private MqttProtocolVersion _version = MqttProtocolVersion.V311;
    private MqttSession? _session;
    private MqttWill? _will;
    private bool _publishWillAfterDisconnect;
    private TimeSpan _keepAliveTimeout = Timeout.InfiniteTimeSpan;
    private uint _clientMaximumPacketSize;
    private bool _dollarTopicDropLogged;
    private MqttClientIdentity? _identity;

    /// <param name="connectionToken">Cancelled by the transport when the network connection is gone (Kestrel's ConnectionClosed).</param>
    /// <param name="shutdownToken">Cancelled when the broker stops.</param>
    public MqttConnection(MqttBroker broker, IDuplexPipe transport, MqttConnectionContext context, ILogger logger,
        CancellationToken connectionToken, CancellationToken shutdownToken)
    {
        _broker = broker;
        _options = broker.Options;
        _statistics = broker.Statistics;
        _transport = transport;
        Context = context;
        _logger = logger;
        _connectionToken = connectionToken;
        _shutdownToken = shutdownToken;
        _readCts = CancellationTokenSource.CreateLinkedTokenSource(connectionToken, shutdownToken);
        _controlSlots = new SemaphoreSlim(_options.MaximumPendingControlPackets, _options.MaximumPendingControlPackets);
    }

    public MqttConnectionContext Context { get; }
    public string ClientId { get; private set; } = "";
    public MqttProtocolVersion ProtocolVersion => _version;
    public DateTimeOffset ConnectedAt { get; private set; }
    /// <summary>The session while the client is connected: null before CONNACK and once closing started.</summary>
    public MqttSession? Session => _connAckSent && !_closing ? _session : null;
    internal CloseReason Reason => (CloseReason)Volatile.Read(ref _closeReason);

    public async Task RunAsync()
    {
        try
        {
            _readCts.CancelAfter(_options.ConnectTimeout);
            if (await ConnectAsync().ConfigureAwait(false))
            {
                _writerTask = RunWriterAsync(); // runs until its first wait, then on the thread pool
                SignalOutbound(); // queued messages and re-sends of a resumed session
                await ReadLoopAsync().ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (_readCts.IsCancellationRequested)
        {
            ClassifyCancellation();
        }
        catch (Exception ex) when (IsTransportFailure(ex))
        {
            RequestClose(CloseReason.TransportError);
            _logger.LogDebug(ex, "Transport error on {ClientId}", ClientId);
        }
        finally
        {
            await CleanUpAsync().ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Ends the connection for <paramref name="reason"/>; safe from any thread. MQTT 5 clients get a DISCONNECT with
    /// <paramref name="disconnectCode"/> first (4.13: the server may send DISCONNECT before closing).
    /// </summary>
    public void RequestClose(CloseReason reason, MqttReasonCode? disconnectCode = null)
    {
        if (Interlocked.CompareExchange(ref _closeReason, (int)reason, (int)CloseReason.None) != (int)CloseReason.None)
            return;
        _closing = true;
        if (disconnectCode is { } code && _version == MqttProtocolVersion.V500 && _connAckSent)
        {
            _control.Enqueue(new ControlItem(new DisconnectPacket { ReasonCode = code }, UsesSlot: false));
            SignalOutbound();
        }

        try
        {
            _readCts.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // Already cleaned up.
        }
    }

    private void ClassifyCancellation()
    {
        if (Reason != CloseReason.None)
            return;
        if (_shutdownToken.IsCancellationRequested)
        {
            RequestClose(CloseReason.ServerShuttingDown, MqttReasonCode.ServerShuttingDown);
        }
        else if (_connectionToken.IsCancellationRequested)
        {
            RequestClose(CloseReason.TransportClosed); // the transport saw the peer go: an abnormal close, the will applies
        }
        else if (!_connAckSent)
        {
            _statistics.ConnectTimeout();
            RequestClose(CloseReason.ConnectTimeout);
        }
        else
        {
            // MQTT-3.1.2-24: no control packet within 1.5 x keep-alive. MQTT 5 gets DISCONNECT 0x8D.
            _statistics.KeepAliveTimeout();
            RequestClose(CloseReason.KeepAliveTimeout, MqttReasonCode.KeepAliveTimeout);
        }
    }

    private static bool IsTransportFailure(Exception ex) =>
        ex is IOException or ObjectDisposedException or InvalidOperationException or OperationCanceledException
            or Microsoft.AspNetCore.Connections.ConnectionResetException or Microsoft.AspNetCore.Connections.ConnectionAbortedException;

    private async Task CleanUpAsync()
    {
        if (Reason == CloseReason.None)
            RequestClose(CloseReason.TransportClosed);

        await StopAcknowledgementPumpAsync().ConfigureAwait(false);
        await StopWriterAsync().ConfigureAwait(false);
        await CompleteTransportAsync().ConfigureAwait(false);

        if (_connAckSent && _session is not null)
        {
            _statistics.ClientDisconnected();
            DetachSessionAndHandleWill(_session);
            LogDisconnect();
        }
    }

    private async Task StopWriterAsync()
    {
        _outboundSignal.Complete(); // let the writer flush what is queued (a DISCONNECT for MQTT 5), then stop
        if (_writerTask is null)
            return;
        try
        {
            await _writerTask.WaitAsync(_options.CloseFlushTimeout).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // The peer does not read: abandon what is left.
            _transport.Output.CancelPendingFlush();
            await _writerTask.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    private async Task CompleteTransportAsync()
    {
        try
        {
            await _transport.Output.CompleteAsync().ConfigureAwait(false);
            await _transport.Input.CompleteAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (IsTransportFailure(ex))
        {
            _logger.LogDebug(ex, "Transport of {ClientId} failed while closing", ClientId);
        }
    }

    /// <summary>
    /// The will is published when the connection ends for any reason but a DISCONNECT (MQTT-3.1.2-8, MQTT-3.14.4-3),
    /// including take-over and server-detected protocol errors; MQTT 5 DISCONNECT 0x04 asks for it explicitly.
    /// MQTT 5 Will Delay Interval postpones it until the delay passes or the session ends (3.1.2.5).
    /// </summary>
    private void DetachSessionAndHandleWill(MqttSession session)
    {
        var will = ShouldPublishWill() ? _will : null;
        DelayedWill? delayed = null;
        MqttApplicationMessage? willNow = null;
        if (will is not null)
        {
            var message = WillMessages.ToApplicationMessage(will, ClientId);
            var delay = will.Properties.WillDelayInterval ?? 0;
            if (delay == 0)
                willNow = message;
            else
                delayed = new DelayedWill(message, Environment.TickCount64 + (delay * 1000L));
        }

        _broker.Sessions.Detach(session, this, delayed, out var dueNow);
        willNow ??= dueNow?.Message;
        if (willNow is not null)
            _broker.PublishWill(willNow);
    }

    private bool ShouldPublishWill() => Reason switch
    {
        CloseReason.ClientDisconnected => _publishWillAfterDisconnect,
        CloseReason.ServerShuttingDown => false, // nobody is left to receive it
        _ => true,
    };

    private void LogDisconnect()
    {
        var reason = Reason;
        if (reason is CloseReason.MalformedPacket or CloseReason.PacketTooLarge or CloseReason.ProtocolViolation)
            return; // already logged once, with the detail, where it was detected
        var level = reason is CloseReason.ClientDisconnected or CloseReason.TransportClosed or CloseReason.ServerShuttingDown
            ? LogLevel.Information
            : LogLevel.Warning;
        _logger.Log(level, "Client {ClientId} disconnected ({Reason}) from {RemoteEndPoint}", ClientId, reason, Context.RemoteEndPoint);
    }

    public void SignalOutbound() => _outboundSignal.Set();

    public void Dispose()
    {
        _readCts.Dispose();
        _controlSlots.Dispose();
    }
}
