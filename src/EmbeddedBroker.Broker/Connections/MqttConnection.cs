using System.IO.Pipelines;
using EmbeddedBroker.Broker.Core;
using EmbeddedBroker.Broker.Handlers;
using EmbeddedBroker.Broker.Sessions;
using EmbeddedBroker.Protocol;
using EmbeddedBroker.Protocol.Packets;
using Microsoft.Extensions.Logging;

namespace EmbeddedBroker.Broker.Connections;

/// <summary>
/// One network connection speaking MQTT, whatever the transport (TCP, TLS, WebSocket, in-memory pipes): a small
/// coordinator of parts that each own their state. <see cref="ConnectHandshake"/> settles the session
/// (<see cref="NegotiatedSession"/>); the read loop here decodes every packet the buffer holds and hands each to the
/// handler of its type (<see cref="Handlers"/>); <see cref="ConnectionWriter"/> is the single writer;
/// <see cref="AcknowledgementSequencer"/> keeps acknowledgements in PUBLISH order while observers' receipts are
/// pending; <see cref="PublisherThrottle"/> pauses reading while a subscriber catches up. This class owns the
/// lifetime: keep-alive, close, clean-up.
/// </summary>
internal sealed partial class MqttConnection : ISessionOwner, IDisposable
{
    private readonly IDuplexPipe _transport;
    private readonly CancellationTokenRegistration _transportClosed;
    private CancellationTokenSource? _closingCts;
    private int _closeReason;
    private volatile bool _closing;
    private volatile NegotiatedSession? _negotiated;
    private bool _publishWillAfterDisconnect;

    /// <param name="connectionToken">Cancelled by the transport when the network connection is gone.</param>
    public MqttConnection(IBrokerCore core, IDuplexPipe transport, MqttConnectionContext context, CancellationToken connectionToken)
    {
        Core = core;
        _transport = transport;
        Context = context;
        Logger = core.Logs.Connection;
        Deadline = new ReadDeadline(core.Memory, core.Options.PartialPacketTimeout);
        if (connectionToken.CanBeCanceled)
        {
            // The transport saw the peer go (tests; Kestrel's own signal is not used, see MqttConnectionHandler):
            // an abnormal close, the will applies.
            _transportClosed = connectionToken.UnsafeRegister(static state => ((MqttConnection)state!).RequestClose(CloseReason.TransportClosed), this);
        }
        Writer = new ConnectionWriter(this, transport.Output, core.Options.MaximumPendingControlPackets);
        Acks = new AcknowledgementSequencer(this);
        var backpressure = core.Options.PublisherBackpressureTimeout;
        Throttle = backpressure > TimeSpan.Zero ? new PublisherThrottle(this, backpressure) : null;
    }

    internal IBrokerCore Core { get; }
    internal MqttConnectionContext Context { get; }
    internal ILogger Logger { get; }
    internal ConnectionWriter Writer { get; }
    internal AcknowledgementSequencer Acks { get; }

    /// <summary>MQTT 5: the broker's Receive Maximum towards this client (null for 3.x, which has none).</summary>
    internal InboundQuota? Quota { get; private set; }

    /// <summary>MQTT 5: the step a re-authentication in progress waits on (AuthHandler only).</summary>
    internal EnhancedAuthenticationStep? PendingReauthentication { get; set; }

    /// <summary>MQTT 5: the aliases this client defined, created at its first alias.</summary>
    internal InboundTopicAliases? InboundAliases { get; set; }

    /// <summary>Keep-alive and partial-packet timeouts of the read loop.</summary>
    internal ReadDeadline Deadline { get; }

    /// <summary>Null when back-pressure is off (PublisherBackpressureTimeout 0).</summary>
    internal PublisherThrottle? Throttle { get; }

    internal PipeReader Input => _transport.Input;

    /// <summary>
    /// Cancelled when the connection closes, for the rare waits that need it (a full control lane, a receipt, a slow
    /// subscriber). Created on first use: most connections never wait, so they never pay for a token source; the read
    /// loop itself is stopped with <see cref="PipeReader.CancelPendingRead"/> and the broker's one timeout loop.
    /// </summary>
    internal CancellationToken ClosingToken
    {
        get
        {
            if (Volatile.Read(ref _closingCts) is { } existing)
                return existing.Token;
            var created = new CancellationTokenSource();
            var source = Interlocked.CompareExchange(ref _closingCts, created, null) ?? created;
            if (!ReferenceEquals(source, created))
                created.Dispose();
            if (_closing)
                source.Cancel();
            return source.Token;
        }
    }

    /// <summary>3.1.1 until CONNECT names another; the handshake sets it before it answers.</summary>
    internal MqttProtocolVersion Version { get; set; } = MqttProtocolVersion.V311;

    /// <summary>Set once CONNACK accepted the client; null before and after a refusal.</summary>
    internal NegotiatedSession? Negotiated => _negotiated;

    internal bool IsClosing => _closing;

    /// <summary>The client id once CONNECT was read ("" before), for logs.</summary>
    public string ClientId { get; internal set; } = "";

    public DateTimeOffset ConnectedAt { get; private set; }

    internal CloseReason Reason => (CloseReason)Volatile.Read(ref _closeReason);

    public async Task RunAsync()
    {
        try
        {
            Deadline.AwaitConnect(Core.Options.ConnectTimeout);
            if (await ConnectHandshake.RunAsync(this).ConfigureAwait(false))
            {
                Writer.Start(); // runs until its first wait, then on the thread pool
                Writer.Signal(); // queued messages and re-sends of a resumed session
                await ReadLoopAsync().ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (_closing)
        {
            // A wait was abandoned because the connection is closing.
        }
        catch (Exception ex) when (IsTransportFailure(ex))
        {
            RequestClose(CloseReason.TransportError);
            Logger.LogDebug(ex, "Transport error on {ClientId}", ClientId);
        }
        finally
        {
            await CleanUpAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Called by the handshake right after the accepting CONNACK: from now on the client is connected.</summary>
    internal void OnAccepted(NegotiatedSession negotiated)
    {
        if (negotiated.IsV5)
            Quota = new InboundQuota(Core.Options.Capabilities.ReceiveMaximum);
        _negotiated = negotiated;
        ConnectedAt = DateTimeOffset.UtcNow;
        Core.Statistics.ClientConnected();
        Deadline.Start(negotiated.KeepAliveTimeout);
        Deadline.Pending(0);
    }

    /// <summary>The client sent DISCONNECT; MQTT 5 reason 0x04 asks for the will anyway.</summary>
    internal void DisconnectedByClient(bool publishWill)
    {
        _publishWillAfterDisconnect = publishWill;
        RequestClose(CloseReason.ClientDisconnected);
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
        Writer.BeginClose();
        if (disconnectCode is { } code && _negotiated is { IsV5: true })
            Writer.EnqueueDisconnect(code);

        try
        {
            _transport.Input.CancelPendingRead(); // the read loop (or the handshake) sees IsCanceled and stops
            Volatile.Read(ref _closingCts)?.Cancel();
        }
        catch (Exception ex) when (ex is ObjectDisposedException or InvalidOperationException)
        {
            // Already cleaned up.
        }
    }

    /// <summary>The broker's timeout loop found <see cref="ReadDeadline.DueAt"/> passed: close for the reason it is.</summary>
    internal void Expire()
    {
        if (Reason != CloseReason.None)
            return;
        if (_negotiated is null)
        {
            Core.Statistics.ConnectTimeout();
            RequestClose(CloseReason.ConnectTimeout);
        }
        else if (Deadline.IsPartialPacketOverdue)
        {
            // A packet started and did not complete within PartialPacketTimeout: the client holds a buffer for nothing.
            Core.Statistics.PartialPacketTimeout();
            RequestClose(CloseReason.PartialPacketTimeout, MqttReasonCode.KeepAliveTimeout);
        }
        else
        {
            // MQTT-3.1.2-24: no control packet within 1.5 x keep-alive. MQTT 5 gets DISCONNECT 0x8D.
            Core.Statistics.KeepAliveTimeout();
            RequestClose(CloseReason.KeepAliveTimeout, MqttReasonCode.KeepAliveTimeout);
        }
    }

    /// <summary>A refused CONNECT: the close reason is set without cancelling the read, so that CONNACK still goes out.</summary>
    internal void MarkRefused()
    {
        Interlocked.CompareExchange(ref _closeReason, (int)CloseReason.ConnectRefused, (int)CloseReason.None);
        _closing = true;
    }

    /// <summary>Closes for a well-formed but forbidden packet (3.1.1 4.8: close the network connection; 5.0: DISCONNECT
    /// with <paramref name="code"/>, 0x82 Protocol Error by default). Logged at most once per interval broker-wide.</summary>
    internal void ProtocolViolation(string detail, MqttReasonCode code = MqttReasonCode.ProtocolError)
    {
        Core.Statistics.ProtocolViolation();
        if (Core.Logs.ProtocolViolations.TryEnter(out var suppressed))
        {
            Logger.LogWarning("Closing connection of {ClientId} from {RemoteEndPoint}: protocol violation, {Detail} ({Suppressed} more since the last such line)",
                ClientId, Context.RemoteEndPoint, detail, suppressed);
        }

        RequestClose(CloseReason.ProtocolViolation, code);
    }

    /// <summary>The broker's memory budget is exceeded and this client is sending something large: closed (5.0: DISCONNECT
    /// 0x97 Quota exceeded), counted, reported once per interval broker-wide.</summary>
    internal void RefuseForMemory(string what)
    {
        Core.Statistics.PublishRefusedMemory();
        ReportMemoryRefusal(what);
        RequestClose(CloseReason.QuotaExceeded, MqttReasonCode.QuotaExceeded);
    }

    internal void ReportMemoryRefusal(string what)
    {
        if (Core.Logs.MemoryBudget.TryEnter(out var suppressed))
        {
            Logger.LogWarning("Memory budget exceeded ({Held} of {Limit} bytes held for clients): refused work of {ClientId} from {RemoteEndPoint}, {What} ({Suppressed} more refusals since the last such line)",
                Core.Memory.Held, Core.Memory.Limit, ClientId, Context.RemoteEndPoint, what, suppressed);
        }
    }

    /// <summary>Malformed bytes or a packet over the size limit close this one connection only (5.0: DISCONNECT 0x81 / 0x95);
    /// a well-formed packet breaking what MQTT 5 calls a Protocol Error closes it with 0x82.</summary>
    internal void DecodeFailure(DecodeStatus status, string? error)
    {
        if (status == DecodeStatus.ProtocolError)
        {
            ProtocolViolation(error ?? "protocol error");
            return;
        }

        Core.Statistics.MalformedPacket();
        var tooLarge = status == DecodeStatus.TooLarge;
        if (Core.Logs.MalformedPackets.TryEnter(out var suppressed))
        {
            Logger.LogWarning("Closing connection of {ClientId} from {RemoteEndPoint}: {Problem}, {Detail} ({Suppressed} more since the last such line)",
                ClientId.Length > 0 ? ClientId : "(before CONNECT)", Context.RemoteEndPoint,
                tooLarge ? "packet too large" : "malformed packet", error, suppressed);
        }

        RequestClose(tooLarge ? CloseReason.PacketTooLarge : CloseReason.MalformedPacket,
            tooLarge ? MqttReasonCode.PacketTooLarge : MqttReasonCode.MalformedPacket);
    }

    public void SignalOutbound() => Writer.Signal();

    /// <summary>What the API and console show of this client; null before CONNACK and once closing started.</summary>
    public ConnectedClientInfo? Describe() => _negotiated is { } negotiated && !_closing
        ? new ConnectedClientInfo(ClientId, Context.RemoteEndPoint, negotiated.Version, Context.Transport, ConnectedAt,
            negotiated.Session.GetSubscriptions())
        : null;

    internal static bool IsTransportFailure(Exception ex) =>
        ex is IOException or ObjectDisposedException or InvalidOperationException or OperationCanceledException
            or Microsoft.AspNetCore.Connections.ConnectionResetException or Microsoft.AspNetCore.Connections.ConnectionAbortedException;

    private async Task CleanUpAsync()
    {
        if (Reason == CloseReason.None)
            RequestClose(CloseReason.TransportClosed);

        await Acks.StopAsync().ConfigureAwait(false);
        await Writer.StopAsync(Core.Options.CloseFlushTimeout).ConfigureAwait(false);
        await CompleteTransportAsync().ConfigureAwait(false);
        Deadline.Release();

        if (_negotiated is { } negotiated)
        {
            Core.Statistics.ClientDisconnected();
            SessionEnd.Detach(this, negotiated, Reason, _publishWillAfterDisconnect);
            LogDisconnect();
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
            Logger.LogDebug(ex, "Transport of {ClientId} failed while closing", ClientId);
        }
    }

    private void LogDisconnect()
    {
        var reason = Reason;
        if (reason is CloseReason.MalformedPacket or CloseReason.PacketTooLarge or CloseReason.ProtocolViolation)
            return; // already logged (throttled), with the detail, where it was detected
        if (reason == CloseReason.SessionTakenOver && !Core.Logs.Takeovers.TryEnter(out _))
            return; // two clients fighting over one id would otherwise log every round
        var ordinary = reason is CloseReason.ClientDisconnected or CloseReason.TransportClosed or CloseReason.ServerShuttingDown or CloseReason.SessionTakenOver;
        if (ordinary && !Core.Logs.ConnectionMessages)
            return;
        Logger.Log(ordinary ? LogLevel.Information : LogLevel.Warning, "Client {ClientId} disconnected ({Reason}) from {RemoteEndPoint}",
            ClientId, reason, Context.RemoteEndPoint);
    }

    public void Dispose()
    {
        _transportClosed.Dispose();
        _closingCts?.Dispose();
        Writer.Dispose();
    }
}
