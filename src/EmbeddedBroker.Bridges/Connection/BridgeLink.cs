using System.Threading.Channels;
using EmbeddedBroker.Bridges.Queue;
using EmbeddedBroker.Bridges.Statistics;
using EmbeddedBroker.Bridges.Topics;
using EmbeddedBroker.Client;
using EmbeddedBroker.Protocol;
using Microsoft.Extensions.Logging;

namespace EmbeddedBroker.Bridges.Connection;

/// <summary>
/// One connection of a bridge, from CONNACK until it ends: sends the out-queue (within the in-flight window, removing
/// each message once the remote acknowledges it) and publishes what the remote sends into the local pipeline,
/// acknowledging each message to the remote, in order, only once the local broker has kept it.
/// </summary>
internal sealed class BridgeLink(
    MqttClient client,
    OutboundQueue queue,
    BridgeTopicMap topics,
    ILocalBroker local,
    MqttClientIdentity localIdentity,
    int window,
    BridgeStatistics statistics,
    ILogger logger)
{
    /// <summary>Received messages waiting for the local broker to keep them (the recorder, the store's commit); when
    /// full the read side waits, and TCP pushes back on the remote.</summary>
    public const int AcknowledgementBacklog = 1024;

    private readonly Channel<(MqttReceivedMessage Message, Task<bool> Kept)> _toAcknowledge =
        Channel.CreateBounded<(MqttReceivedMessage, Task<bool>)>(new BoundedChannelOptions(AcknowledgementBacklog)
        {
            SingleReader = true,
            SingleWriter = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
    private int _rejectionLogged;

    /// <summary>Runs until the connection ends (or <paramref name="stopping"/>); returns why it ended.</summary>
    public async Task<string> RunAsync(CancellationToken stopping)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        var generation = queue.Rewind();
        var send = SendAsync(generation, linked.Token);
        var receive = ReceiveAsync(linked.Token);
        var acknowledge = AcknowledgeInOrderAsync(linked.Token);
        await ((Task)client.Closed).WaitAsync(stopping).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        await linked.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(send, receive, acknowledge).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        if (send.Exception?.InnerException is { } sendFailure)
        {
            return $"sending failed: {sendFailure.Message}";
        }

        if (acknowledge.Exception?.InnerException is { } keepFailure)
        {
            return $"a received message could not be kept locally ({keepFailure.Message}); the remote sends it again";
        }

        return stopping.IsCancellationRequested ? "stopping" : Describe(client.Closed.IsCompletedSuccessfully ? client.Closed.Result : null);
    }

    private async Task SendAsync(int generation, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested && client.IsConnected)
        {
            var message = queue.TakeNext(generation, window);
            if (message is null)
            {
                await queue.WaitAsync(cancellationToken).ConfigureAwait(false);
                continue;
            }

            Task sent;
            try
            {
                sent = client.PublishAsync(message.Topic, message.Payload, message.Qos, message.Retain, CancellationToken.None);
            }
            catch (ArgumentException error)
            {
                // Too large for the remote's Maximum Packet Size: it can never go.
                Reject(message, generation, error.Message);
                continue;
            }

            statistics.MessageSent();
            _ = TrackAsync(sent, message, generation);
        }
    }

    private async Task TrackAsync(Task sent, QueuedMessage message, int generation)
    {
        try
        {
            await sent.ConfigureAwait(false);
            queue.Complete(message, generation);
            statistics.MessageAcknowledged();
        }
        catch (MqttOperationException refused)
        {
            Reject(message, generation, $"reason code {refused.ReasonCode}");
        }
        catch (Exception)
        {
            // The connection went: the message stays queued and goes again on the next one.
            queue.Abandon(generation);
        }
    }

    /// <summary>The remote refused the message for good (MQTT 5 reason code, too large): sending it again would loop.</summary>
    private void Reject(QueuedMessage message, int generation, string reason)
    {
        queue.Complete(message, generation);
        statistics.MessageRejected();
        if (Interlocked.Exchange(ref _rejectionLogged, 1) == 0)
        {
            logger.LogWarning("Bridge {Bridge}: the remote broker refused a message on {Topic} ({Reason}); it is dropped, and further refusals on this connection are only counted",
                statistics.Name, message.Topic, reason);
        }
    }

    private async Task ReceiveAsync(CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var received in client.Messages.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                statistics.MessageReceived(received.Dup);
                if (!topics.TryMapIn(received.Topic, out var localTopic))
                {
                    // Not asked for (e.g. a subscription left over on the remote from an older configuration).
                    await _toAcknowledge.Writer.WriteAsync((received, Task.FromResult(false)), cancellationToken).ConfigureAwait(false);
                    continue;
                }

                var message = new MqttApplicationMessage
                {
                    Topic = localTopic,
                    Payload = received.Payload,
                    Qos = received.Qos,
                    Retain = received.Retain,
                    Source = MessageSource.Bridge,
                    SourceClientId = localIdentity.ClientId,
                };
                // Awaited before the next read: the local subscribers' back-pressure reaches the remote through TCP.
                Task<bool> kept;
                try
                {
                    kept = await local.PublishAsync(message, localIdentity, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception error) when (error is not OperationCanceledException)
                {
                    kept = Task.FromException<bool>(error); // ends the connection unacknowledged, in turn, with the reason
                }

                await _toAcknowledge.Writer.WriteAsync((received, kept), cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            _toAcknowledge.Writer.TryComplete();
        }
    }

    /// <summary>PUBACK / PUBREC in the order the messages came (MQTT-4.6.0-2), each once the local broker kept it. A
    /// message that could not be kept ends the connection unacknowledged, so that the remote sends it again.</summary>
    private async Task AcknowledgeInOrderAsync(CancellationToken cancellationToken)
    {
        await foreach (var (message, kept) in _toAcknowledge.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            try
            {
                await kept.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception) when (!cancellationToken.IsCancellationRequested)
            {
                client.Abort();
                throw;
            }

            client.Acknowledge(message);
        }
    }

    private static string Describe(MqttConnectionLostEventArgs? lost) => lost switch
    {
        null => "closed",
        { ServerDisconnect: { } disconnect } => $"the remote broker sent DISCONNECT ({disconnect.ReasonCode})",
        { Exception: TimeoutException } => "no answer from the remote broker within the keep-alive",
        { Exception: { } error } => Reason.Of(error),
        _ => "the remote broker closed the connection",
    };
}
