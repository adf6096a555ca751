using System.Collections.Concurrent;
using System.IO.Pipelines;
using EmbeddedBroker.Broker.Connections;
using EmbeddedBroker.Broker.Hooks;
using EmbeddedBroker.Broker.Publishing;
using EmbeddedBroker.Broker.Retained;
using EmbeddedBroker.Broker.Sessions;
using EmbeddedBroker.Broker.Subscriptions;
using EmbeddedBroker.Broker.Sys;
using EmbeddedBroker.Protocol;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace EmbeddedBroker.Broker;

/// <summary>
/// The MQTT broker engine: sessions, subscription tree, retained store, publish pipeline and the connection loop.
/// Transport-agnostic: Kestrel (TCP, WebSocket) and tests hand it an <see cref="IDuplexPipe"/> per connection.
/// </summary>
public sealed class MqttBroker : IAsyncDisposable
{
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;
    private readonly ILogger _connectionLogger;
    private readonly SubscriptionTree<MqttSession> _subscriptions = new();
    private readonly ConcurrentDictionary<MqttConnection, Task> _connections = new();
    private readonly CancellationTokenSource _shutdown = new();
    private readonly SysTopicPublisher? _sys;
    private readonly Task _maintenance;
    private int _disposed;

    public MqttBroker(MqttBrokerOptions options, MqttBrokerHooks? hooks = null, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var validation = new MqttBrokerOptionsValidator().Validate(null, options);
        if (validation.Failed)
            throw new ArgumentException(validation.FailureMessage, nameof(options));

        Options = options;
        Hooks = hooks ?? new MqttBrokerHooks();
        _loggerFactory = loggerFactory ?? NullLoggerFactory.Instance;
        _logger = _loggerFactory.CreateLogger<MqttBroker>();
        _connectionLogger = _loggerFactory.CreateLogger("EmbeddedBroker.Broker.Connection");
        Sessions = new SessionManager(_subscriptions, Statistics, SessionQueueLimits.From(options));
        Pipeline = new PublishPipeline(options, Hooks, _subscriptions, Retained, Statistics, _logger);

        if (options.EnableSysTopics)
        {
            _sys = new SysTopicPublisher(this);
            _sys.PublishStaticTopics();
        }

        _maintenance = RunMaintenanceAsync(_shutdown.Token);
    }

    public MqttBrokerOptions Options { get; }
    public BrokerStatistics Statistics { get; } = new();

    internal MqttBrokerHooks Hooks { get; }
    internal SessionManager Sessions { get; }
    internal RetainedMessageStore Retained { get; } = new();
    internal PublishPipeline Pipeline { get; }
    internal SubscriptionTree<MqttSession> Subscriptions => _subscriptions;

    /// <summary>
    /// Publishes a message from a non-client source (will, $SYS, HTTP API, simulator) through the same pipeline as a
    /// client PUBLISH: validate, authorize, intercept, observe, retain, fan out.
    /// </summary>
    /// <exception cref="ArgumentException">The topic is not a valid topic name (empty or with wildcards).</exception>
    public async ValueTask PublishAsync(MqttApplicationMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        var outcome = await Pipeline.PublishAsync(message, cancellationToken).ConfigureAwait(false);
        if (outcome == PublishOutcome.InvalidTopic)
            throw new ArgumentException($"\"{message.Topic}\" is not a valid MQTT topic name (empty, or contains '+', '#' or U+0000).", nameof(message));
    }

    /// <summary>Snapshot of the clients connected now (after CONNACK).</summary>
    public IReadOnlyList<ConnectedClientInfo> GetConnectedClients()
    {
        var clients = new List<ConnectedClientInfo>(_connections.Count);
        foreach (var connection in _connections.Keys)
        {
            if (connection.Session is not { } session)
                continue;
            clients.Add(new ConnectedClientInfo(connection.ClientId, connection.Context.RemoteEndPoint, connection.ProtocolVersion,
                connection.Context.Transport, connection.ConnectedAt, session.GetSubscriptions()));
        }

        return clients;
    }

    /// <summary>Snapshot of the retained messages.</summary>
    public IReadOnlyList<MqttApplicationMessage> GetRetainedMessages() => Retained.Snapshot();

    /// <summary>
    /// Serves one MQTT connection until it ends: CONNECT handshake, packets, keep-alive, will. Completes both sides of
    /// <paramref name="transport"/> before returning. Never throws for protocol or transport problems.
    /// </summary>
    public async Task RunConnectionAsync(IDuplexPipe transport, MqttConnectionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(transport);
        ArgumentNullException.ThrowIfNull(context);
        if (Volatile.Read(ref _disposed) != 0)
        {
            await transport.Output.CompleteAsync().ConfigureAwait(false);
            await transport.Input.CompleteAsync().ConfigureAwait(false);
            return;
        }

        using var connection = new MqttConnection(this, transport, context, _connectionLogger, cancellationToken, _shutdown.Token);
        var completion = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _connections[connection] = completion.Task;
        try
        {
            await connection.RunAsync().ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            _logger.LogError(ex, "Connection of {ClientId} from {RemoteEndPoint} failed unexpectedly", connection.ClientId, context.RemoteEndPoint);
        }
        finally
        {
            _connections.TryRemove(connection, out _);
            completion.TrySetResult();
        }
    }

    /// <summary>Publishes a will through the pipeline (fire and forget: it must not hold up the closing connection).</summary>
    internal void PublishWill(MqttApplicationMessage will)
    {
        Statistics.WillPublished();
        _ = PublishWillAsync(will);
    }

    private async Task PublishWillAsync(MqttApplicationMessage will)
    {
        try
        {
            await Pipeline.PublishAsync(will, _shutdown.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            _logger.LogWarning(ex, "Will of {ClientId} on {Topic} could not be published", will.SourceClientId, will.Topic);
        }
    }

    /// <summary>Once a second: ends expired sessions, publishes delayed wills that are due, and $SYS when due.</summary>
    private async Task RunMaintenanceAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        var dueWills = new List<MqttApplicationMessage>();
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                Sessions.Sweep(Environment.TickCount64, dueWills);
                foreach (var will in dueWills)
                    PublishWill(will);
                dueWills.Clear();
                _sys?.PublishIfDue();
            }
        }
        catch (OperationCanceledException)
        {
            // Broker stopping.
        }
        catch (Exception ex)
        {
            _logger.LogError(ex, "Broker maintenance loop stopped");
        }
    }

    /// <summary>Closes every connection (MQTT 5 clients get DISCONNECT 0x8B) and waits for them to finish.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
            return;
        await _shutdown.CancelAsync().ConfigureAwait(false);
        try
        {
            await Task.WhenAll(_connections.Values).WaitAsync(Options.CloseFlushTimeout + TimeSpan.FromSeconds(1)).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            _logger.LogWarning("{Count} connections did not close in time", _connections.Count);
        }

        await _maintenance.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _shutdown.Dispose();
        _subscriptions.Dispose();
    }
}
