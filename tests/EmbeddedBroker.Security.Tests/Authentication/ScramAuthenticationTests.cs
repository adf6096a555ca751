using System.Security.Cryptography;
using System.Text;
using EmbeddedBroker.Protocol;
using EmbeddedBroker.Security.Authentication;
using EmbeddedBroker.Security.Tests.Support;

namespace EmbeddedBroker.Security.Tests.Authentication;

/// <summary>
/// MQTT 5 enhanced authentication with SCRAM-SHA-512 (RFC 5802) against a password file written by Debian's
/// mosquitto_passwd: the client side below is written from the RFC, independently of the server code.
/// </summary>
[NonParallelizable]
public sealed class ScramAuthenticationTests
{
    private TempDirectory _directory = null!;
    private PasswordFileAuthenticator _authenticator = null!;

    [SetUp]
    public async Task WritePasswordFile()
    {
        _directory = new TempDirectory();
        var path = _directory.File("pw");
        var run = await ExternalTool.RunAsync("/usr/bin/mosquitto_passwd", ["-c", "-b", path, "alice", "pässwörd"]);
        Assert.That(run.ExitCode, Is.Zero, run.Error);
        await ExternalTool.RunAsync("/usr/bin/mosquitto_passwd", ["-H", "sha512", "-b", path, "old", "sha512-only"]);
        _authenticator = new PasswordFileAuthenticator(new SecurityOptions
        {
            Default = new ListenerSecurityOptions { PasswordFile = path },
            FailedLogins = new FailedLoginOptions { MaximumDelay = TimeSpan.Zero },
        });
    }

    [TearDown]
    public void DeleteFolder() => _directory.Dispose();

    [Test]
    public async Task The_right_password_authenticates_and_the_server_proves_it_holds_the_file_RFC_5802()
    {
        var (reasonCode, username, serverFinal, client) = await RunAsync("alice", "pässwörd");
        Assert.That((reasonCode, username), Is.EqualTo((MqttReasonCode.Success, "alice")));
        Assert.That(client.VerifyServerFinal(serverFinal!), Is.True, "ServerSignature matches: mutual authentication");
        Assert.That(_authenticator.Methods, Does.Contain("SCRAM-SHA-512"));
    }

    [TestCase("alice", "wrong", TestName = "A wrong password is refused with 0x87")]
    [TestCase("nobody", "anything", TestName = "An unknown user goes through the same steps and is refused with 0x87")]
    [TestCase("old", "sha512-only", TestName = "A $6$ entry, which is not PBKDF2, cannot do SCRAM and is refused")]
    public async Task Refused(string user, string password)
    {
        var (reasonCode, _, serverFinal, _) = await RunAsync(user, password);
        Assert.That(reasonCode, Is.EqualTo(MqttReasonCode.NotAuthorized));
        Assert.That(serverFinal, Is.Null);
        Assert.That(_authenticator.Counters.FailedLogins, Is.EqualTo(1));
    }

    [Test]
    public async Task A_client_final_message_with_another_nonce_is_a_protocol_error()
    {
        var client = new ScramClient("alice", "pässwörd");
        var start = await _authenticator.StartAsync(Request(client.ClientFirst()), CancellationToken.None);
        var final = client.ClientFinal(start.Data!.Value.Span).Replace("r=", "r=x", StringComparison.Ordinal);
        var end = await start.NextAsync(Encoding.UTF8.GetBytes(final), CancellationToken.None);
        Assert.That(end.ReasonCode, Is.EqualTo(MqttReasonCode.ProtocolError));
    }

    [Test]
    public async Task A_client_first_message_asking_for_channel_binding_is_refused()
    {
        var start = await _authenticator.StartAsync(Request("p=tls-unique,,n=alice,r=abc"), CancellationToken.None);
        Assert.That(start.IsContinue, Is.False);
        Assert.That(start.ReasonCode, Is.EqualTo(MqttReasonCode.ProtocolError));
    }

    private async Task<(MqttReasonCode ReasonCode, string? Username, string? ServerFinal, ScramClient Client)> RunAsync(string user, string password)
    {
        var client = new ScramClient(user, password);
        var start = await _authenticator.StartAsync(Request(client.ClientFirst()), CancellationToken.None);
        Assert.That(start.IsContinue, Is.True);
        var end = await start.NextAsync(Encoding.UTF8.GetBytes(client.ClientFinal(start.Data!.Value.Span)), CancellationToken.None);
        return (end.ReasonCode, end.Username, end.Data is { } data ? Encoding.UTF8.GetString(data.Span) : null, client);
    }

    private static EnhancedAuthenticationRequest Request(string clientFirst) =>
        new("c", "SCRAM-SHA-512", Encoding.UTF8.GetBytes(clientFirst), new MqttConnectionContext { RemoteAddress = "127.0.0.1" });

    /// <summary>The client side of SCRAM-SHA-512 straight from RFC 5802 section 3.</summary>
    private sealed class ScramClient(string user, string password)
    {
        private readonly string _nonce = Convert.ToBase64String(RandomNumberGenerator.GetBytes(18));
        private byte[] _serverSignature = [];

        public string ClientFirst() => $"n,,n={user.Replace("=", "=3D", StringComparison.Ordinal).Replace(",", "=2C", StringComparison.Ordinal)},r={_nonce}";

        public string ClientFinal(ReadOnlySpan<byte> serverFirstBytes)
        {
            var serverFirst = Encoding.UTF8.GetString(serverFirstBytes);
            var fields = serverFirst.Split(',').ToDictionary(f => f[..1], f => f[2..]);
            Assert.That(fields["r"], Does.StartWith(_nonce), "the server's nonce extends ours");
            var salted = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), Convert.FromBase64String(fields["s"]), int.Parse(fields["i"], System.Globalization.CultureInfo.InvariantCulture), HashAlgorithmName.SHA512, 64);
            var withoutProof = $"c=biws,r={fields["r"]}";
            var authMessage = Encoding.UTF8.GetBytes($"{ClientFirst()[3..]},{serverFirst},{withoutProof}");
            var clientKey = HMACSHA512.HashData(salted, Encoding.UTF8.GetBytes("Client Key"));
            var signature = HMACSHA512.HashData(SHA512.HashData(clientKey), authMessage);
            var proof = clientKey.Select((b, i) => (byte)(b ^ signature[i])).ToArray();
            _serverSignature = HMACSHA512.HashData(HMACSHA512.HashData(salted, Encoding.UTF8.GetBytes("Server Key")), authMessage);
            return $"{withoutProof},p={Convert.ToBase64String(proof)}";
        }

        public bool VerifyServerFinal(string serverFinal) => serverFinal == "v=" + Convert.ToBase64String(_serverSignature);
    }
}
