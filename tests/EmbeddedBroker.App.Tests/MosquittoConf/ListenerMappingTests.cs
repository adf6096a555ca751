namespace EmbeddedBroker.App.Tests.MosquittoConf;

/// <summary>listener, the default listener (port, bind_address) and the per-listener options of mosquitto.conf(5).</summary>
public class ListenerMappingTests : MosquittoConfFixture
{
    [Test]
    public void Listener_options_map_to_the_endpoint_they_follow()
    {
        var values = Values(
            "listener 1883 127.0.0.1",
            "socket_domain ipv4",
            "max_connections 100",
            "bind_interface eth0",
            "listener 9001 ::1",
            "protocol websockets",
            "socket_domain ipv6",
            "max_connections -5");

        Assert.That(Section(values, "Listeners:Endpoints:0"), Is.EquivalentTo(new Dictionary<string, string?>
        {
            ["Name"] = "listener-1883",
            ["Port"] = "1883",
            ["Address"] = "127.0.0.1",
            ["Protocol"] = "mqtt",
            ["SocketDomain"] = "ipv4",
            ["MaxConnections"] = "100",
            ["BindInterface"] = "eth0",
        }));
        Assert.That(Section(values, "Listeners:Endpoints:1"), Is.EquivalentTo(new Dictionary<string, string?>
        {
            ["Name"] = "listener-9001",
            ["Port"] = "9001",
            ["Address"] = "::1",
            ["Protocol"] = "websockets",
            ["SocketDomain"] = "ipv6",
            ["MaxConnections"] = "-1", // Mosquitto turns any negative count into -1, unlimited
        }));
    }

    [Test]
    public void A_host_name_is_kept_for_the_listener_to_resolve_as_Mosquitto_does()
    {
        Assert.That(Values("listener 1883 localhost")["Listeners:Endpoints:0:Address"], Is.EqualTo("localhost"));
    }

    [Test]
    public void Tls_options_map_to_the_endpoint_with_paths_from_the_configuration_files_folder()
    {
        var values = Values(
            "listener 8883",
            "certfile certs/server.crt",
            "keyfile /etc/ssl/private/server.key",
            "cafile certs/ca.crt",
            "capath certs/",
            "require_certificate true",
            "use_identity_as_username true",
            "use_subject_as_username false",
            "tls_version tlsv1.3",
            "ciphers ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-AES256-GCM-SHA384",
            "allow_anonymous true");

        Assert.That(Section(values, "Listeners:Endpoints:0:Tls"), Is.EquivalentTo(new Dictionary<string, string?>
        {
            ["CertFile"] = InFolder("certs/server.crt"),
            ["KeyFile"] = "/etc/ssl/private/server.key",
            ["CaFile"] = InFolder("certs/ca.crt"),
            ["CaPath"] = InFolder("certs/"),
            ["RequireCertificate"] = "true",
            ["UseIdentityAsUsername"] = "true",
            ["UseSubjectAsUsername"] = "false",
            ["Version"] = "tlsv1.3",
            ["Ciphers"] = "ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-AES256-GCM-SHA384",
        }));
    }

    [Test]
    public void A_websockets_listener_with_a_certificate_is_wss()
    {
        var values = Values("listener 9443", "protocol websockets", "certfile s.crt", "keyfile s.key");

        Assert.That(values["Listeners:Endpoints:0:Protocol"], Is.EqualTo("websockets"));
        Assert.That(values["Listeners:Endpoints:0:Tls:CertFile"], Is.EqualTo(InFolder("s.crt")));
    }

    [Test]
    public void A_certfile_without_keyfile_is_refused_where_Mosquitto_would_listen_in_plain_text()
    {
        Assert.That(Refusal("listener 8883", "certfile server.crt"),
            Is.EqualTo("mosquitto.conf:2: certfile: listener 8883 has a certfile but no keyfile (Mosquitto would then listen without TLS); add `keyfile PATH` after the listener line, or remove certfile"));
    }

    [Test]
    public void A_tls_option_on_a_listener_without_certificate_is_refused_as_it_would_do_nothing()
    {
        Assert.That(Refusal("listener 1883", "require_certificate true"),
            Is.EqualTo("mosquitto.conf:2: require_certificate: listener 1883 has no certfile and keyfile, so it is not a TLS listener and this option would do nothing; add certfile and keyfile to that listener, or remove the line"));
    }

    [Test]
    public void Tls_switches_turned_off_on_a_plain_listener_are_accepted_since_they_change_nothing()
    {
        var values = Values("listener 1883", "require_certificate false", "use_identity_as_username false");

        Assert.That(Section(values, "Listeners:Endpoints:0:Tls"), Is.Empty, "Tls:CertFile is what makes a TLS listener");
        Assert.That(Section(values, "Security:Listeners:listener-1883"), Is.Empty);
    }

    [TestCase("tls_version tlsv1.1", "mosquitto.conf:4: tls_version: TLS 1.1 is not offered (it is obsolete and .NET disables it); use tlsv1.2 (the lowest version allowed) or tlsv1.3")]
    [TestCase("tls_version tls1.2", "mosquitto.conf:4: tls_version: 'tls1.2' is not a TLS version; use tlsv1.2 or tlsv1.3 (the lowest version allowed)")]
    public void Tls_version_is_tlsv1_2_or_tlsv1_3(string line, string expected)
    {
        Assert.That(Refusal("listener 8883", "certfile a", "keyfile b", line), Is.EqualTo(expected));
    }

    [TestCase("listener", "mosquitto.conf:1: listener: no port; write `listener PORT [ADDRESS]`, e.g. `listener 1883`")]
    [TestCase("listener 65536", "mosquitto.conf:1: listener: '65536' is not a port; use 1..65535, e.g. `listener 1883`")]
    [TestCase("listener abc", "mosquitto.conf:1: listener: 'abc' is not a port; use 1..65535, e.g. `listener 1883`")]
    [TestCase("listener 0 /run/mosquitto.sock", "mosquitto.conf:1: listener: port 0 is a Unix socket in Mosquitto, which is not supported yet; use a TCP port, e.g. `listener 1883 127.0.0.1`")]
    [TestCase("listener 1883 127.0.0.1 extra", "mosquitto.conf:1: listener: unexpected 'extra' after the value; write `listener PORT [ADDRESS]` (Mosquitto reads one value here and ignores the rest)")]
    [TestCase("listener 1883 bad_host!", "mosquitto.conf:1: listener: 'bad_host!' is not an IP address or host name; use an address such as 127.0.0.1, ::1 or 0.0.0.0, or a host name")]
    public void Listener_line_is_validated(string line, string expected)
    {
        Assert.That(Refusal(line), Is.EqualTo(expected));
    }

    [TestCase("protocol mqttsn", "mosquitto.conf:2: protocol: 'mqttsn' is not a protocol; use mqtt or websockets")]
    [TestCase("socket_domain ipv5", "mosquitto.conf:2: socket_domain: 'ipv5' is not a socket domain; use ipv4 or ipv6, or remove the line for both")]
    [TestCase("max_connections many", "mosquitto.conf:2: max_connections: 'many' is not a whole number; use a number of clients, or -1 for no limit")]
    public void Listener_option_values_are_validated(string line, string expected)
    {
        Assert.That(Refusal("listener 1883", line), Is.EqualTo(expected));
    }

    [Test]
    public void Two_listeners_on_the_same_socket_are_refused_where_Mosquitto_fails_to_bind()
    {
        Assert.That(Refusal("listener 1883", "listener 1883 127.0.0.1"),
            Is.EqualTo("mosquitto.conf:2: listener: listener 1883 127.0.0.1 binds the same port as listener 1883 at mosquitto.conf:1 (Mosquitto fails with \"Address already in use\"); remove one of them, or give each its own port or address"));
    }

    [Test]
    public void Listeners_on_one_port_with_different_addresses_get_distinct_names()
    {
        var values = Values("listener 1883 127.0.0.1", "listener 1883 ::1", "listener 1883 192.168.1.10");

        Assert.That(values["Listeners:Endpoints:0:Name"], Is.EqualTo("listener-1883"));
        Assert.That(values["Listeners:Endpoints:1:Name"], Is.EqualTo("listener-1883-2"));
        Assert.That(values["Listeners:Endpoints:2:Name"], Is.EqualTo("listener-1883-3"));
    }

    [Test]
    public void Every_interface_for_IPv4_only_and_IPv6_only_on_one_port_do_not_overlap()
    {
        var values = Values("listener 1883", "socket_domain ipv4", "listener 1883 ::1");

        Assert.That(values["Listeners:Endpoints:1:Address"], Is.EqualTo("::1"));
    }

    [Test]
    public void Port_and_bind_address_declare_the_default_listener_which_comes_after_the_others()
    {
        var read = Read("listener 8883", "certfile a", "keyfile b", "port 1884", "bind_address 127.0.0.1");

        Assert.That(Section(read.Values, "Listeners:Endpoints:1"), Is.EquivalentTo(new Dictionary<string, string?>
        {
            ["Name"] = "default",
            ["Port"] = "1884",
            ["Address"] = "127.0.0.1",
            ["Protocol"] = "mqtt",
        }));
        Assert.That(read.Warnings, Has.Some.Contains("mosquitto.conf:4: port: is deprecated in Mosquitto 2.0; `listener PORT` says the same"));
    }

    [Test]
    public void Port_given_twice_uses_the_last_with_a_warning_as_Mosquitto_does()
    {
        var read = Read("port 1884", "port 1885");

        Assert.That(read.Values["Listeners:Endpoints:0:Port"], Is.EqualTo("1885"));
        Assert.That(read.Values["Listeners:Endpoints:0:Address"], Is.EqualTo("0.0.0.0"));
        Assert.That(read.Warnings, Has.Some.Contains("the last one, 1885, is used"));
    }

    [Test]
    public void Options_before_the_first_listener_configure_the_default_listener_declared_by_port()
    {
        var values = Values("protocol websockets", "max_connections 10", "port 9001", "listener 1883");

        Assert.That(values["Listeners:Endpoints:0:Protocol"], Is.EqualTo("mqtt"));
        Assert.That(values["Listeners:Endpoints:1:Name"], Is.EqualTo("default"));
        Assert.That(values["Listeners:Endpoints:1:Protocol"], Is.EqualTo("websockets"));
        Assert.That(values["Listeners:Endpoints:1:MaxConnections"], Is.EqualTo("10"));
    }

    [Test]
    public void A_listener_option_before_any_listener_without_port_is_refused_where_Mosquitto_opens_1883_on_every_interface()
    {
        // Measured with Debian's mosquitto 2.0.11: "max_connections 10" + "listener 18831 127.0.0.1" also opens 1883 on
        // every interface, and with no listener line at all lets anonymous clients in there despite allow_anonymous false.
        Assert.That(Refusal("max_connections 10", "listener 8883"),
            Is.EqualTo("mosquitto.conf:1: max_connections: comes before any `listener` line of its file, so Mosquitto applies it to its default listener (port 1883), which this configuration does not declare with `port`; move it after the `listener` line it is meant for, or add `port 1883` to open the default listener"));
    }

    [Test]
    public void The_default_listener_on_the_port_of_a_listener_is_refused()
    {
        Assert.That(Refusal("port 1883", "listener 1883"), Does.StartWith(
            "mosquitto.conf:1: port: the default listener (port 1883) binds the same port as listener 1883 at mosquitto.conf:2"));
    }

    [Test]
    public void Listener_options_after_a_connection_block_still_belong_to_the_latest_listener_as_in_Mosquitto()
    {
        var values = Values(
            "listener 8883",
            "connection central",
            "address central.example.com",
            "topic sensors/# out 1",
            "certfile server.crt",
            "keyfile server.key");

        Assert.That(values["Listeners:Endpoints:0:Tls:CertFile"], Is.EqualTo(InFolder("server.crt")));
        Assert.That(values.Keys, Has.None.Contains("Bridges:0:Tls"));
    }

    [Test]
    public void Without_any_listener_the_broker_listens_on_this_machine_only()
    {
        var values = Values("password_file passwd");

        Assert.That(values["Listeners:Endpoints:0:Address"], Is.EqualTo("localhost"));
        Assert.That(values["Listeners:Endpoints:0:Port"], Is.EqualTo("1883"));
        Assert.That(values["Listeners:Mqtt:Enabled"], Is.EqualTo("false"));
    }
}
