using EmbeddedBroker.Broker.Hooks;
using EmbeddedBroker.Broker.Retained;
using EmbeddedBroker.Broker.Sessions;
using EmbeddedBroker.Broker.Subscriptions;
using EmbeddedBroker.Protocol;
using Microsoft.Extensions.Logging;

namespace EmbeddedBroker.Broker.Publishing;

/// <summary>
/// The one path every message takes, whatever its source (client PUBLISH, will, $SYS, HTTP API, simulator):
/// validate -> authorize -> interceptors -> observers -> retain -> fan-out.
/// </summary>
internal sealed class PublishPipeline
{
    [ThreadStatic]
    private static FanOutScratch? t_scratch;

    private readonly MqttBrokerOptions _options;
    private readonly IPublishAuthorizer? _authorizer;
    private readonly IReadOnlyList<IPublishInterceptor> _interceptors;
    private readonly IReadOnlyList<IPublishObserver> _observers;
    private readonly SubscriptionTree<MqttSession> _subscriptions;
    private readonly RetainedMessageStore _retained;
    private readonly BrokerStatistics _statistics;
    private readonly ILogger _logger;
    private readonly int[] _observerFailureLogged;

    public PublishPipeline(
        MqttBrokerOptions options,
        MqttBrokerHooks hooks,
        SubscriptionTree<MqttSession> subscriptions,
        RetainedMessageStore retained,
        BrokerStatistics statistics,
        ILogger logger)
    {
        _options = options;
        _authorizer = hooks.PublishAuthorizer;
        _interceptors = hooks.Interceptors;
        _observers = hooks.Observers;
        _subscriptions = subscriptions;
        _retained = retained;
        _statistics = statistics;
        _logger = logger;
        _observerFailureLogged = new int[_observers.Count];
    }

    public ValueTask<PublishOutcome> PublishAsync(MqttApplicationMessage message, CancellationToken cancellationToken) =>
        PublishAsync(message, publisher: null, feedback: null, cancellationToken);

    /// <summary>Publishes and tells the publishing connection, through <paramref name="feedback"/>, which message the
    /// observers saw and which sessions reached the back-pressure high-water mark (see MqttConnection).</summary>
    public ValueTask<PublishOutcome> PublishAsync(MqttApplicationMessage message, MqttClientIdentity? publisher, PublishFeedback? feedback, CancellationToken cancellationToken)
    {
        // 1. validate
        if (!MqttTopic.IsValidTopicName(message.Topic))
            return ValueTask.FromResult(PublishOutcome.InvalidTopic);
        if (message.Topic[0] == '$' && message.Source is MessageSource.Client or MessageSource.Will &&
            !_options.AllowClientPublishToDollarTopics)
        {
            _statistics.PublishToDollarTopicDropped();
            return ValueTask.FromResult(PublishOutcome.DollarTopicDropped);
        }

        // 2. authorize (the common case, no authorizer, stays synchronous)
        if (_authorizer is null)
            return ValueTask.FromResult(Accept(message, feedback));
        return AuthorizeThenAcceptAsync(message, publisher, feedback, cancellationToken);
    }

    private async ValueTask<PublishOutcome> AuthorizeThenAcceptAsync(MqttApplicationMessage message, MqttClientIdentity? publisher,
        PublishFeedback? feedback, CancellationToken cancellationToken)
    {
        if (!await _authorizer!.AuthorizePublishAsync(publisher, message, cancellationToken).ConfigureAwait(false))
        {
            _statistics.PublishNotAuthorized();
            return PublishOutcome.NotAuthorized;
        }

        return Accept(message, feedback);
    }

    private PublishOutcome Accept(MqttApplicationMessage message, PublishFeedback? feedback)
    {
        // 3. interceptors
        foreach (var interceptor in _interceptors)
        {
            var replaced = interceptor.Intercept(message);
            if (replaced is null)
                return PublishOutcome.Intercepted;
            message = replaced;
        }

        _statistics.MessageReceived();
        if (feedback is not null)
            feedback.Accepted = message;

        // 4. observers (the recorder): never allowed to break the broker.
        for (var i = 0; i < _observers.Count; i++)
        {
            try
            {
                var receipt = _observers[i].OnMessageAccepted(message);
                if (feedback is not null && receipt.IsPending)
                    feedback.Receipt = PublishReceipt.Both(feedback.Receipt, receipt);
            }
            catch (Exception ex)
            {
                _statistics.ObserverFailure();
                if (Interlocked.Exchange(ref _observerFailureLogged[i], 1) == 0)
                    _logger.LogError(ex, "Publish observer {Observer} failed; further failures are only counted", _observers[i].GetType().Name);
            }
        }

        // 5. retain (MQTT-3.3.1-5, -10, -11)
        if (message.Retain)
        {
            _retained.Apply(message);
            _statistics.SetRetainedCount(_retained.Count);
        }

        // 6. fan-out
        return FanOut(message, feedback) ? PublishOutcome.Delivered : PublishOutcome.NoSubscribers;
    }

    /// <summary>
    /// Hands the message to every matching session once, at the highest QoS among that session's matching
    /// subscriptions (MQTT-3.3.5-1, as Mosquitto does), downgraded to that maximum (3.8.4 / MQTT-3.3.5). Forwarded
    /// messages carry retain=0 (MQTT-3.3.1-9) unless an MQTT 5 subscription asked Retain As Published.
    /// </summary>
    private bool FanOut(MqttApplicationMessage message, PublishFeedback? feedback)
    {
        var scratch = t_scratch ??= new FanOutScratch();
        var matches = scratch.Matches;
        try
        {
            _subscriptions.Match(message.Topic, matches);
            if (matches.Count == 0)
                return false;

            if (matches.Count == 1)
            {
                var (session, subscription) = matches[0];
                if (IsNoLocalFor(session, subscription, message))
                    return false;
                if (session.Enqueue(message, Min(message.Qos, subscription.MaximumQos), subscription.RetainAsPublished && message.Retain))
                    feedback?.AddCongested(session);
                return true;
            }

            return FanOutMerged(message, scratch, feedback);
        }
        finally
        {
            matches.Clear();
        }
    }

    private static bool FanOutMerged(MqttApplicationMessage message, FanOutScratch scratch, PublishFeedback? feedback)
    {
        var merged = scratch.Merged;
        try
        {
            foreach (var (session, subscription) in scratch.Matches)
            {
                if (IsNoLocalFor(session, subscription, message))
                    continue;
                var qos = Min(message.Qos, subscription.MaximumQos);
                var retain = subscription.RetainAsPublished && message.Retain;
                if (merged.TryGetValue(session, out var existing))
                    merged[session] = (qos > existing.Qos ? qos : existing.Qos, existing.Retain || retain);
                else
                    merged.Add(session, (qos, retain));
            }

            foreach (var (session, (qos, retain)) in merged)
            {
                if (session.Enqueue(message, qos, retain))
                    feedback?.AddCongested(session);
            }
            return merged.Count > 0;
        }
        finally
        {
            merged.Clear();
        }
    }

    /// <summary>MQTT 5 No Local (MQTT-3.8.3-3): not sent back to the client that published it.</summary>
    private static bool IsNoLocalFor(MqttSession session, Protocol.Packets.MqttTopicSubscription subscription, MqttApplicationMessage message) =>
        subscription.NoLocal && message.Source == MessageSource.Client &&
        string.Equals(session.ClientId, message.SourceClientId, StringComparison.Ordinal);

    private static MqttQualityOfService Min(MqttQualityOfService a, MqttQualityOfService b) => a < b ? a : b;

    /// <summary>Per-thread buffers: matching and fan-out run synchronously, so one set per thread suffices and a
    /// publish allocates nothing here.</summary>
    private sealed class FanOutScratch
    {
        public List<SubscriptionMatch<MqttSession>> Matches { get; } = new(16);
        public Dictionary<MqttSession, (MqttQualityOfService Qos, bool Retain)> Merged { get; } = new(ReferenceEqualityComparer.Instance);
    }
}
