using System.Text;
using System.Text.RegularExpressions;
using EmbeddedBroker.Security.Passwords;

namespace EmbeddedBroker.Security.Tests.Passwords;

public class PasswordHashTests
{
    // Written by Debian's mosquitto_passwd 2.0.11: `mosquitto_passwd -c -b f alice secret`.
    internal const string DebianPbkdf2Alice = "$7$101$+mIQMvXBqLqlXDW+$NsMI10/WSoHGtPRmwFTOuJQz3oNlxL0Zm7DlDruy0W/W2is0dZgjMU0VgVHn0+j/54odvgln8XL3+Fum7Fo10A==";

    // `mosquitto_passwd -c -b -H sha512 f carol 'pässwörd'` (UTF-8 on the command line).
    internal const string DebianSha512Carol = "$6$ReIwHqxDuntfNBQS$q7iszkFkWl2or0LURGK+5YmeIacRbABQaCcWZzFowPQjpTxCTgeJZ5vaZTDSsrVhlJub5vtUnX7zrm2ljVfBXw==";

    [Test]
    public void A_pbkdf2_hash_written_by_mosquitto_passwd_verifies_its_password_only()
    {
        Assert.That(PasswordHash.TryParse(DebianPbkdf2Alice, out var hash, out _), Is.True);
        Assert.That(hash!.Type, Is.EqualTo(PasswordHashType.Sha512Pbkdf2));
        Assert.That(hash.Iterations, Is.EqualTo(101));
        Assert.That(hash.Verify("secret"u8), Is.True);
        Assert.That(hash.Verify("Secret"u8), Is.False);
        Assert.That(hash.Verify("secret "u8), Is.False);
        Assert.That(hash.Verify([]), Is.False);
    }

    [Test]
    public void A_sha512_hash_written_by_mosquitto_passwd_verifies_its_utf8_password()
    {
        Assert.That(PasswordHash.TryParse(DebianSha512Carol, out var hash, out _), Is.True);
        Assert.That(hash!.Type, Is.EqualTo(PasswordHashType.Sha512));
        Assert.That(hash.Verify(Encoding.UTF8.GetBytes("pässwörd")), Is.True);
        Assert.That(hash.Verify(Encoding.Latin1.GetBytes("pässwörd")), Is.False);
    }

    [Test]
    public void A_parsed_hash_prints_back_byte_for_byte()
    {
        Assert.That(PasswordHash.TryParse(DebianPbkdf2Alice, out var pbkdf2, out _), Is.True);
        Assert.That(PasswordHash.TryParse(DebianSha512Carol, out var sha512, out _), Is.True);
        Assert.That(pbkdf2!.ToString(), Is.EqualTo(DebianPbkdf2Alice));
        Assert.That(sha512!.ToString(), Is.EqualTo(DebianSha512Carol));
    }

    [Test]
    public void A_new_hash_has_mosquittos_shape_a_fresh_12_byte_salt_and_verifies()
    {
        var first = PasswordHash.Create("pw"u8);
        var second = PasswordHash.Create("pw"u8);
        Assert.That(first.ToString(), Does.Match(@"^\$7\$101\$[A-Za-z0-9+/]{16}\$[A-Za-z0-9+/]{86}==$"));
        Assert.That(first.Salt.ToArray(), Is.Not.EqualTo(second.Salt.ToArray()));
        Assert.That(first.Verify("pw"u8) && second.Verify("pw"u8), Is.True);

        var sha = PasswordHash.Create("pw"u8, PasswordHashType.Sha512);
        Assert.That(sha.ToString(), Does.Match(@"^\$6\$[A-Za-z0-9+/]{16}\$[A-Za-z0-9+/]{86}==$"));
        Assert.That(sha.Verify("pw"u8), Is.True);

        var slow = PasswordHash.Create("pw"u8, PasswordHashType.Sha512Pbkdf2, 1000);
        Assert.That(Regex.IsMatch(slow.ToString(), @"^\$7\$1000\$"), Is.True);
        Assert.That(slow.Verify("pw"u8), Is.True);
    }

    [TestCase("secret", "the password is not hashed")]
    [TestCase("$5$abc$def", "unknown hash type '$5$'")]
    [TestCase("$7$0$+mIQMvXBqLqlXDW+$AAAA", "invalid iteration count '0'")]
    [TestCase("$7$x$+mIQMvXBqLqlXDW+$AAAA", "invalid iteration count 'x'")]
    [TestCase("$7$101$+mIQMvXBqLqlXDW+", "has 3 '$'-separated fields instead of 4")]
    [TestCase("$7$101$AAAA$AAAA", "the salt is not 12 bytes of Base64")]
    [TestCase("$7$101$+mIQMvXBqLqlXDW+$AAAA", "the hash is not 64 bytes of Base64")]
    [TestCase("$6$!!!!$AAAA", "the salt is not 12 bytes of Base64")]
    public void A_malformed_hash_is_refused_with_what_is_wrong(string text, string expected)
    {
        Assert.That(PasswordHash.TryParse(text, out var hash, out var problem), Is.False);
        Assert.That(hash, Is.Null);
        Assert.That(problem, Does.Contain(expected));
    }
}
