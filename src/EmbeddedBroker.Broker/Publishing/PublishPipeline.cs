using EmbeddedBroker.Broker.Hooks;
using EmbeddedBroker.Broker.Retained;
using EmbeddedBroker.Contracts.Storage;
using EmbeddedBroker.Protocol;
using Microsoft.Extensions.Logging;

namespace EmbeddedBroker.Broker.Publishing;

/// <summary>
/// The one path every message takes, whatever its source (client PUBLISH, will, $SYS, HTTP API, simulator):
/// validate -> authorize -> interceptors -> observers -> retain -> fan-out (<see cref="FanOut"/>).
/// </summary>
internal sealed class PublishPipeline
{
    private readonly MqttBrokerOptions _options;
    private readonly IPublishAuthorizer? _authorizer;
    private readonly IReadOnlyList<IPublishInterceptor> _interceptors;
    private readonly IReadOnlyList<IPublishObserver> _observers;
    private readonly RetainedMessageTree _retained;
    private readonly IBrokerStore? _store;
    private readonly bool _acknowledgeAfterStored;
    private readonly FanOut _fanOut;
    private readonly BrokerStatistics _statistics;
    private readonly ILogger _logger;
    private readonly int[] _observerFailureLogged;

    public PublishPipeline(MqttBrokerOptions options, MqttBrokerHooks hooks, FanOut fanOut, RetainedMessageTree retained,
        BrokerStatistics statistics, ILogger logger)
    {
        _options = options;
        _authorizer = hooks.PublishAuthorizer;
        _interceptors = hooks.Interceptors;
        _observers = hooks.Observers;
        _fanOut = fanOut;
        _retained = retained;
        _store = hooks.Store;
        _acknowledgeAfterStored = hooks.Store is { DurableAcknowledgements: true };
        _statistics = statistics;
        _logger = logger;
        _observerFailureLogged = new int[_observers.Count];
    }

    /// <summary>
    /// Publishes <paramref name="message"/> for <paramref name="publisher"/> (null for the broker and the application).
    /// Online subscribers left at their back-pressure mark are reported to <paramref name="congestion"/>.
    /// Completes synchronously unless the authorizer is asynchronous.
    /// </summary>
    public ValueTask<PublishResult> PublishAsync(MqttApplicationMessage message, MqttClientIdentity? publisher,
        ICongestionSink? congestion, CancellationToken cancellationToken)
    {
        // 1. validate
        if (!MqttTopic.IsValidTopicName(message.Topic))
            return ValueTask.FromResult(PublishResult.Of(PublishOutcome.InvalidTopic));
        if (message.Topic[0] == '$' && !MayPublishToDollarTopic(message.Source))
        {
            _statistics.PublishToDollarTopicDropped();
            return ValueTask.FromResult(PublishResult.Of(PublishOutcome.DollarTopicDropped));
        }

        // 2. authorize (the common case, no authorizer, stays synchronous)
        if (_authorizer is null)
            return ValueTask.FromResult(Accept(message, congestion));
        return AuthorizeThenAcceptAsync(message, publisher, congestion, cancellationToken);
    }

    /// <summary>'$' topics are the broker's (MQTT-4.7.2-1 keeps them apart): only its own $SYS publisher writes them,
    /// and clients when the deviation <see cref="MqttCompatibilities.AllowClientPublishToDollarTopics"/> is on.</summary>
    private bool MayPublishToDollarTopic(MessageSource source) => source switch
    {
        MessageSource.System => true,
        MessageSource.Client or MessageSource.Will => _options.Compatibilities.AllowClientPublishToDollarTopics,
        _ => false,
    };

    private async ValueTask<PublishResult> AuthorizeThenAcceptAsync(MqttApplicationMessage message, MqttClientIdentity? publisher,
        ICongestionSink? congestion, CancellationToken cancellationToken)
    {
        if (!await _authorizer!.AuthorizePublishAsync(publisher, message, cancellationToken).ConfigureAwait(false))
        {
            _statistics.PublishNotAuthorized();
            return PublishResult.Of(PublishOutcome.NotAuthorized);
        }

        return Accept(message, congestion);
    }

    private PublishResult Accept(MqttApplicationMessage message, ICongestionSink? congestion)
    {
        // 3. interceptors
        foreach (var interceptor in _interceptors)
        {
            var replaced = interceptor.Intercept(message);
            if (replaced is null)
                return PublishResult.Of(PublishOutcome.Intercepted);
            message = replaced;
        }

        _statistics.MessageReceived();

        // 4. observers (the recorder); their receipts hold the publisher's acknowledgement.
        var receipt = Observe(message);

        // 5. retain (MQTT-3.3.1-5, -10, -11), unless retained messages are not offered at all
        if (message.Retain && _options.Capabilities.RetainAvailable)
            Retain(message);

        // 6. fan-out
        var outcome = _fanOut.Deliver(message, congestion) ? PublishOutcome.Delivered : PublishOutcome.NoSubscribers;

        // Durable acknowledgements: every change this message made (retained, queued for persistent sessions) has been
        // handed to the store by now; the acknowledgement waits for the commit that contains them.
        // A bridge acknowledges to its remote broker, so its messages wait too.
        if (_acknowledgeAfterStored && message.Qos != MqttQualityOfService.AtMostOnce && message.Source is MessageSource.Client or MessageSource.Bridge)
            receipt = PublishReceipt.Both(receipt, PublishReceipt.WaitFor(_store!.FlushedAsync()));
        return new PublishResult(outcome, receipt);
    }

    /// <summary>Keeps the message as its topic's retained one (or clears it), in memory and, except $SYS, in the store.</summary>
    private void Retain(MqttApplicationMessage message)
    {
        _retained.Apply(message);
        _statistics.SetRetainedCount(_retained.Count);
        if (_store is null || message.Source == MessageSource.System)
            return; // $SYS is published again at start
        if (message.Payload.IsEmpty)
            _store.ClearRetained(message.Topic);
        else
            _store.SetRetained(message);
    }

    /// <summary>Hands the message to every observer; an observer that throws is counted and logged once, never allowed
    /// to break the broker, and holds no acknowledgement.</summary>
    private PublishReceipt Observe(MqttApplicationMessage message)
    {
        var receipt = PublishReceipt.None;
        for (var i = 0; i < _observers.Count; i++)
        {
            try
            {
                var next = _observers[i].OnMessageAccepted(message);
                if (next.IsPending)
                    receipt = PublishReceipt.Both(receipt, next);
            }
            catch (Exception ex)
            {
                _statistics.ObserverFailure();
                if (Interlocked.Exchange(ref _observerFailureLogged[i], 1) == 0)
                    _logger.LogError(ex, "Publish observer {Observer} failed; further failures are only counted", _observers[i].GetType().Name);
            }
        }

        return receipt;
    }
}
