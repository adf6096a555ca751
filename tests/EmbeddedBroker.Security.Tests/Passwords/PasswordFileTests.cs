using System.Text;
using EmbeddedBroker.Security.Passwords;

namespace EmbeddedBroker.Security.Tests.Passwords;

public class PasswordFileTests
{
    private static readonly string Alice = "alice:" + PasswordHashTests.DebianPbkdf2Alice;
    private static readonly string Carol = "carol:" + PasswordHashTests.DebianSha512Carol;

    [Test]
    public void Comments_blank_lines_crlf_and_blanks_around_fields_are_read_as_mosquitto_reads_them()
    {
        var file = PasswordFile.Parse($"# users\r\n\r\n  alice :  {PasswordHashTests.DebianPbkdf2Alice}  \r\n   \n{Carol}", "pw");
        Assert.That(file.Count, Is.EqualTo(2));
        Assert.That(file.Check("alice", "secret"u8), Is.EqualTo(PasswordCheck.Accepted));
        Assert.That(file.Check("carol", Encoding.UTF8.GetBytes("pässwörd")), Is.EqualTo(PasswordCheck.Accepted));
    }

    [Test]
    public void Names_are_compared_exactly()
    {
        var file = PasswordFile.Parse(Alice, "pw");
        Assert.That(file.Check("Alice", "secret"u8), Is.EqualTo(PasswordCheck.UnknownUser));
        Assert.That(file.Check("alice ", "secret"u8), Is.EqualTo(PasswordCheck.UnknownUser));
        Assert.That(file.Check("alice", "wrong"u8), Is.EqualTo(PasswordCheck.WrongPassword));
    }

    [Test]
    public void An_empty_file_knows_nobody()
    {
        var file = PasswordFile.Parse("", "pw");
        Assert.That(file.Count, Is.Zero);
        Assert.That(file.Check("alice", "secret"u8), Is.EqualTo(PasswordCheck.UnknownUser));
    }

    [TestCase("alice:secret", "pw:1: user 'alice': the password is not hashed (a hash starts with $7$ or $6$); hash the file's plain-text passwords with `EmbeddedBroker passwd -U FILE`")]
    [TestCase("alice", "pw:1: expected 'user:hash'")]
    [TestCase(":$7$101$x$y", "pw:1: expected 'user:hash'")]
    [TestCase("# ok\nbob:", "pw:2: user 'bob' has no password hash; set the password again with `EmbeddedBroker passwd FILE USER`")]
    [TestCase("bob:$7$101$AAAA$BBBB", "pw:1: user 'bob': the salt is not 12 bytes of Base64; set the password again")]
    [TestCase("bob:$9$x$y", "pw:1: user 'bob': unknown hash type '$9$'")]
    [TestCase("bob:$6$a$b:extra", "pw:1: the hash of user 'bob' contains ':'")]
    [TestCase("  # indented comment", "pw:1: expected 'user:hash' (a user name, ':', then the hash); comments start with '#' in the first column")]
    public void A_line_that_does_not_parse_stops_the_load_with_file_line_and_fix(string text, string expected)
    {
        var error = Assert.Throws<SecurityFileException>(() => PasswordFile.Parse(text, "pw"))!;
        Assert.That(error.Message, Does.StartWith(expected));
        Assert.That(error.Message, Does.Not.Contain("\n"));
        Assert.That(error.FilePath, Is.EqualTo("pw"));
    }

    [Test]
    public void A_user_defined_twice_is_refused_naming_both_lines()
    {
        var error = Assert.Throws<SecurityFileException>(() => PasswordFile.Parse($"{Alice}\n# x\n{Alice}\n", "pw"))!;
        Assert.That(error.Message, Is.EqualTo("pw:3: user 'alice' is already defined on line 1; delete one of the two lines"));
        Assert.That(error.LineNumber, Is.EqualTo(3));
    }

    [Test]
    public void A_missing_file_is_one_line_naming_the_file_and_the_fix()
    {
        var error = Assert.Throws<SecurityFileException>(() => PasswordFile.Load("/nonexistent/passwd"))!;
        Assert.That(error.Message, Does.StartWith("/nonexistent/passwd: cannot read the password file: "));
        Assert.That(error.Message, Does.EndWith("Create it with `EmbeddedBroker passwd -c FILE USER`, or correct password_file."));
        Assert.That(error.LineNumber, Is.Null);
    }

    [Test]
    public void Unknown_users_are_checked_against_a_dummy_of_the_files_most_common_scheme()
    {
        // The time of a refusal must not tell whether the name exists: an unknown user costs one hash of the same
        // scheme and iteration count as most users' (checked through the dummy's parameters, not by timing).
        var slow = "dave:" + PasswordHash.Create("x"u8, PasswordHashType.Sha512Pbkdf2, 2000);
        var slower = "erin:" + PasswordHash.Create("x"u8, PasswordHashType.Sha512Pbkdf2, 2000);
        var file = PasswordFile.Parse($"{Alice}\n{slow}\n{slower}\n{Carol}", "pw");
        Assert.That(file.DummyParameters, Is.EqualTo((PasswordHashType.Sha512Pbkdf2, 2000)));
        Assert.That(PasswordFile.Parse("", "pw").DummyParameters, Is.EqualTo((PasswordHashType.Sha512Pbkdf2, 101)));
        Assert.That(PasswordFile.Parse(Carol, "pw").DummyParameters, Is.EqualTo((PasswordHashType.Sha512, 1)));
    }
}
