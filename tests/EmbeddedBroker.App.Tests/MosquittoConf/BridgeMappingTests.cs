namespace EmbeddedBroker.App.Tests.MosquittoConf;

/// <summary>Bridges: <c>connection NAME</c> blocks (mosquitto.conf(5) "CONFIGURING BRIDGES"), written as the Bridges section.</summary>
public class BridgeMappingTests : MosquittoConfFixture
{
    [Test]
    public void Every_bridge_option_maps_to_its_key()
    {
        var values = Values(
            "listener 1883",
            "connection central",
            "address central.example.com:8883 backup.example.com",
            "topic sensors/# out 1",
            "topic commands/# in 2 site-a/ central/site-a/",
            "topic clients/total in 0 test/mosquitto/org/ $SYS/broker/",
            "topic \"\" both 1 local/topic remote/topic",
            "topic # both 0 \"\" remote/",
            "remote_username site-a",
            "remote_password s3cret",
            "remote_clientid site-a-bridge",
            "local_clientid local-site-a",
            "cleansession true",
            "bridge_protocol_version mqttv50",
            "try_private false",
            "notifications false",
            "notification_topic sites/a/bridge",
            "keepalive_interval 30",
            "restart_timeout 10 60",
            "bridge_cafile certs/ca.crt",
            "bridge_certfile certs/site-a.crt",
            "bridge_keyfile certs/site-a.key",
            "bridge_insecure false");

        Assert.That(Section(values, "Bridges:0"), Is.EquivalentTo(new Dictionary<string, string?>
        {
            ["Name"] = "central",
            ["Addresses:0"] = "central.example.com:8883",
            ["Addresses:1"] = "backup.example.com:1883",
            ["Topics:0:Pattern"] = "sensors/#", ["Topics:0:Direction"] = "out", ["Topics:0:Qos"] = "1",
            ["Topics:1:Pattern"] = "commands/#", ["Topics:1:Direction"] = "in", ["Topics:1:Qos"] = "2",
            ["Topics:1:LocalPrefix"] = "site-a/", ["Topics:1:RemotePrefix"] = "central/site-a/",
            ["Topics:2:Pattern"] = "clients/total", ["Topics:2:Direction"] = "in", ["Topics:2:Qos"] = "0",
            ["Topics:2:LocalPrefix"] = "test/mosquitto/org/", ["Topics:2:RemotePrefix"] = "$SYS/broker/",
            ["Topics:3:Pattern"] = "", ["Topics:3:Direction"] = "both", ["Topics:3:Qos"] = "1",
            ["Topics:3:LocalPrefix"] = "local/topic", ["Topics:3:RemotePrefix"] = "remote/topic",
            ["Topics:4:Pattern"] = "#", ["Topics:4:Direction"] = "both", ["Topics:4:Qos"] = "0", ["Topics:4:RemotePrefix"] = "remote/",
            ["RemoteUsername"] = "site-a",
            ["RemotePassword"] = "s3cret",
            ["RemoteClientId"] = "site-a-bridge",
            ["LocalClientId"] = "local-site-a",
            ["CleanSession"] = "true",
            ["ProtocolVersion"] = "5",
            ["TryPrivate"] = "false",
            ["Notifications"] = "false",
            ["NotificationTopic"] = "sites/a/bridge",
            ["KeepAlive"] = "30",
            ["RestartTimeout"] = "10",
            ["RestartTimeoutMax"] = "60",
            ["Tls:CaFile"] = InFolder("certs/ca.crt"),
            ["Tls:CertFile"] = InFolder("certs/site-a.crt"),
            ["Tls:KeyFile"] = InFolder("certs/site-a.key"),
            ["Tls:Insecure"] = "false",
        }));
    }

    [Test]
    public void A_minimal_bridge_writes_only_what_the_file_says_and_the_topic_defaults()
    {
        var values = Values("listener 1883", "connection central", "address 10.0.0.1", "topic sensors/#", "bridge_protocol_version mqttv311");

        Assert.That(Section(values, "Bridges:0"), Is.EquivalentTo(new Dictionary<string, string?>
        {
            ["Name"] = "central",
            ["Addresses:0"] = "10.0.0.1:1883",
            ["Topics:0:Pattern"] = "sensors/#", ["Topics:0:Direction"] = "out", ["Topics:0:Qos"] = "0",
            ["ProtocolVersion"] = "3.1.1",
        }));
    }

    [Test]
    public void Old_spellings_username_password_clientid_and_addresses_are_read_as_Mosquitto_reads_them()
    {
        var values = Values("connection b", "addresses h:1884", "topic a", "username u", "password p", "clientid c");

        Assert.That(values["Bridges:0:Addresses:0"], Is.EqualTo("h:1884"));
        Assert.That(values["Bridges:0:RemoteUsername"], Is.EqualTo("u"));
        Assert.That(values["Bridges:0:RemotePassword"], Is.EqualTo("p"));
        Assert.That(values["Bridges:0:RemoteClientId"], Is.EqualTo("c"));
    }

    [Test]
    public void An_old_and_a_new_spelling_of_one_option_count_as_a_duplicate()
    {
        Assert.That(Refusal("connection b", "address h", "topic a", "username u", "remote_username v"),
            Is.EqualTo("mosquitto.conf:5: remote_username: given twice (first at mosquitto.conf:4, as username); Mosquitto refuses a duplicate value; keep one of the two lines"));
    }

    [Test]
    public void Bridge_options_after_a_listener_line_still_belong_to_the_bridge_as_in_Mosquitto()
    {
        var values = Values("connection b", "address h", "listener 1883", "topic a/# both 1", "allow_anonymous true");

        Assert.That(values["Bridges:0:Topics:0:Pattern"], Is.EqualTo("a/#"));
        Assert.That(values["Security:Default:AllowAnonymous"], Is.EqualTo("true"));
    }

    [Test]
    public void Several_bridges_each_get_their_own_options()
    {
        var values = Values("connection a", "address ha", "topic x", "connection b", "address hb", "topic y in");

        Assert.That(values["Bridges:0:Name"], Is.EqualTo("a"));
        Assert.That(values["Bridges:1:Name"], Is.EqualTo("b"));
        Assert.That(values["Bridges:1:Topics:0:Direction"], Is.EqualTo("in"));
    }

    [TestCase("address ::1:1883", "[::1]:1883")]
    [TestCase("address fd00::2:8883", "[fd00::2]:8883")]
    [TestCase("address 192.168.1.2:1885", "192.168.1.2:1885")]
    public void The_port_follows_the_last_colon_as_in_Mosquitto(string line, string expected)
    {
        Assert.That(Values("connection b", line, "topic a")["Bridges:0:Addresses:0"], Is.EqualTo(expected));
    }

    [TestCase("address ::1", "mosquitto.conf:2: address: '::1' is not HOST:PORT (Mosquitto takes the port after the last ':', so an IPv6 address needs its port); write e.g. ::1:1883 or fd00::2:8883")]
    [TestCase("address h:0", "mosquitto.conf:2: address: 'h:0' has no valid port after its last ':'; write HOST:PORT with a port 1..65535 (an IPv6 address needs its port, e.g. ::1:1883)")]
    [TestCase("address # none", "mosquitto.conf:2: address: no address; write `address HOST[:PORT]`, e.g. `address broker.example.com:1883`")]
    [TestCase("topic a sideways", "mosquitto.conf:3: topic: 'sideways' is not a direction; use in, out or both (a comment may only follow the QoS)")]
    [TestCase("topic a out 3", "mosquitto.conf:3: topic: '3' is not a QoS; use 0, 1 or 2")]
    [TestCase("topic a/#/b", "mosquitto.conf:3: topic: 'a/#/b' is not a topic filter; use a filter such as sensors/# or site/+/temperature")]
    [TestCase("topic a in 0 l/+/ r/", "mosquitto.conf:3: topic: 'l/+/' is not a valid local prefix; a prefix is a topic without + or #, e.g. site-a/ (or \"\" for none)")]
    [TestCase("topic \"\" in 0 \"\" r/", "mosquitto.conf:3: topic: an empty pattern needs both a local and a remote prefix (Mosquitto: \"Invalid bridge remapping\"); write `topic \"\" in 0 local/topic remote/topic` or give a pattern")]
    [TestCase("bridge_protocol_version mqttv31", "mosquitto.conf:3: bridge_protocol_version: MQTT 3.1 bridges are not supported; use mqttv311 (every broker that speaks 3.1 also speaks 3.1.1) or mqttv50")]
    [TestCase("keepalive_interval 70000", "mosquitto.conf:3: keepalive_interval: 70000 is out of range; use 5..65535 seconds")]
    [TestCase("restart_timeout 30 10", "mosquitto.conf:3: restart_timeout: the cap 10 s is lower than the base 30 s; write `restart_timeout BASE CAP` with CAP >= BASE, e.g. `restart_timeout 5 30`")]
    [TestCase("notification_topic a/#", "mosquitto.conf:3: notification_topic: 'a/#' is not a topic name; give a topic without + or #, e.g. $SYS/broker/connection/site-a/state")]
    public void Bridge_values_are_validated(string line, string expected)
    {
        var lines = line.StartsWith("address", StringComparison.Ordinal)
            ? new[] { "connection b", line, "topic a" }
            : ["connection b", "address h", line];

        Assert.That(Refusal(lines), Is.EqualTo(expected));
    }

    [Test]
    public void A_comment_may_follow_the_qos_of_a_topic_and_the_addresses()
    {
        var values = Values("connection b", "address h1 h2:1884 # primary first", "topic a out 1 # outgoing");

        Assert.That(Section(values, "Bridges:0:Addresses"), Has.Count.EqualTo(2));
        Assert.That(values.ContainsKey("Bridges:0:Topics:0:LocalPrefix"), Is.False);
    }

    [Test]
    public void Keepalive_and_restart_timeout_below_Mosquittos_minimum_are_raised_with_a_warning_as_Mosquitto_does()
    {
        var read = Read("connection b", "address h", "topic a", "keepalive_interval 2", "restart_timeout 0");

        Assert.That(read.Values["Bridges:0:KeepAlive"], Is.EqualTo("5"));
        Assert.That(read.Values["Bridges:0:RestartTimeout"], Is.EqualTo("1"));
        Assert.That(read.Warnings, Has.Count.EqualTo(3)); // keep-alive, restart timeout, local-only mode
    }

    [TestCase(new[] { "topic a" }, "mosquitto.conf:1: connection: bridge 'b' has no address; add `address HOST[:PORT]` after the connection line")]
    [TestCase(new[] { "address h" }, "mosquitto.conf:1: connection: bridge 'b' has no topic; add at least one `topic PATTERN [in|out|both] [QOS]` after the connection line")]
    [TestCase(new[] { "address h", "topic a", "address h2" }, "mosquitto.conf:4: address: bridge 'b' already has its addresses at mosquitto.conf:2 (Mosquitto refuses a second address line); list every address on one line: `address host1:port host2:port`")]
    [TestCase(new[] { "address h", "topic a", "connection b" }, "mosquitto.conf:4: connection: a bridge named 'b' is already defined at mosquitto.conf:1; give each bridge its own name")]
    [TestCase(new[] { "address h", "topic a", "remote_password p" }, "mosquitto.conf:4: remote_password: bridge 'b' has a remote_password but no remote_username; add `remote_username NAME`")]
    [TestCase(new[] { "address h", "topic a", "bridge_certfile c.crt", "bridge_keyfile c.key" }, "mosquitto.conf:4: bridge_certfile: bridge 'b' has no bridge_cafile, so Mosquitto would connect without TLS and ignore this line; add `bridge_cafile PATH` (the CA that signed the remote broker's certificate)")]
    [TestCase(new[] { "address h", "topic a", "bridge_cafile ca.crt", "bridge_certfile c.crt" }, "mosquitto.conf:5: bridge_certfile: bridge 'b' needs both bridge_certfile and bridge_keyfile for a client certificate; add the missing one, or remove this line")]
    public void A_bridge_is_checked_as_Mosquitto_checks_it_once_the_file_is_read(string[] lines, string expected)
    {
        Assert.That(Refusal(["connection b", .. lines]), Is.EqualTo(expected));
    }

    [Test]
    public void Bridge_insecure_false_without_tls_is_accepted_since_it_changes_nothing()
    {
        Assert.That(Values("connection b", "address h", "topic a", "bridge_insecure false")["Bridges:0:Tls:Insecure"], Is.EqualTo("false"));
    }

    [Test]
    public void Two_bridges_with_the_same_local_client_id_are_refused_as_in_Mosquitto()
    {
        Assert.That(Refusal("connection a", "address h", "topic x", "remote_clientid same", "connection b", "address h", "topic y", "remote_clientid same"),
            Is.EqualTo("mosquitto.conf:5: connection: bridge 'b' would use the local client id 'local.same' of bridge 'a' (Mosquitto refuses this too); set a different local_clientid (or remote_clientid) for one of them"));
    }

    [Test]
    public void A_bridge_option_before_any_connection_is_refused()
    {
        Assert.That(Refusal("listener 1883", "topic sensors/#"), Does.StartWith("mosquitto.conf:2: topic: is a bridge option, but no `connection NAME` line comes before it"));
    }
}
