using System.Runtime.CompilerServices;
using EmbeddedBroker.Contracts;
using EmbeddedBroker.Contracts.Hooks;
using EmbeddedBroker.Protocol;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace EmbeddedBroker.Security.Acl;

/// <summary>
/// Mosquitto's acl_file, per listener or for all: write access checked on PUBLISH (wills included), read access on
/// every delivery (live, retained, will), and SUBSCRIBE granted as Mosquitto 2.0.11 grants it
/// (<see cref="AclSubscribeCheck"/>). The rules are Mosquitto's (src/security.c and src/security_default.c):
/// <list type="bullet">
/// <item>Topics under "$SYS" are never writable by clients (except "$SYS/broker/connection/+/state", bridges' status)
/// and "$share..." topics never readable or writable, even on a listener without an ACL file; reading $SYS needs a rule
/// whose filter starts with '$' (a '#' rule never matches it).</item>
/// <item>The user's own "topic" lines are checked first (the anonymous lines for a client without a user name): a
/// matching deny refuses, a matching grant allows. Then the patterns, the same way. Nothing matching refuses. So a
/// pattern deny does not take back what the user's own lines grant, exactly as in Mosquitto.</item>
/// <item>With patterns in the file, a client whose id or user name contains '+' or '#' gets nothing beyond its own
/// lines.</item>
/// </list>
/// Checks are synchronous and allocation-free once warm: each client has its rules compiled (patterns substituted) on
/// first use and a bounded decision cache by topic. <see cref="Reload()"/> swaps the policy; every client rebuilds its
/// rules and cache on its next check, so withdrawn rights apply from the next packet or delivery. Requires the engine
/// to pass the same <see cref="MqttClientIdentity"/> instance for a connection's lifetime (the state is attached to it).
/// </summary>
public sealed class AclAuthorizer : IPublishAuthorizer, ISubscribeAuthorizer, IDeliveryAuthorizer
{
    private const string BridgeStateFilter = "$SYS/broker/connection/+/state";

    private readonly ConditionalWeakTable<MqttClientIdentity, AclClientRules> _clients = new();
    private readonly ILogger _logger;
    private readonly Lock _reloadLock = new();
    private SecurityOptions _options;
    private volatile ListenerScoped<AclPolicy?> _policies;
    private long _refusedPublishes;
    private long _refusedSubscriptions;
    private long _refusedDeliveries;

    /// <summary>Loads every configured ACL file; throws <see cref="SecurityFileException"/> (file:line and the fix).</summary>
    public AclAuthorizer(SecurityOptions options, ILogger<AclAuthorizer>? logger = null)
    {
        _options = options;
        _logger = logger ?? (ILogger)NullLogger.Instance;
        _policies = Load(options);
    }

    public long RefusedPublishes => Interlocked.Read(ref _refusedPublishes);

    public long RefusedSubscriptions => Interlocked.Read(ref _refusedSubscriptions);

    public long RefusedDeliveries => Interlocked.Read(ref _refusedDeliveries);

    /// <summary>Re-reads the ACL files of the current options (SIGHUP).</summary>
    public SecurityReloadResult Reload() => Reload(_options);

    /// <summary>Switches to <paramref name="options"/> and reads its ACL files; all or nothing, the previous policy stays
    /// in force when any file fails.</summary>
    public SecurityReloadResult Reload(SecurityOptions options) =>
        SecurityReload.Run(_reloadLock, _logger, "ACL files", () =>
        {
            var policies = Load(options);
            _options = options;
            _policies = policies;
        });

    /// <summary>Read access: may <paramref name="client"/> receive a message on <paramref name="topic"/>? (Also for the HTTP API's message list.)</summary>
    public bool MayRead(MqttClientIdentity client, string topic) => Check(client, topic, AclGrant.Read);

    /// <summary>Write access: may <paramref name="client"/> publish on <paramref name="topic"/>?</summary>
    public bool MayWrite(MqttClientIdentity client, string topic) => Check(client, topic, AclGrant.Write);

    public ValueTask<bool> AuthorizePublishAsync(MqttClientIdentity? publisher, MqttApplicationMessage message, CancellationToken cancellationToken)
    {
        // Messages the broker or the application originate without an identity ($SYS, simulator) are not the ACL's business.
        var allowed = publisher is null || MayWrite(publisher, message.Topic);
        if (!allowed)
        {
            Interlocked.Increment(ref _refusedPublishes);
        }
        return ValueTask.FromResult(allowed);
    }

    public ValueTask<bool> AuthorizeSubscribeAsync(MqttClientIdentity subscriber, string topicFilter, CancellationToken cancellationToken)
    {
        var allowed = _options.Acl.SubscribeCheck == AclSubscribeCheck.GrantAndFilterDeliveries || CanEverRead(subscriber, topicFilter);
        if (!allowed)
        {
            Interlocked.Increment(ref _refusedSubscriptions);
        }
        return ValueTask.FromResult(allowed);
    }

    public bool MayDeliver(MqttClientIdentity subscriber, MqttApplicationMessage message)
    {
        if (MayRead(subscriber, message.Topic))
        {
            return true;
        }
        Interlocked.Increment(ref _refusedDeliveries);
        return false;
    }

    private bool Check(MqttClientIdentity client, string topic, AclGrant access) =>
        (topic.Length == 0 || topic[0] != '$' || DollarTopicAllows(topic, access)) && RulesFor(client).IsAllowed(topic, access);

    /// <summary>Mosquitto's acl__check_dollar, applied before any ACL.</summary>
    private static bool DollarTopicAllows(string topic, AclGrant access)
    {
        if (topic.StartsWith("$SYS", StringComparison.Ordinal))
        {
            return access != AclGrant.Write || MqttTopic.Matches(BridgeStateFilter, topic);
        }
        return !topic.StartsWith("$share", StringComparison.Ordinal);
    }

    private bool CanEverRead(MqttClientIdentity subscriber, string topicFilter)
    {
        var filter = MqttTopic.TryParseSharedSubscription(topicFilter, out _, out var inner) ? inner : topicFilter;
        var rules = RulesFor(subscriber);
        if (rules.Policy is null)
        {
            return true;
        }
        static bool Reads(AclRule rule) => (rule.Grant & AclGrant.Read) != 0;
        if (rules.UserRules.Any(r => r.Access == AclAccess.Deny && AclFilterRelations.Covers(r.Filter, filter)))
        {
            return false;
        }
        if (rules.UserRules.Any(r => Reads(r) && AclFilterRelations.Overlap(r.Filter, filter)))
        {
            return true;
        }
        return !rules.DangerousIdentity
            && !rules.Patterns.Any(r => r.Access == AclAccess.Deny && AclFilterRelations.Covers(r.Filter, filter))
            && rules.Patterns.Any(r => Reads(r) && AclFilterRelations.Overlap(r.Filter, filter));
    }

    /// <summary>The client's compiled rules under the policy in force, built on its first check after a (re)load.</summary>
    internal AclClientRules RulesFor(MqttClientIdentity client)
    {
        var policies = _policies;
        if (_clients.TryGetValue(client, out var rules) && ReferenceEquals(rules.Generation, policies))
        {
            return rules;
        }
        rules = new AclClientRules(policies, policies.For(client.Connection.Listener), client.ClientId, client.Username, _options.Acl);
        _clients.AddOrUpdate(client, rules);
        return rules;
    }

    private ListenerScoped<AclPolicy?> Load(SecurityOptions options) =>
        ListenerScoped<AclPolicy?>.Load(options, listener =>
        {
            if (listener.AclFile is not { } path)
            {
                return null;
            }
            var file = AclFile.Load(path);
            foreach (var warning in file.Warnings)
            {
                _logger.LogWarning("ACL: {Warning}", warning);
            }
            _logger.LogInformation("ACL file {Path}: {Rules} rules, {Users} users, {Patterns} patterns",
                path, file.RuleCount, file.UserRules.Count, file.Patterns.Count);
            return new AclPolicy(file);
        });
}
