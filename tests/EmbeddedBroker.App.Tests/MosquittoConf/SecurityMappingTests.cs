namespace EmbeddedBroker.App.Tests.MosquittoConf;

/// <summary>allow_anonymous, password_file, acl_file and per_listener_settings, written as the security library's
/// SecurityOptions (Security:Default, Security:Listeners:{name}).</summary>
public class SecurityMappingTests : MosquittoConfFixture
{
    [Test]
    public void With_listeners_and_no_allow_anonymous_anonymous_clients_are_refused_as_in_Mosquitto_2_0()
    {
        Assert.That(Values("listener 1883")["Security:Default:AllowAnonymous"], Is.EqualTo("false"));
    }

    [Test]
    public void The_default_listener_alone_also_refuses_anonymous_clients()
    {
        Assert.That(Values("port 1883")["Security:Default:AllowAnonymous"], Is.EqualTo("false"));
    }

    [Test]
    public void Without_listeners_anonymous_clients_are_let_in_on_this_machine_as_in_Mosquitto_2_0()
    {
        Assert.That(Values("# nothing but a comment")["Security:Default:AllowAnonymous"], Is.EqualTo("true"));
    }

    [Test]
    public void Allow_anonymous_false_without_listeners_is_refused_because_Mosquitto_would_let_anonymous_clients_in()
    {
        Assert.That(Refusal("allow_anonymous false", "password_file passwd"),
            Is.EqualTo("mosquitto.conf:1: allow_anonymous: without a `listener` line Mosquitto starts in local-only mode and lets anonymous clients in whatever this line says; add a listener (e.g. `listener 1883`) so that allow_anonymous false applies"));
    }

    [Test]
    public void Password_and_acl_files_apply_to_every_listener_without_per_listener_settings()
    {
        var values = Values(
            "password_file passwd",
            "listener 1883",
            "allow_anonymous false",
            "listener 9001",
            "protocol websockets",
            "acl_file /etc/mosquitto/acl");

        Assert.That(Section(values, "Security:Default"), Is.EquivalentTo(new Dictionary<string, string?>
        {
            ["AllowAnonymous"] = "false",
            ["PasswordFile"] = InFolder("passwd"),
            ["AclFile"] = "/etc/mosquitto/acl",
        }));
        Assert.That(values.Keys.Where(k => k.StartsWith("Security:Listeners", StringComparison.Ordinal)), Is.Empty);
    }

    [Test]
    public void Per_listener_settings_gives_each_listener_its_own_security()
    {
        var values = Values(
            "per_listener_settings true",
            "listener 1883 127.0.0.1",
            "allow_anonymous true",
            "listener 8883",
            "certfile s.crt",
            "keyfile s.key",
            "password_file passwd",
            "acl_file acl");

        Assert.That(values["Security:Default:AllowAnonymous"], Is.EqualTo("false"));
        Assert.That(Section(values, "Security:Listeners:listener-1883"), Is.EquivalentTo(new Dictionary<string, string?>
        {
            ["AllowAnonymous"] = "true",
        }));
        Assert.That(Section(values, "Security:Listeners:listener-8883"), Is.EquivalentTo(new Dictionary<string, string?>
        {
            ["AllowAnonymous"] = "false",
            ["PasswordFile"] = InFolder("passwd"),
            ["AclFile"] = InFolder("acl"),
        }));
    }

    [Test]
    public void Per_listener_settings_puts_the_default_listeners_security_under_its_name()
    {
        var read = Read("per_listener_settings true", "port 1883", "password_file passwd", "listener 8884", "allow_anonymous true");

        Assert.That(Section(read.Values, "Security:Listeners:default"), Is.EquivalentTo(new Dictionary<string, string?>
        {
            ["AllowAnonymous"] = "false",
            ["PasswordFile"] = InFolder("passwd"),
        }));
        Assert.That(read.Values["Security:Listeners:listener-8884:AllowAnonymous"], Is.EqualTo("true"));
        // Debian's mosquitto 2.0.11 lets anonymous clients in on the default listener in this case (allow_anonymous
        // stays "unset", which its check reads as allowed); the documented 2.0 rule is followed instead, with a warning.
        Assert.That(read.Warnings, Has.Some.Contains("Mosquitto 2.0.11 itself lets them in on it"));
    }

    [Test]
    public void Per_listener_settings_after_a_security_option_is_refused_as_in_Mosquitto()
    {
        Assert.That(Refusal("listener 1883", "allow_anonymous true", "per_listener_settings true"),
            Is.EqualTo("mosquitto.conf:3: per_listener_settings: must come before any other security option (the first is allow_anonymous at mosquitto.conf:2); move per_listener_settings to the top of the main file"));
    }

    [Test]
    public void Per_listener_settings_false_after_a_security_option_changes_nothing_and_is_accepted()
    {
        Assert.That(Values("listener 1883", "allow_anonymous true", "per_listener_settings false")["Security:Default:AllowAnonymous"], Is.EqualTo("true"));
    }

    [Test]
    public void A_per_listener_security_option_before_any_listener_is_refused_where_Mosquitto_silently_drops_it()
    {
        // Measured with Debian's mosquitto 2.0.11: this file starts, and anonymous clients are refused on 1883.
        Assert.That(Refusal("per_listener_settings true", "allow_anonymous true", "listener 1883"), Does.StartWith(
            "mosquitto.conf:2: allow_anonymous: comes before any `listener` line of its file, so Mosquitto applies it to its default listener (port 1883)"));
    }

    [Test]
    public void Identity_as_username_without_per_listener_settings_gets_an_entry_repeating_the_global_security()
    {
        var values = Values(
            "password_file passwd",
            "listener 1883",
            "listener 8883",
            "certfile s.crt",
            "keyfile s.key",
            "cafile ca.crt",
            "require_certificate true",
            "use_identity_as_username true");

        Assert.That(Section(values, "Security:Listeners:listener-8883"), Is.EquivalentTo(new Dictionary<string, string?>
        {
            ["AllowAnonymous"] = "false",
            ["PasswordFile"] = InFolder("passwd"),
            ["UseIdentityAsUsername"] = "true",
        }));
        Assert.That(Section(values, "Security:Listeners:listener-1883"), Is.Empty);
    }

    [Test]
    public void Subject_as_username_with_per_listener_settings_is_in_the_listeners_security()
    {
        var values = Values("per_listener_settings true", "listener 8883", "certfile s.crt", "keyfile s.key", "use_subject_as_username true");

        Assert.That(values["Security:Listeners:listener-8883:UseSubjectAsUsername"], Is.EqualTo("true"));
        Assert.That(values["Listeners:Endpoints:0:Tls:UseSubjectAsUsername"], Is.EqualTo("true"));
    }

    [Test]
    public void A_password_file_given_twice_in_one_listener_is_refused_but_once_per_listener_is_fine()
    {
        Assert.That(Values("per_listener_settings true", "listener 1883", "password_file a", "listener 1884", "password_file b")
            ["Security:Listeners:listener-1884:PasswordFile"], Is.EqualTo(InFolder("b")));
        Assert.That(Refusal("listener 1883", "password_file a", "listener 1884", "password_file b"), Does.StartWith(
            "mosquitto.conf:4: password_file: given twice (first at mosquitto.conf:2, as password_file)"));
    }
}
