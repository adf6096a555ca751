using System.Collections.Concurrent;
using System.IO.Pipelines;
using EmbeddedBroker.Broker.Connections;
using EmbeddedBroker.Broker.Core;
using EmbeddedBroker.Broker.Hooks;
using EmbeddedBroker.Broker.Publishing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace EmbeddedBroker.Broker;

/// <summary>
/// The MQTT broker engine's public face: serve connections, publish from the application, look at clients and
/// retained messages, stop. Transport-agnostic: Kestrel (TCP, TLS, WebSocket) and tests hand it an
/// <see cref="IDuplexPipe"/> per connection. The shared state lives in <see cref="BrokerCore"/>.
/// </summary>
public sealed class MqttBroker : IAsyncDisposable
{
    private readonly BrokerCore _core;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<MqttConnection, Task> _connections = new();
    private readonly Task _maintenance;
    private readonly Task _timeouts;
    private int _disposed;

    public MqttBroker(MqttBrokerOptions options, MqttBrokerHooks? hooks = null, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var validation = new MqttBrokerOptionsValidator().Validate(null, options);
        if (validation.Failed)
            throw new ArgumentException(validation.FailureMessage, nameof(options));

        Options = options;
        Hooks = hooks ?? new MqttBrokerHooks();
        loggerFactory ??= NullLoggerFactory.Instance;
        _logger = loggerFactory.CreateLogger<MqttBroker>();
        _core = new BrokerCore(options, Hooks, Statistics, loggerFactory);
        _maintenance = _core.RunMaintenanceAsync();
        _timeouts = new ConnectionTimeouts(_connections).RunAsync(_core.Stopping);
    }

    public MqttBrokerOptions Options { get; }
    public BrokerStatistics Statistics { get; } = new();

    internal MqttBrokerHooks Hooks { get; }

    /// <summary>
    /// Publishes a message from a non-client source (HTTP API, simulator) through the same pipeline as a client
    /// PUBLISH: validate, authorize, intercept, observe, retain, fan out. <paramref name="publisher"/> is whom the
    /// publish authorizer checks (null: the application itself).
    /// </summary>
    /// <exception cref="ArgumentException">The topic is not a valid topic name (empty or with wildcards).</exception>
    public async ValueTask<PublishOutcome> PublishAsync(MqttApplicationMessage message, MqttClientIdentity? publisher = null,
        CancellationToken cancellationToken = default)
    {
        var result = await PublishValidAsync(message, publisher, congestion: null, cancellationToken).ConfigureAwait(false);
        return result.Outcome;
    }

    /// <summary>
    /// Publishes like <see cref="PublishAsync"/> for a source that acknowledges the message to someone else (a bridge,
    /// to its remote broker). Completes once the broker may take the next message: with back-pressure on, after the
    /// online subscribers this one left at their high-water mark have drained (see PublisherBackpressureTimeout), as
    /// for a client. <see cref="AcceptedPublish.Kept"/> then completes once the observers' receipts are done (the
    /// recorder with at-least-once recording) and, with durable acknowledgements, the store has committed what the
    /// message changed; it faults when they could not keep it, and the caller must then not acknowledge it.
    /// </summary>
    /// <exception cref="ArgumentException">The topic is not a valid topic name.</exception>
    public async ValueTask<AcceptedPublish> PublishForAcknowledgementAsync(MqttApplicationMessage message, MqttClientIdentity? publisher,
        CancellationToken cancellationToken = default)
    {
        var throttle = Options.PublisherBackpressureTimeout > TimeSpan.Zero ? new CongestedSubscribers(Statistics, Options.PublisherBackpressureTimeout) : null;
        var result = await PublishValidAsync(message, publisher, throttle, cancellationToken).ConfigureAwait(false);
        if (throttle is { IsCongested: true })
            await throttle.WaitAsync(beforeFirstWait: null, stalled: null, cancellationToken).ConfigureAwait(false);
        return new AcceptedPublish(result.Outcome, result.Receipt.AsTask());
    }

    private async ValueTask<PublishResult> PublishValidAsync(MqttApplicationMessage message, MqttClientIdentity? publisher,
        ICongestionSink? congestion, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var result = await _core.Pipeline.PublishAsync(message, publisher, congestion, cancellationToken).ConfigureAwait(false);
        if (result.Outcome == PublishOutcome.InvalidTopic)
            throw new ArgumentException($"\"{message.Topic}\" is not a valid MQTT topic name (empty, or contains '+', '#' or U+0000).", nameof(message));
        return result;
    }

    /// <summary>
    /// Loads what the store kept (retained messages, persistent sessions with their subscriptions, queued and in-flight
    /// messages, delayed wills). Call once at start, before the first connection is served; does nothing without a store.
    /// </summary>
    public async Task LoadStateAsync(CancellationToken cancellationToken)
    {
        if (Hooks.Store is not { } store)
            return;
        var state = await store.LoadAsync(cancellationToken).ConfigureAwait(false);
        _core.Restore(state);
    }

    /// <summary>Snapshot of the clients connected now (after CONNACK).</summary>
    public IReadOnlyList<ConnectedClientInfo> GetConnectedClients()
    {
        var clients = new List<ConnectedClientInfo>(_connections.Count);
        foreach (var connection in _connections.Keys)
        {
            if (connection.Describe() is { } client)
                clients.Add(client);
        }

        return clients;
    }

    /// <summary>Snapshot of the retained messages.</summary>
    public IReadOnlyList<MqttApplicationMessage> GetRetainedMessages() => _core.Retained.Snapshot();

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

        using var connection = new MqttConnection(_core, transport, context, cancellationToken);
        var completion = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _connections[connection] = completion.Task;
        if (Volatile.Read(ref _disposed) != 0)
            connection.RequestClose(CloseReason.ServerShuttingDown, Protocol.MqttReasonCode.ServerShuttingDown); // raced with a stop
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

    /// <summary>Closes every connection (MQTT 5 clients get DISCONNECT 0x8B) and waits for them to finish.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
            return;
        _core.Stop();
        foreach (var (connection, _) in _connections)
            connection.RequestClose(CloseReason.ServerShuttingDown, Protocol.MqttReasonCode.ServerShuttingDown);
        try
        {
            await Task.WhenAll(_connections.Values).WaitAsync(Options.CloseFlushTimeout + TimeSpan.FromSeconds(1)).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            _logger.LogWarning("{Count} connections did not close in time", _connections.Count);
        }

        await _maintenance.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        await _timeouts.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _core.Dispose();
    }
}
