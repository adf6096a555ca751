using System.IO.Pipelines;
using System.Threading.Channels;
using EmbeddedBroker.Protocol;
using EmbeddedBroker.Protocol.Packets;

namespace EmbeddedBroker.Client;

/// <summary>
/// A small, fast MQTT client (3.1, 3.1.1, 5.0) over System.IO.Pipelines.
/// One read loop decodes what the server sends; one writer loop drains a queue of packets, encodes all that is
/// queued and flushes once, so many publishes can be in flight at once. Every public method is safe to call concurrently.
/// </summary>
/// <remarks>
/// Session state (in-flight QoS 1/2 messages) lives only as long as this instance: a new connection with
/// CleanSession=false resumes the server's side of the session, but this client does not retransmit.
/// The client coordinates parts that each own their state: <see cref="ClientHandshake"/> (CONNECT/CONNACK),
/// <see cref="ClientWriter"/> (the outgoing queue and writer loop), <see cref="ClientReader"/> (the read loop),
/// <see cref="IncomingPublishes"/> (received messages and their acknowledgements), <see cref="OutstandingRequests"/>
/// (requests awaiting an answer) and <see cref="KeepAliveMonitor"/> (pings). This class holds the lifetime.
/// </remarks>
public sealed partial class MqttClient : IAsyncDisposable, IClientLifetime
{
    private const int StateConnected = 0;
    private const int StateDisconnecting = 1;
    private const int StateClosed = 2;

    private readonly IDuplexPipe _transport;
    private readonly SocketDuplexPipe? _ownedSocket;
    private readonly MqttClientOptions _options;
    private readonly MqttProtocolVersion _version;
    private readonly PublishSizeLimit _sizeLimit;
    private readonly ClientWriter _writer;
    private readonly IncomingPublishes _publishes;
    private readonly OutstandingRequests _requests;
    private readonly KeepAliveMonitor _keepAlive;
    private readonly ClientReader _reader;
    private readonly CancellationTokenSource _closing = new();
    private readonly TaskCompletionSource<MqttConnectionLostEventArgs?> _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _state;

    private MqttClient(IDuplexPipe transport, SocketDuplexPipe? ownedSocket, MqttClientOptions options, ConnectResult connectResult)
    {
        _transport = transport;
        _ownedSocket = ownedSocket;
        _options = options;
        _version = options.ProtocolVersion;
        ConnectResult = connectResult;

        var serverProperties = connectResult.ConnAck.Properties;
        _sizeLimit = new PublishSizeLimit(serverProperties.MaximumPacketSize is { } max ? (int)Math.Min(max, int.MaxValue) : null, _version);
        _writer = new ClientWriter(transport.Output, _version, options.OutgoingQueueCapacity, this);
        _publishes = new IncomingPublishes(_writer, options.ManualAcknowledgement, options.IncomingQueueCapacity);
        _requests = new OutstandingRequests(_writer, _version, _sizeLimit,
            Math.Min(serverProperties.ReceiveMaximum ?? ushort.MaxValue, options.MaximumPublishesInFlight ?? int.MaxValue));
        _keepAlive = new KeepAliveMonitor(_writer, this);
        _reader = new ClientReader(transport.Input, options, _publishes, _requests, _keepAlive, this);
    }

    /// <summary>The server's CONNACK.</summary>
    public ConnectResult ConnectResult { get; }

    /// <summary>The client id in use: the one configured, or the one the server assigned (MQTT 5).</summary>
    public string ClientId => ConnectResult.AssignedClientId ?? _options.ClientId;

    public MqttProtocolVersion ProtocolVersion => _version;

    /// <summary>Application messages the server delivers. Completes when the connection ends.</summary>
    public ChannelReader<MqttReceivedMessage> Messages => _publishes.Messages;

    public bool IsConnected => Volatile.Read(ref _state) == StateConnected;

    /// <summary>Raised once when the connection ends without the application asking (server close, network error, keep-alive timeout).</summary>
    public event EventHandler<MqttConnectionLostEventArgs>? ConnectionLost;

    /// <summary>Completes when the connection has ended for any reason; the result is null when the application closed it.</summary>
    public Task<MqttConnectionLostEventArgs?> Closed => _closed.Task;

    /// <summary>Connects over TCP (Nagle off) and completes after a successful CONNACK.</summary>
    /// <exception cref="MqttConnectException">The server refused the connection.</exception>
    public static async Task<MqttClient> ConnectAsync(MqttClientOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var socket = await SocketDuplexPipe.ConnectAsync(options.Host, options.Port, cancellationToken).ConfigureAwait(false);
        try
        {
            return await HandshakeAsync(socket, socket, options, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await socket.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Connects over any duplex pipe (in-memory tests, other transports). The client takes ownership of the pipe ends.</summary>
    /// <exception cref="MqttConnectException">The server refused the connection.</exception>
    public static Task<MqttClient> ConnectAsync(IDuplexPipe transport, MqttClientOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(transport);
        ArgumentNullException.ThrowIfNull(options);
        return HandshakeAsync(transport, null, options, cancellationToken);
    }

    /// <summary>
    /// Publishes an application message. QoS 0 completes once queued for the writer (later, when the outgoing queue
    /// is over <see cref="MqttClientOptions.OutgoingQueueCapacity"/>); QoS 1 completes on PUBACK; QoS 2 on PUBCOMP after
    /// the PUBREC/PUBREL exchange. Do not await each call to pipeline: many publishes may be in flight at once, and
    /// they leave in call order whatever their QoS.
    /// </summary>
    /// <param name="payload">Not copied: keep the memory unchanged until the message is written (e.g. a fresh array per message).</param>
    /// <exception cref="ArgumentException">The topic is not a valid topic name (MQTT-3.3.2-2, MQTT-4.7.3-1).</exception>
    /// <exception cref="MqttOperationException">The server answered with a failure reason code (MQTT 5).</exception>
    /// <exception cref="MqttConnectionClosedException">The connection ended first.</exception>
    public Task PublishAsync(string topic, ReadOnlyMemory<byte> payload, MqttQualityOfService qos, bool retain = false, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(topic);
        if (!MqttTopic.IsValidTopicName(topic))
        {
            throw new ArgumentException($"'{topic}' is not a valid topic name.", nameof(topic));
        }

        if (qos == MqttQualityOfService.AtMostOnce)
        {
            var packet = new PublishPacket { Topic = topic, Payload = payload, Retain = retain };
            _sizeLimit.Check(packet);
            return IsConnected ? _writer.WriteQos0Async(packet, cancellationToken) : Task.FromException(new MqttConnectionClosedException());
        }

        return _requests.PublishAsync(new PendingOperation(
            qos == MqttQualityOfService.AtLeastOnce ? PendingKind.PublishQos1 : PendingKind.PublishQos2AwaitingPubRec,
            topic, payload, qos, retain), cancellationToken);
    }

    /// <summary>
    /// With <see cref="MqttClientOptions.ManualAcknowledgement"/>: acknowledges a received QoS 1 (PUBACK) or QoS 2
    /// (PUBREC) message now. Call in the order the messages were received (MQTT-4.6.0-2). Does nothing for QoS 0, without
    /// manual acknowledgement, or once the connection has ended (the server then sends the message again, MQTT-4.4.0-1).
    /// </summary>
    public void Acknowledge(in MqttReceivedMessage message) => _publishes.Acknowledge(message);

    /// <summary>Subscribes and returns the SUBACK reason codes, one per filter in order (MQTT-3.8.4-6): granted QoS or a failure (&gt;= 0x80).</summary>
    public Task<IReadOnlyList<MqttReasonCode>> SubscribeAsync(params (string Filter, MqttQualityOfService Qos)[] filters)
    {
        ArgumentNullException.ThrowIfNull(filters);
        return SubscribeAsync([.. filters.Select(f => new MqttTopicSubscription(f.Filter, f.Qos))], CancellationToken.None);
    }

    /// <summary>Subscribes with full MQTT 5 options (No Local, Retain As Published, Retain Handling).</summary>
    public async Task<IReadOnlyList<MqttReasonCode>> SubscribeAsync(IReadOnlyList<MqttTopicSubscription> subscriptions, CancellationToken cancellationToken, MqttProperties? properties = null)
    {
        ArgumentNullException.ThrowIfNull(subscriptions);
        if (subscriptions.Count == 0)
        {
            throw new ArgumentException("SUBSCRIBE needs at least one topic filter (MQTT-3.8.3-3).", nameof(subscriptions));
        }

        foreach (var subscription in subscriptions)
        {
            ThrowIfInvalidFilter(subscription.TopicFilter, nameof(subscriptions));
        }

        return await _requests.SubscribeAsync(subscriptions, properties ?? MqttProperties.Empty, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Unsubscribes. Returns the UNSUBACK reason codes for 5.0; Success per filter for 3.x, whose UNSUBACK has none.</summary>
    public Task<IReadOnlyList<MqttReasonCode>> UnsubscribeAsync(params string[] filters) => UnsubscribeAsync(filters, CancellationToken.None);

    public async Task<IReadOnlyList<MqttReasonCode>> UnsubscribeAsync(IReadOnlyList<string> filters, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filters);
        if (filters.Count == 0)
        {
            throw new ArgumentException("UNSUBSCRIBE needs at least one topic filter (MQTT-3.10.3-2).", nameof(filters));
        }

        foreach (var filter in filters)
        {
            ThrowIfInvalidFilter(filter, nameof(filters));
        }

        return await _requests.UnsubscribeAsync(filters, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Sends PINGREQ and completes on PINGRESP.</summary>
    public Task PingAsync(CancellationToken cancellationToken = default) => _keepAlive.PingAsync(cancellationToken);

    /// <summary>
    /// Sends any packet as is, in order with everything else, and completes when it is flushed. For spec tests:
    /// no validation, no packet identifier bookkeeping (answers to it are ignored).
    /// </summary>
    public Task SendPacketAsync(MqttPacket packet, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(packet);
        var written = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        return _writer.WriteAsync(OutgoingPacket.ForPacket(packet, written), written, cancellationToken);
    }

    /// <summary>Sends bytes as is (garbage, half packets, a second CONNECT...) and completes when they are flushed. For spec tests.</summary>
    public Task SendRawAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken = default)
    {
        var written = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        return _writer.WriteAsync(OutgoingPacket.ForRaw(bytes, written), written, cancellationToken);
    }

    private static async Task<MqttClient> HandshakeAsync(IDuplexPipe transport, SocketDuplexPipe? ownedSocket, MqttClientOptions options, CancellationToken cancellationToken)
    {
        var result = await ClientHandshake.ConnectAsync(transport, options, cancellationToken).ConfigureAwait(false);
        var client = new MqttClient(transport, ownedSocket, options, result);
        client.Start();
        return client;
    }

    private void Start()
    {
        _reader.Start();
        _writer.Start();
        _keepAlive.Start(ConnectResult.ConnAck.Properties.ServerKeepAlive ?? _options.KeepAliveSeconds, _closing.Token);
    }

    private static void ThrowIfInvalidFilter(string filter, string parameterName)
    {
        if (filter is null || !MqttTopic.IsValidTopicFilter(filter))
        {
            throw new ArgumentException($"'{filter}' is not a valid topic filter (MQTT-4.7.1).", parameterName);
        }
    }
}
