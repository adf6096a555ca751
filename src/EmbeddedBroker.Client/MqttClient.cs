using System.Collections.Concurrent;
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
/// </remarks>
public sealed partial class MqttClient : IAsyncDisposable
{
    private const int StateConnected = 0;
    private const int StateDisconnecting = 1;
    private const int StateClosed = 2;

    private readonly IDuplexPipe _transport;
    private readonly SocketDuplexPipe? _ownedSocket;
    private readonly MqttClientOptions _options;
    private readonly MqttProtocolVersion _version;
    private readonly Channel<OutgoingPacket> _outgoing;
    private readonly Channel<MqttReceivedMessage> _messages;
    private readonly PendingOperations _pending;
    private readonly ConcurrentQueue<TaskCompletionSource?> _pingsAwaitingResponse = new();
    private readonly CancellationTokenSource _closing = new();
    private readonly TaskCompletionSource<MqttConnectionLostEventArgs?> _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly int? _serverMaximumPacketSize;
    private Task _readLoop = Task.CompletedTask;
    private Task _writeLoop = Task.CompletedTask;
    private Task _keepAliveLoop = Task.CompletedTask;
    private int _state;

    private MqttClient(IDuplexPipe transport, SocketDuplexPipe? ownedSocket, MqttClientOptions options, ConnectResult connectResult)
    {
        _transport = transport;
        _ownedSocket = ownedSocket;
        _options = options;
        _version = options.ProtocolVersion;
        ConnectResult = connectResult;

        _outgoing = Channel.CreateUnbounded<OutgoingPacket>(new UnboundedChannelOptions { SingleReader = true, AllowSynchronousContinuations = false });
        _messages = Channel.CreateBounded<MqttReceivedMessage>(new BoundedChannelOptions(options.IncomingQueueCapacity)
        {
            SingleWriter = true,
            FullMode = BoundedChannelFullMode.Wait,
        });

        var serverProperties = connectResult.ConnAck.Properties;
        _pending = new PendingOperations(Math.Min(serverProperties.ReceiveMaximum ?? ushort.MaxValue, options.MaximumPublishesInFlight ?? int.MaxValue), SendPublish);
        _serverMaximumPacketSize = serverProperties.MaximumPacketSize is { } max ? (int)Math.Min(max, int.MaxValue) : null;
    }

    /// <summary>The server's CONNACK.</summary>
    public ConnectResult ConnectResult { get; }

    /// <summary>The client id in use: the one configured, or the one the server assigned (MQTT 5).</summary>
    public string ClientId => ConnectResult.AssignedClientId ?? _options.ClientId;

    public MqttProtocolVersion ProtocolVersion => _version;

    /// <summary>Application messages the server delivers. Completes when the connection ends.</summary>
    public ChannelReader<MqttReceivedMessage> Messages => _messages.Reader;

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

    private static async Task<MqttClient> HandshakeAsync(IDuplexPipe transport, SocketDuplexPipe? ownedSocket, MqttClientOptions options, CancellationToken cancellationToken)
    {
        MqttPacketEncoder.Encode(BuildConnect(options), options.ProtocolVersion, transport.Output);
        await transport.Output.FlushAsync(cancellationToken).ConfigureAwait(false);

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.ConnectTimeout);
        ConnAckPacket connAck;
        try
        {
            connAck = await ReadConnAckAsync(transport.Input, options, timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"No CONNACK within {options.ConnectTimeout.TotalSeconds:0.#} s.");
        }

        if (connAck.ReasonCode != MqttReasonCode.Success)
        {
            throw new MqttConnectException(connAck.ReasonCode, connAck.Properties.ReasonString);
        }

        var result = new ConnectResult(connAck.ReasonCode, connAck.SessionPresent, connAck.Properties.AssignedClientIdentifier, connAck);
        var client = new MqttClient(transport, ownedSocket, options, result);
        client.Start();
        return client;
    }

    private static ConnectPacket BuildConnect(MqttClientOptions options)
    {
        var properties = MqttProperties.Empty;
        if (options.ProtocolVersion == MqttProtocolVersion.V500)
        {
            var extra = options.ConnectProperties ?? MqttProperties.Empty;
            properties = extra with
            {
                SessionExpiryInterval = extra.SessionExpiryInterval ?? options.SessionExpiryInterval,
                MaximumPacketSize = extra.MaximumPacketSize
                    ?? (options.MaximumPacketSize < 268_435_455 ? (uint)options.MaximumPacketSize : null),
            };
        }

        return new ConnectPacket
        {
            ProtocolName = options.ProtocolVersion == MqttProtocolVersion.V310 ? "MQIsdp" : "MQTT",
            ProtocolLevel = options.BridgeProtocolFlag && options.ProtocolVersion != MqttProtocolVersion.V500
                ? (byte)((byte)options.ProtocolVersion | 0x80)
                : (byte)options.ProtocolVersion,
            ClientId = options.ClientId,
            CleanSession = options.CleanSession,
            KeepAliveSeconds = options.KeepAliveSeconds,
            Username = options.Username,
            Password = options.Password,
            Will = options.Will,
            Properties = properties,
        };
    }

    private static async Task<ConnAckPacket> ReadConnAckAsync(PipeReader input, MqttClientOptions options, CancellationToken cancellationToken)
    {
        while (true)
        {
            var result = await input.ReadAsync(cancellationToken).ConfigureAwait(false);
            var buffer = result.Buffer;
            var status = MqttPacketDecoder.TryDecode(buffer, options.ProtocolVersion, options.MaximumPacketSize, out var packet, out var consumed, out var error);
            if (status == DecodeStatus.Decoded)
            {
                input.AdvanceTo(consumed);
                return packet as ConnAckPacket
                    ?? throw new InvalidDataException($"Expected CONNACK as the server's first packet, got {packet!.Type} (MQTT-3.2.0-1).");
            }

            if (status != DecodeStatus.NeedMoreData)
            {
                throw new InvalidDataException($"Malformed CONNACK: {error ?? status.ToString()}.");
            }

            input.AdvanceTo(buffer.Start, buffer.End);
            if (result.IsCompleted)
            {
                throw new MqttConnectionClosedException("The server closed the connection before CONNACK.");
            }
        }
    }

    private void Start()
    {
        _readLoop = Task.Run(ReadLoopAsync);
        _writeLoop = Task.Run(WriteLoopAsync);
        var keepAlive = ConnectResult.ConnAck.Properties.ServerKeepAlive ?? _options.KeepAliveSeconds;
        if (keepAlive > 0)
        {
            _keepAliveLoop = Task.Run(() => KeepAliveLoopAsync(TimeSpan.FromSeconds(keepAlive)));
        }
    }
}
