using EmbeddedBroker.Protocol;
using EmbeddedBroker.Security.Authentication;
using EmbeddedBroker.Security.Editing;
using EmbeddedBroker.Security.Tests.Support;

namespace EmbeddedBroker.Security.Tests.Authentication;

public class PasswordFileAuthenticatorTests
{
    private TempDirectory _directory = null!;
    private string _passwords = null!;

    [SetUp]
    public void SetUp()
    {
        _directory = new TempDirectory();
        _passwords = _directory.File("pw");
        PasswordFileEditor.Create(_passwords, "alice", "secret");
    }

    [TearDown]
    public void TearDown() => _directory.Dispose();

    private SecurityOptions Options(bool allowAnonymous = false) => new()
    {
        Default = new ListenerSecurityOptions { PasswordFile = _passwords, AllowAnonymous = allowAnonymous },
        FailedLogins = new FailedLoginOptions { MaximumDelay = TimeSpan.Zero },
    };

    private static AuthenticationResult Authenticate(PasswordFileAuthenticator authenticator, MqttConnectRequest request) =>
        authenticator.AuthenticateAsync(request, CancellationToken.None).AsTask().GetAwaiter().GetResult();

    // Debian's mosquitto 2.0.11 (src/handle_connect.c, and mosquitto_pub's exit codes against it, see
    // PasswordFileInteropTests) refuses an anonymous client, an unknown user, a wrong password and a user name
    // without password alike with CONNACK_REFUSED_NOT_AUTHORIZED: 3.1.1 return code 5 and 5.0 reason 0x87 Not authorized,
    // never 4 / 0x86 (those are for certificate identities). NotAuthorized maps to 5 in 3.1.1 (LegacyReturnCodes).
    [TestCase(MqttProtocolVersion.V311)]
    [TestCase(MqttProtocolVersion.V500)]
    public void Anonymous_clients_are_refused_with_not_authorized_when_anonymous_access_is_off(MqttProtocolVersion version)
    {
        var authenticator = new PasswordFileAuthenticator(Options());
        var result = Authenticate(authenticator, Clients.Connect(null, null, version: version));
        Assert.That(result.ReasonCode, Is.EqualTo(MqttReasonCode.NotAuthorized));
        Assert.That(authenticator.Counters.RefusedAnonymous, Is.EqualTo(1));
    }

    [TestCase(MqttProtocolVersion.V311, "alice", "wrong")]
    [TestCase(MqttProtocolVersion.V500, "alice", "wrong")]
    [TestCase(MqttProtocolVersion.V311, "mallory", "secret")]
    [TestCase(MqttProtocolVersion.V500, "mallory", "secret")]
    [TestCase(MqttProtocolVersion.V500, "alice", null)]
    [TestCase(MqttProtocolVersion.V311, "alice", "")]
    public void Wrong_passwords_unknown_users_and_missing_passwords_are_refused_with_not_authorized(MqttProtocolVersion version, string user, string? password)
    {
        var authenticator = new PasswordFileAuthenticator(Options(allowAnonymous: true));
        var result = Authenticate(authenticator, Clients.Connect(user, password, version: version));
        Assert.That(result.IsAccepted, Is.False);
        Assert.That(result.ReasonCode, Is.EqualTo(MqttReasonCode.NotAuthorized));
        Assert.That(authenticator.Counters.RefusedCredentials, Is.EqualTo(1));
        Assert.That(authenticator.Counters.FailedLogins, Is.EqualTo(1));
    }

    [Test]
    public void The_right_password_is_accepted_under_the_user_name_presented()
    {
        var authenticator = new PasswordFileAuthenticator(Options());
        var result = Authenticate(authenticator, Clients.Connect("alice", "secret"));
        Assert.That(result, Is.EqualTo(AuthenticationResult.Accept("alice")));
        Assert.That(authenticator.Counters.Accepted, Is.EqualTo(1));
    }

    [Test]
    public void A_password_with_a_nul_byte_does_not_pass_for_its_prefix()
    {
        // Mosquitto hashes up to the first NUL (strlen), so "secret\0x" would log in as "secret"; here it does not.
        var authenticator = new PasswordFileAuthenticator(Options());
        var request = Clients.Connect("alice", null) with { Password = "secret\0x"u8.ToArray() };
        Assert.That(Authenticate(authenticator, request).IsAccepted, Is.False);
    }

    [Test]
    public void A_password_with_trailing_nul_bytes_does_not_pass_for_the_password_MQTT_3_1_3_6()
    {
        // Found by the random-credentials fuzz test: HMAC pads keys shorter than its block with zeros, so PBKDF2 ($7$)
        // computed the same hash for "secret\0" as for "secret". The password is binary data (3.1.3.6) compared as sent.
        var authenticator = new PasswordFileAuthenticator(Options());
        foreach (var password in new[] { "secret\0"u8.ToArray(), "secret\0\0\0"u8.ToArray() })
        {
            var request = Clients.Connect("alice", null) with { Password = password };
            Assert.That(Authenticate(authenticator, request).IsAccepted, Is.False, Convert.ToHexString(password));
        }

        Assert.That(Authenticate(authenticator, Clients.Connect("alice", "secret")).IsAccepted, Is.True);
    }

    [Test]
    public void Anonymous_clients_are_accepted_without_a_user_name_when_anonymous_access_is_on()
    {
        var authenticator = new PasswordFileAuthenticator(Options(allowAnonymous: true));
        Assert.That(Authenticate(authenticator, Clients.Connect(null, null)), Is.EqualTo(AuthenticationResult.Accept(null)));
    }

    [Test]
    public void Without_a_password_file_allow_anonymous_alone_decides_for_everyone_as_in_mosquitto()
    {
        var closed = new PasswordFileAuthenticator(new SecurityOptions());
        Assert.That(Authenticate(closed, Clients.Connect("alice", "secret")).ReasonCode, Is.EqualTo(MqttReasonCode.NotAuthorized));
        Assert.That(Authenticate(closed, Clients.Connect(null, null)).ReasonCode, Is.EqualTo(MqttReasonCode.NotAuthorized));

        var open = new PasswordFileAuthenticator(new SecurityOptions { Default = { AllowAnonymous = true } });
        Assert.That(Authenticate(open, Clients.Connect("anyone", "anything")), Is.EqualTo(AuthenticationResult.Accept("anyone")));
    }

    [Test]
    public void Each_listener_has_its_own_password_file_and_anonymous_rule_with_per_listener_settings()
    {
        var other = _directory.File("pw-secure");
        PasswordFileEditor.Create(other, "bob", "b");
        var options = Options(allowAnonymous: true);
        options.Listeners["secure"] = new ListenerSecurityOptions { PasswordFile = other, AllowAnonymous = false };
        var authenticator = new PasswordFileAuthenticator(options);

        Assert.That(Authenticate(authenticator, Clients.Connect(null, null, listener: "default")).IsAccepted, Is.True);
        Assert.That(Authenticate(authenticator, Clients.Connect(null, null, listener: "secure")).IsAccepted, Is.False);
        Assert.That(Authenticate(authenticator, Clients.Connect("alice", "secret", listener: "secure")).IsAccepted, Is.False);
        Assert.That(Authenticate(authenticator, Clients.Connect("bob", "b", listener: "secure")).IsAccepted, Is.True);
        Assert.That(Authenticate(authenticator, Clients.Connect("bob", "b", listener: "websockets")).IsAccepted, Is.False, "an unlisted listener uses the default");
    }

    [Test]
    public void Reload_applies_a_changed_file_and_a_failed_reload_keeps_the_previous_one()
    {
        var authenticator = new PasswordFileAuthenticator(Options());
        PasswordFileEditor.SetPassword(_passwords, "bob", "b");
        Assert.That(Authenticate(authenticator, Clients.Connect("bob", "b")).IsAccepted, Is.False, "not before the reload");
        Assert.That(authenticator.Reload(), Is.EqualTo(SecurityReloadResult.Success));
        Assert.That(Authenticate(authenticator, Clients.Connect("bob", "b")).IsAccepted, Is.True);

        File.AppendAllText(_passwords, "carol:plain\n");
        var failed = authenticator.Reload();
        Assert.That(failed.Succeeded, Is.False);
        Assert.That(failed.Error, Does.StartWith($"{_passwords}:3: user 'carol': the password is not hashed"));
        Assert.That(Authenticate(authenticator, Clients.Connect("bob", "b")).IsAccepted, Is.True, "the previous file stays in force");

        File.Delete(_passwords);
        Assert.That(authenticator.Reload().Error, Does.StartWith($"{_passwords}: cannot read the password file"));
        Assert.That(Authenticate(authenticator, Clients.Connect("alice", "secret")).IsAccepted, Is.True);
    }

    [Test]
    public void Reload_with_new_options_switches_rules_and_a_later_change_to_the_options_object_does_not_leak_in()
    {
        var options = Options();
        var authenticator = new PasswordFileAuthenticator(options);
        options.Default.AllowAnonymous = true;
        Assert.That(Authenticate(authenticator, Clients.Connect(null, null)).IsAccepted, Is.False, "options are read at load");
        Assert.That(authenticator.Reload(options).Succeeded, Is.True);
        Assert.That(Authenticate(authenticator, Clients.Connect(null, null)).IsAccepted, Is.True);
    }

    [Test]
    public void A_missing_password_file_stops_construction_with_the_file_and_the_fix()
    {
        var options = new SecurityOptions { Default = { PasswordFile = _directory.File("nope") } };
        var error = Assert.Throws<SecurityFileException>(() => _ = new PasswordFileAuthenticator(options))!;
        Assert.That(error.Message, Does.StartWith(_directory.File("nope") + ": cannot read the password file"));
    }

    [Test]
    public void One_hundred_thousand_random_credentials_never_authenticate_and_never_throw()
    {
        PasswordFileEditor.SetPassword(_passwords, "bob", "b0b-is-long-enough");
        var options = Options();
        options.FailedLogins.MaximumTrackedAddresses = 1000;
        var authenticator = new PasswordFileAuthenticator(options);
        var random = new Random(20250101);
        string[] names = ["alice", "bob", "", " alice", "ALICE", "alice\0", "root", "%u", "#", "+/+"];
        for (var i = 0; i < 100_000; i++)
        {
            var username = random.Next(4) switch
            {
                0 => null,
                1 => names[random.Next(names.Length)],
                _ => RandomText(random, random.Next(0, 40)),
            };
            byte[]? password = random.Next(10) == 0 ? null : new byte[random.Next(0, random.Next(10) == 0 ? 2000 : 24)];
            if (password is not null)
            {
                random.NextBytes(password);
            }
            var request = new MqttConnectRequest(RandomText(random, 8), username, password,
                random.Next(2) == 0 ? MqttProtocolVersion.V311 : MqttProtocolVersion.V500,
                Clients.Connection(random.Next(3) == 0 ? "other" : "default", $"10.0.{random.Next(256)}.{random.Next(256)}"));
            var result = Authenticate(authenticator, request);
            Assert.That(result.IsAccepted, Is.False, $"attempt {i} got in as {username}");
        }
        Assert.That(authenticator.Counters.FailedLogins, Is.EqualTo(100_000));
        Assert.That(authenticator.TrackedFailureAddresses, Is.LessThanOrEqualTo(1000));
    }

    private static string RandomText(Random random, int length)
    {
        var chars = new char[length];
        for (var i = 0; i < length; i++)
        {
            chars[i] = (char)random.Next(1, random.Next(4) == 0 ? 0xD7FF : 0x7F);
        }
        return new string(chars);
    }
}
