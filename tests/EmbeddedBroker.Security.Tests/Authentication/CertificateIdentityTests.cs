using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using EmbeddedBroker.Protocol;
using EmbeddedBroker.Security.Authentication;
using EmbeddedBroker.Security.Tests.Support;

namespace EmbeddedBroker.Security.Tests.Authentication;

public class CertificateIdentityTests
{
    private static X509Certificate2 Certificate(string subject)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
    }

    private static PasswordFileAuthenticator Authenticator(bool identity) =>
        new(new SecurityOptions { Default = { UseIdentityAsUsername = identity, UseSubjectAsUsername = !identity } });

    private static AuthenticationResult Authenticate(PasswordFileAuthenticator authenticator, X509Certificate2? certificate,
        MqttProtocolVersion version = MqttProtocolVersion.V311)
    {
        var connection = new MqttConnectionContext { Transport = "tls", RemoteAddress = "127.0.0.1", ClientCertificate = certificate };
        var request = new MqttConnectRequest("c", "ignored", "ignored"u8.ToArray(), version, connection);
        return authenticator.AuthenticateAsync(request, CancellationToken.None).AsTask().GetAwaiter().GetResult();
    }

    [Test]
    public void With_use_identity_as_username_the_first_CN_is_the_user_name_and_the_connect_credentials_are_ignored()
    {
        using var certificate = Certificate("CN=device-7, OU=Sensors, O=Acme");
        Assert.That(Authenticate(Authenticator(identity: true), certificate), Is.EqualTo(AuthenticationResult.Accept("device-7")));
    }

    // Mosquitto 2.0.11 (src/handle_connect.c) answers CONNACK_REFUSED_BAD_USERNAME_PASSWORD / MQTT_RC_BAD_USERNAME_OR_PASSWORD
    // (3.1.1 return code 4, 5.0 0x86) when the certificate or its CN is missing on such a listener.
    [TestCase(MqttProtocolVersion.V311)]
    [TestCase(MqttProtocolVersion.V500)]
    public void Without_a_certificate_or_a_CN_the_client_is_refused_with_bad_user_name_or_password(MqttProtocolVersion version)
    {
        var authenticator = Authenticator(identity: true);
        Assert.That(Authenticate(authenticator, null, version).ReasonCode, Is.EqualTo(MqttReasonCode.BadUserNameOrPassword));
        using var noCommonName = Certificate("O=Acme, C=FR");
        Assert.That(Authenticate(authenticator, noCommonName, version).ReasonCode, Is.EqualTo(MqttReasonCode.BadUserNameOrPassword));
        Assert.That(authenticator.Counters.RefusedCertificate, Is.EqualTo(2));
    }

    [TestCase("CN=device-7, OU=Sensors, O=Acme, C=FR")]
    [TestCase("CN=\"Smith, John\", O=\"A+B <x>\", C=FR")]
    [TestCase("CN=caf\u00e9, DC=example, DC=org")]
    public async Task With_use_subject_as_username_the_subject_reads_as_openssl_prints_it_in_RFC2253(string subject)
    {
        using var certificate = Certificate(subject);
        using var directory = new TempDirectory();
        var pem = directory.Write("cert.pem", certificate.ExportCertificatePem());
        var openssl = await ExternalTool.RunAsync("/usr/bin/openssl", ["x509", "-in", pem, "-noout", "-subject", "-nameopt", "RFC2253"]);
        Assert.That(openssl.ExitCode, Is.Zero, openssl.Error);
        var expected = openssl.Output.Trim()["subject=".Length..];

        Assert.That(Authenticate(Authenticator(identity: false), certificate), Is.EqualTo(AuthenticationResult.Accept(expected)));
    }
}
