using EmbeddedBroker.Bridges.Connection;
using EmbeddedBroker.Bridges.Options;
using EmbeddedBroker.Bridges.Queue;
using EmbeddedBroker.Bridges.Statistics;
using EmbeddedBroker.Bridges.Topics;
using EmbeddedBroker.Protocol;
using Microsoft.Extensions.Logging;

namespace EmbeddedBroker.Bridges;

/// <summary>
/// One bridge: its out-queue, fed by <see cref="Offer"/> from the publish observer, and its connection loop
/// (<see cref="RunAsync"/>): connect (fail-over across the addresses), run a <see cref="BridgeLink"/> until the
/// connection ends, wait restart_timeout, again. One log line per attempt or loss, with the reason.
/// </summary>
internal sealed class Bridge
{
    private readonly BridgeOptions _options;
    private readonly BridgeTopicMap _topics;
    private readonly BridgeConnector _connector;
    private readonly BridgeAddress[] _addresses;
    private readonly ILogger _logger;
    private readonly MqttClientIdentity _localIdentity;
    private int _overflowLogged;

    public Bridge(BridgeOptions options, IQueueJournal journal, ILogger logger)
    {
        _options = options;
        _logger = logger;
        _topics = new BridgeTopicMap(options.Topics);
        _connector = new BridgeConnector(options, _topics);
        _addresses = [.. options.Addresses.Select(a => BridgeAddress.TryParse(a, out var parsed) ? parsed : throw new ArgumentException($"'{a}' is not HOST[:PORT]", nameof(options)))];
        _localIdentity = new MqttClientIdentity(options.EffectiveLocalClientId, null,
            new MqttConnectionContext { Transport = "bridge", RemoteEndPoint = string.Join(' ', options.Addresses), Listener = "bridge" });
        Journal = journal;
        Statistics = new BridgeStatistics(options.Name);
        Queue = new OutboundQueue(options.Queue, journal, Statistics, journal.Load());
    }

    public string Name => _options.Name;

    public BridgeStatistics Statistics { get; }

    internal OutboundQueue Queue { get; }

    internal IQueueJournal Journal { get; }

    /// <summary>
    /// A message the local broker accepted: queued for the remote when an "out" line matches, unless it came in over
    /// this very bridge (Mosquitto's local No Local) or is the bridge's own notification. The receipt completes once a
    /// QoS 1/2 message is in the queue file, so the local publisher's PUBACK means "will reach the remote".
    /// </summary>
    public PublishReceipt Offer(MqttApplicationMessage message)
    {
        if (!_topics.HasOut
            || (message.Source == MessageSource.Bridge && message.SourceClientId == _localIdentity.ClientId)
            || (_options.Notifications && message.Topic == _options.EffectiveNotificationTopic)
            || !_topics.TryMapOut(message.Topic, message.Qos, out var remoteTopic, out var qos))
        {
            return PublishReceipt.None;
        }

        if (!Queue.TryEnqueue(remoteTopic, message.Payload, qos, message.Retain, out var kept))
        {
            if (Interlocked.Exchange(ref _overflowLogged, 1) == 0)
            {
                _logger.LogWarning("Bridge {Bridge}: the out-queue is full ({Messages} messages, {Bytes} bytes; limits Queue:MaxMessages {MaxMessages}, Queue:MaxBytes {MaxBytes}): new messages for the remote are dropped and counted until it drains",
                    Name, Statistics.QueueMessages, Statistics.QueueBytes, _options.Queue.MaxMessages, _options.Queue.MaxBytes);
            }

            return PublishReceipt.None;
        }

        if (Volatile.Read(ref _overflowLogged) != 0 && Queue.Count < _options.Queue.MaxMessages / 2)
        {
            Volatile.Write(ref _overflowLogged, 0);
        }

        return kept is { IsCompletedSuccessfully: false } ? PublishReceipt.WaitFor(kept) : PublishReceipt.None;
    }

    /// <summary>Connects, serves, reconnects until <paramref name="stopping"/>.</summary>
    public async Task RunAsync(ILocalBroker local, CancellationToken stopping)
    {
        var delay = new ReconnectDelay(_options.RestartTimeout, _options.RestartTimeoutMax);
        var bridgeFlag = _options.TryPrivate && _connector.Version != MqttProtocolVersion.V500;
        var next = 0;
        await NotifyLocallyAsync(local, BridgeConnector.Down).ConfigureAwait(false);
        while (!stopping.IsCancellationRequested)
        {
            var address = _addresses[next];
            Client.MqttClient client;
            BridgeTransport transport;
            try
            {
                (client, transport) = await _connector.ConnectAsync(address, bridgeFlag, stopping).ConfigureAwait(false);
            }
            catch (Client.MqttConnectException refused) when (bridgeFlag && refused.ReasonCode == MqttReasonCode.UnsupportedProtocolVersion)
            {
                _logger.LogWarning("Bridge {Bridge}: {Address} does not accept the bridge flag (try_private); connecting again without it", Name, address);
                bridgeFlag = false;
                continue;
            }
            catch (Exception error) when (!stopping.IsCancellationRequested)
            {
                var reason = Reason.Of(error);
                Statistics.AttemptFailed(reason);
                var wait = delay.Next();
                next = (next + 1) % _addresses.Length;
                _logger.LogWarning("Bridge {Bridge}: cannot connect to {Address}: {Reason}; next attempt in {Delay:0.#} s{Then}",
                    Name, address, reason, wait.TotalSeconds, _addresses.Length > 1 ? $" to {_addresses[next]}" : "");
                await Task.Delay(wait, stopping).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                continue;
            }
            catch (OperationCanceledException)
            {
                break;
            }

            delay.Reset();
            var reasonLost = await ServeAsync(client, transport, address, local, stopping).ConfigureAwait(false);
            if (stopping.IsCancellationRequested)
            {
                break;
            }

            var pause = delay.Next();
            next = 0; // after a fail-over, the primary address first again
            _logger.LogWarning("Bridge {Bridge}: connection to {Address} lost: {Reason}; reconnecting in {Delay:0.#} s; {Queued} message(s) queued",
                Name, address, reasonLost, pause.TotalSeconds, Queue.Count);
            await Task.Delay(pause, stopping).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        Statistics.SetState(BridgeState.Stopped);
    }

    private async Task<string> ServeAsync(Client.MqttClient client, BridgeTransport transport, BridgeAddress address, ILocalBroker local,
        CancellationToken stopping)
    {
        string reason;
        try
        {
            Statistics.Connected(address.ToString());
            _logger.LogInformation("Bridge {Bridge}: connected to {Address} as {ClientId} (MQTT {Version}, session present {SessionPresent}); {Queued} message(s) queued",
                Name, address, client.ClientId, _options.ProtocolVersion, client.ConnectResult.SessionPresent, Queue.Count);
            // The link reads from the start: a remote holding the session sends its queue right after CONNACK, and
            // the SUBACK comes behind it.
            var running = new BridgeLink(client, Queue, _topics, local, _localIdentity, _options.MaxInflight, Statistics, _logger).RunAsync(stopping);
            await SubscribeAsync(client, stopping).ConfigureAwait(false);
            _ = NotifyRemoteAsync(_connector.NotifyUpAsync(client));
            await NotifyLocallyAsync(local, BridgeConnector.Up).ConfigureAwait(false);
            reason = await running.ConfigureAwait(false);
        }
        catch (Exception error) when (error is not OutOfMemoryException)
        {
            reason = Reason.Of(error);
        }

        Statistics.Disconnected(reason);
        await NotifyLocallyAsync(local, BridgeConnector.Down).ConfigureAwait(false);
        if (stopping.IsCancellationRequested && client.IsConnected)
        {
            await SayGoodbyeAsync(client).ConfigureAwait(false);
        }

        await client.DisposeAsync().ConfigureAwait(false);
        await transport.DisposeAsync().ConfigureAwait(false);
        return reason;
    }

    private async Task SubscribeAsync(Client.MqttClient client, CancellationToken stopping)
    {
        try
        {
            var refused = await _connector.SubscribeAsync(client, stopping).ConfigureAwait(false);
            if (refused.Count > 0)
            {
                _logger.LogWarning("Bridge {Bridge}: the remote broker refused the subscription to {Filters}; nothing comes in on them", Name, string.Join(", ", refused));
            }
        }
        catch (Exception error) when (error is Client.MqttConnectionClosedException or OperationCanceledException)
        {
            // The connection ended first: the link reports why.
        }
    }

    /// <summary>The notification "1" goes beside the queue; a connection that breaks first sends it again next time.</summary>
    private static async Task NotifyRemoteAsync(Task publishing)
    {
        try
        {
            await publishing.ConfigureAwait(false);
        }
        catch (Exception error) when (error is Client.MqttConnectionClosedException or Client.MqttOperationException)
        {
            // The will "0" (or the next connection's "1") says the rest.
        }
    }

    /// <summary>A deliberate stop: "0" on the remote (no will follows a DISCONNECT), then DISCONNECT, both briefly.</summary>
    private async Task SayGoodbyeAsync(Client.MqttClient client)
    {
        try
        {
            await _connector.NotifyDownAsync(client).WaitAsync(TimeSpan.FromSeconds(1)).ConfigureAwait(false);
            await client.DisconnectAsync().WaitAsync(TimeSpan.FromSeconds(1)).ConfigureAwait(false);
        }
        catch (Exception error) when (error is TimeoutException or Client.MqttConnectionClosedException or IOException or OperationCanceledException)
        {
            // Stopping anyway: the will tells the remote.
        }
    }

    /// <summary>The bridge's state on the local broker, retained ($SYS topics are published as the broker's own).</summary>
    private async Task NotifyLocallyAsync(ILocalBroker local, ReadOnlyMemory<byte> state)
    {
        if (!_options.Notifications)
        {
            return;
        }

        var topic = _options.EffectiveNotificationTopic;
        try
        {
            var kept = await local.PublishAsync(new MqttApplicationMessage
            {
                Topic = topic,
                Payload = state,
                Qos = MqttQualityOfService.AtLeastOnce,
                Retain = true,
                Source = topic.StartsWith('$') ? MessageSource.System : MessageSource.Bridge,
                SourceClientId = _localIdentity.ClientId,
            }, _localIdentity, CancellationToken.None).ConfigureAwait(false);
            await kept.ConfigureAwait(false);
        }
        catch (ObjectDisposedException)
        {
            // The local broker has stopped: its retained state is gone with it.
        }
        catch (Exception error) when (error is not OutOfMemoryException)
        {
            _logger.LogWarning("Bridge {Bridge}: the local notification on {Topic} could not be published: {Reason}", Name, topic, error.Message);
        }
    }
}
