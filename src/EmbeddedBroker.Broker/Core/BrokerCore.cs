using EmbeddedBroker.Broker.Diagnostics;
using EmbeddedBroker.Broker.Hooks;
using EmbeddedBroker.Broker.Publishing;
using EmbeddedBroker.Broker.Retained;
using EmbeddedBroker.Broker.Sessions;
using EmbeddedBroker.Broker.Subscriptions;
using EmbeddedBroker.Broker.Sys;
using EmbeddedBroker.Contracts.Storage;
using Microsoft.Extensions.Logging;

namespace EmbeddedBroker.Broker.Core;

/// <summary>
/// The engine's shared state, built once per broker: subscription tree, sessions, retained messages, the publish
/// pipeline, wills, and the once-a-second maintenance (session expiry, delayed wills, $SYS). Connections see it only
/// as <see cref="IBrokerCore"/>.
/// </summary>
internal sealed class BrokerCore : IBrokerCore, IDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private readonly SubscriptionTree<MqttSession> _subscriptions = new();
    private readonly SysTopicPublisher? _sys;
    private readonly ILogger _logger;

    public BrokerCore(MqttBrokerOptions options, MqttBrokerHooks hooks, BrokerStatistics statistics, ILoggerFactory loggerFactory)
    {
        Options = options;
        Statistics = statistics;
        _logger = loggerFactory.CreateLogger<MqttBroker>();
        Authenticator = hooks.Authenticator;
        EnhancedAuthenticator = hooks.EnhancedAuthenticator;
        SubscribeAuthorizer = hooks.SubscribeAuthorizer;
        DeliveryAuthorizer = hooks.DeliveryAuthorizer;
        Logs = new BrokerLogs(loggerFactory.CreateLogger("EmbeddedBroker.Broker.Connection"), loggerFactory.CreateLogger(PacketLog.Category))
        {
            ConnectionMessages = options.ConnectionMessages,
        };
        Memory = new MemoryBudget(options.MemoryLimitBytes ?? MemoryBudget.DefaultLimit(), options.LargeMessageBytes);
        statistics.AttachHeldBytes(() => Memory.Held);
        var fanOut = new FanOut(_subscriptions, DeliveryAuthorizer, options.SharedSubscriptionPolicy);
        Sessions = new SessionManager(new SessionEnvironment(_subscriptions, statistics, SessionQueueLimits.From(options), Memory,
            hooks.DeliveryObservers, fanOut, hooks.Store));
        Pipeline = new PublishPipeline(options, hooks, fanOut, Retained, statistics, _logger);
        Wills = new WillPublisher(Pipeline, statistics, _logger, _stopping.Token);
        if (options.EnableSysTopics)
        {
            _sys = new SysTopicPublisher(this, hooks.SysTopicSources);
            _sys.PublishStaticTopics();
        }
    }

    public MqttBrokerOptions Options { get; }
    public BrokerStatistics Statistics { get; }
    public SessionManager Sessions { get; }
    public PublishPipeline Pipeline { get; }
    public RetainedMessageTree Retained { get; } = new();
    public WillPublisher Wills { get; }
    public MemoryBudget Memory { get; }
    public BrokerLogs Logs { get; }
    public IConnectAuthenticator? Authenticator { get; }
    public IEnhancedAuthenticator? EnhancedAuthenticator { get; }
    public ISubscribeAuthorizer? SubscribeAuthorizer { get; }
    public IDeliveryAuthorizer? DeliveryAuthorizer { get; }
    public CancellationToken Stopping => _stopping.Token;

    public void Stop() => _stopping.Cancel();

    /// <summary>Rebuilds retained messages and persistent sessions from what the store kept; wills that fell due while the
    /// broker was stopped are published now.</summary>
    public void Restore(StoredBrokerState state)
    {
        Retained.Restore(state.Retained);
        Statistics.SetRetainedCount(Retained.Count);
        var dueWills = Sessions.Restore(state.Sessions, DateTimeOffset.UtcNow);
        foreach (var will in dueWills)
            Wills.Publish(will.Message, will.Publisher);
        _logger.LogInformation("Restored {Retained} retained message(s) and {Sessions} persistent session(s) from the store; {Wills} will(s) were due",
            Retained.Count, Sessions.Count, dueWills.Count);
    }

    /// <summary>Once a second until stopped: ends expired sessions, publishes delayed wills that are due, and $SYS when due.</summary>
    public async Task RunMaintenanceAsync()
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        var dueWills = new List<DelayedWill>();
        try
        {
            while (await timer.WaitForNextTickAsync(_stopping.Token).ConfigureAwait(false))
            {
                Sessions.Sweep(Environment.TickCount64, dueWills);
                foreach (var will in dueWills)
                    Wills.Publish(will.Message, will.Publisher);
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

    public void Dispose()
    {
        _stopping.Dispose();
        _subscriptions.Dispose();
    }
}
