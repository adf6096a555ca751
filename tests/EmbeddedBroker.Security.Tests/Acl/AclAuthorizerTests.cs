using EmbeddedBroker.Security.Acl;
using EmbeddedBroker.Security.Tests.Support;

namespace EmbeddedBroker.Security.Tests.Acl;

public class AclAuthorizerTests
{
    private const string Acl = """
        # anonymous
        topic read public/#
        topic deny public/private/#

        user alice
        topic read sensors/#
        topic write commands/alice/#
        topic readwrite chat/#
        topic deny sensors/secret/#
        topic read $SYS/broker/#

        user admin
        topic readwrite #
        topic readwrite $SYS/#

        pattern readwrite devices/%c/#
        pattern read users/%u/inbox
        pattern deny chat/%u/muted
        """;

    private TempDirectory _directory = null!;
    private string _aclPath = null!;
    private AclAuthorizer _acl = null!;

    [SetUp]
    public void SetUp()
    {
        _directory = new TempDirectory();
        _aclPath = _directory.Write("acl", Acl);
        _acl = new AclAuthorizer(new SecurityOptions { Default = { AclFile = _aclPath } });
    }

    [TearDown]
    public void TearDown() => _directory.Dispose();

    private static MqttClientIdentity Client(string? user, string clientId = "dev1") => Clients.Identity(clientId, user);

    [TestCase("alice", "sensors/kitchen/temp", true, false)]
    [TestCase("alice", "sensors/secret/key", false, false)]
    [TestCase("alice", "commands/alice/light", false, true)]
    [TestCase("alice", "commands/bob/light", false, false)]
    [TestCase("alice", "chat/room1", true, true)]
    [TestCase("alice", "elsewhere", false, false)]
    [TestCase(null, "public/news", true, false)]
    [TestCase(null, "public/private/x", false, false)]
    [TestCase(null, "sensors/kitchen/temp", false, false)]
    [TestCase("admin", "anything/at/all", true, true)]
    [TestCase("carol", "public/news", false, false)]
    public void Topic_lines_grant_read_write_readwrite_and_deny_per_user_and_for_anonymous(string? user, string topic, bool read, bool write)
    {
        var client = Client(user);
        Assert.That(_acl.MayRead(client, topic), Is.EqualTo(read), "read");
        Assert.That(_acl.MayWrite(client, topic), Is.EqualTo(write), "write");
    }

    [TestCase("alice", "dev1", "devices/dev1/state", true, true)]
    [TestCase("alice", "dev1", "devices/dev2/state", false, false)]
    [TestCase(null, "dev9", "devices/dev9/state", true, true)]
    [TestCase("carol", "x", "users/carol/inbox", true, false)]
    [TestCase("carol", "x", "users/alice/inbox", false, false)]
    [TestCase(null, "x", "users/%u/inbox", false, false)]
    [TestCase("a/b", "c", "users/a/b/inbox", true, false)]
    public void Patterns_substitute_the_client_id_and_user_name_for_every_client(string? user, string clientId, string topic, bool read, bool write)
    {
        var client = Client(user, clientId);
        Assert.That(_acl.MayRead(client, topic), Is.EqualTo(read), "read");
        Assert.That(_acl.MayWrite(client, topic), Is.EqualTo(write), "write");
    }

    [Test]
    public void A_pattern_deny_does_not_take_back_what_the_users_own_lines_grant_as_in_mosquitto()
    {
        // alice's "topic readwrite chat/#" is checked before "pattern deny chat/%u/muted" and allows first.
        Assert.That(_acl.MayWrite(Client("alice"), "chat/alice/muted"), Is.True);
        // carol has no lines of her own: the pattern deny is decisive.
        Assert.That(_acl.MayWrite(Client("carol", "x"), "chat/carol/muted"), Is.False);
    }

    [TestCase("ev+il", "dev1")]
    [TestCase("alice", "dev#1")]
    public void A_user_name_or_client_id_with_wildcards_gets_nothing_from_patterns(string user, string clientId)
    {
        var client = Client(user, clientId);
        Assert.That(_acl.MayRead(client, $"devices/{clientId}/state"), Is.False);
        Assert.That(_acl.MayRead(client, $"users/{user}/inbox"), Is.False);
        if (user == "alice")
        {
            Assert.That(_acl.MayRead(client, "sensors/x"), Is.True, "its own topic lines still apply");
        }
    }

    [Test]
    public void SYS_topics_are_read_only_through_rules_starting_with_a_dollar_and_never_written()
    {
        Assert.That(_acl.MayRead(Client("admin"), "$SYS/broker/uptime"), Is.True);
        Assert.That(_acl.MayRead(Client("alice"), "$SYS/broker/uptime"), Is.True);
        Assert.That(_acl.MayRead(Client("alice"), "$SYS/other"), Is.False);
        Assert.That(_acl.MayWrite(Client("admin"), "$SYS/broker/uptime"), Is.False, "Mosquitto's acl__check_dollar refuses $SYS writes");
        Assert.That(_acl.MayWrite(Client("admin"), "$SYS/broker/connection/bridge1/state"), Is.True, "bridge status is the exception");
        Assert.That(_acl.MayRead(Client("admin"), "$share/g/x"), Is.False);
    }

    [Test]
    public void Without_an_acl_file_everything_is_allowed_except_writing_SYS()
    {
        var open = new AclAuthorizer(new SecurityOptions());
        Assert.That(open.MayRead(Client(null), "any/topic") && open.MayWrite(Client(null), "any/topic"), Is.True);
        Assert.That(open.MayRead(Client(null), "$SYS/broker/uptime"), Is.True);
        Assert.That(open.MayWrite(Client("admin"), "$SYS/broker/uptime"), Is.False);
    }

    [Test]
    public async Task A_hash_subscription_is_granted_and_deliveries_are_filtered_as_in_mosquitto_2_0_11()
    {
        // Checked against Debian's mosquitto 2.0.11: with only "topic read a/#", SUBSCRIBE '#' gets SUBACK 0 (granted)
        // and the subscriber then receives a/... messages only (see AclMosquittoComparisonTests).
        var alice = Client("alice");
        Assert.That(await _acl.AuthorizeSubscribeAsync(alice, "#", CancellationToken.None), Is.True);
        Assert.That(await _acl.AuthorizeSubscribeAsync(alice, "nothing/readable", CancellationToken.None), Is.True);
        Assert.That(_acl.MayDeliver(alice, Clients.Message("sensors/kitchen")), Is.True);
        Assert.That(_acl.MayDeliver(alice, Clients.Message("sensors/secret/key")), Is.False, "a '#' subscriber never receives a denied sub-tree");
        Assert.That(_acl.MayDeliver(alice, Clients.Message("commands/alice/x")), Is.False, "write-only");
        Assert.That(_acl.RefusedDeliveries, Is.EqualTo(2));
    }

    [Test]
    public async Task The_strict_subscribe_mode_refuses_filters_that_can_never_deliver_anything()
    {
        var options = new SecurityOptions { Default = { AclFile = _aclPath }, Acl = { SubscribeCheck = AclSubscribeCheck.RefuseUnreadableFilters } };
        var acl = new AclAuthorizer(options);
        var alice = Client("alice");
        async Task<bool> Subscribe(string filter) => await acl.AuthorizeSubscribeAsync(alice, filter, CancellationToken.None);

        Assert.That(await Subscribe("#"), Is.True, "overlaps sensors/#");
        Assert.That(await Subscribe("sensors/+/temp"), Is.True);
        Assert.That(await Subscribe("sensors/secret/#"), Is.False, "covered by a deny");
        Assert.That(await Subscribe("commands/alice/#"), Is.False, "write-only");
        Assert.That(await Subscribe("devices/dev1/#"), Is.True, "through the %c pattern");
        Assert.That(await Subscribe("$share/group/sensors/#"), Is.True, "the inner filter is checked");
        Assert.That(await Subscribe("$SYS/#"), Is.True);
        Assert.That(await Subscribe("other/#"), Is.False);
        Assert.That(acl.RefusedSubscriptions, Is.EqualTo(3));
    }

    [Test]
    public async Task Publishing_is_checked_for_clients_and_not_for_messages_without_a_publisher()
    {
        Assert.That(await _acl.AuthorizePublishAsync(Client("alice"), Clients.Message("commands/alice/x"), CancellationToken.None), Is.True);
        Assert.That(await _acl.AuthorizePublishAsync(Client("alice"), Clients.Message("sensors/x"), CancellationToken.None), Is.False);
        Assert.That(await _acl.AuthorizePublishAsync(null, Clients.Message("sensors/x"), CancellationToken.None), Is.True);
        Assert.That(_acl.RefusedPublishes, Is.EqualTo(1));
    }

    [Test]
    public void Each_listener_has_its_own_acl_file_with_per_listener_settings()
    {
        var options = new SecurityOptions { Default = { AclFile = _aclPath } };
        options.Listeners["open"] = new ListenerSecurityOptions();
        var acl = new AclAuthorizer(options);
        Assert.That(acl.MayRead(Clients.Identity("c", "carol", "default"), "x"), Is.False);
        Assert.That(acl.MayRead(Clients.Identity("c", "carol", "open"), "x"), Is.True);
    }

    [Test]
    public void A_reload_withdraws_rights_from_the_next_check_of_a_connected_client_and_a_failed_reload_keeps_the_old_rules()
    {
        var alice = Client("alice");
        Assert.That(_acl.MayRead(alice, "sensors/kitchen"), Is.True);
        Assert.That(_acl.MayRead(alice, "sensors/kitchen"), Is.True, "answered from the cache");

        File.WriteAllText(_aclPath, "user alice\ntopic read other/#\n");
        Assert.That(_acl.Reload().Succeeded, Is.True);
        Assert.That(_acl.MayRead(alice, "sensors/kitchen"), Is.False, "the cache did not outlive the reload");
        Assert.That(_acl.MayRead(alice, "other/x"), Is.True);

        File.WriteAllText(_aclPath, "user alice\ntopic reed other/#\n");
        var failed = _acl.Reload();
        Assert.That(failed.Succeeded, Is.False);
        Assert.That(failed.Error, Does.StartWith($"{_aclPath}:2: unknown access 'reed'"));
        Assert.That(_acl.MayRead(alice, "other/x"), Is.True);
    }

    [Test]
    public void A_client_decision_cache_stays_within_its_entry_and_byte_bounds()
    {
        var options = new SecurityOptions { Default = { AclFile = _aclPath }, Acl = { MaximumCachedTopicsPerClient = 50, MaximumCachedBytesPerClient = 4096 } };
        var acl = new AclAuthorizer(options);
        var alice = Client("alice");
        for (var i = 0; i < 5000; i++)
        {
            Assert.That(acl.MayRead(alice, $"sensors/{i}/{new string('x', i % 100)}"), Is.True);
            var cache = acl.RulesFor(alice).Cache!;
            Assert.That(cache.Count, Is.LessThanOrEqualTo(50));
            Assert.That(cache.EstimatedBytes, Is.LessThanOrEqualTo(4096));
        }
        Assert.That(acl.MayRead(alice, "sensors/secret/" + new string('y', 5000)), Is.False, "a topic too long to cache is still decided");
    }

    [Test]
    public void Concurrent_deliveries_to_one_subscriber_agree_with_single_threaded_answers()
    {
        var alice = Client("alice");
        var topics = Enumerable.Range(0, 2000).Select(i => i % 3 == 0 ? $"sensors/secret/{i}" : $"sensors/{i}").ToArray();
        var options = new SecurityOptions { Default = { AclFile = _aclPath }, Acl = { MaximumCachedTopicsPerClient = 100 } };
        var acl = new AclAuthorizer(options);
        var wrong = 0;
        Parallel.For(0, 8, worker =>
        {
            for (var n = 0; n < 20_000; n++)
            {
                var topic = topics[(n * 7 + worker) % topics.Length];
                if (acl.MayRead(alice, topic) == topic.StartsWith("sensors/secret/", StringComparison.Ordinal))
                {
                    Interlocked.Increment(ref wrong);
                }
            }
        });
        Assert.That(wrong, Is.Zero);
    }
}
