using EmbeddedBroker.Security.Editing;
using EmbeddedBroker.Security.Passwords;
using EmbeddedBroker.Security.Tests.Support;

namespace EmbeddedBroker.Security.Tests.Passwords;

[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public class PasswordFileEditorTests
{
    private TempDirectory _directory = null!;
    private StringWriter _output = null!;
    private StringWriter _error = null!;
    private ScriptedPrompt _prompt = null!;

    [SetUp]
    public void SetUp()
    {
        _directory = new TempDirectory();
        _output = new StringWriter();
        _error = new StringWriter();
        _prompt = new ScriptedPrompt();
    }

    [TearDown]
    public void TearDown()
    {
        _directory.Dispose();
        _output.Dispose();
        _error.Dispose();
    }

    private int Run(params string[] arguments) => new PasswordFileEditor(_output, _error, _prompt).Run(arguments);

    private PasswordFile Load(string path) => PasswordFile.Load(path);

    [Test]
    public void Create_in_batch_mode_writes_one_user_in_a_new_0600_file()
    {
        var path = _directory.File("pw");
        Assert.That(Run("-c", "-b", path, "alice", "secret"), Is.Zero, _error.ToString());
        Assert.That(File.ReadAllText(path), Does.Match(@"^alice:\$7\$101\$[^$]{16}\$[^$]{88}\n$"));
        Assert.That(File.GetUnixFileMode(path), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
        Assert.That(Load(path).Check("alice", "secret"u8), Is.EqualTo(PasswordCheck.Accepted));
    }

    [Test]
    public void Create_overwrites_an_existing_file_and_the_sha512_and_iteration_options_apply()
    {
        var path = _directory.Write("pw", "old:" + PasswordHashTests.DebianSha512Carol + "\n");
        Assert.That(Run("-H", "sha512", "-c", "-b", path, "bob", "pw"), Is.Zero, _error.ToString());
        Assert.That(File.ReadAllText(path), Does.StartWith("bob:$6$"));
        Assert.That(Run("-I", "500", "-c", "-b", path, "bob", "pw"), Is.Zero);
        Assert.That(File.ReadAllText(path), Does.StartWith("bob:$7$500$"));
        Assert.That(Load(path).Count, Is.EqualTo(1));
    }

    [Test]
    public void Adding_and_updating_keep_the_other_lines_comments_and_mode()
    {
        var carol = "carol:" + PasswordHashTests.DebianSha512Carol + "\n";
        var path = _directory.Write("pw", "# site users\n" + carol + "alice:" + PasswordHashTests.DebianPbkdf2Alice + "\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);

        Assert.That(Run("-b", path, "alice", "new"), Is.Zero, _error.ToString());
        Assert.That(Run("-b", path, "dave", "dpw"), Is.Zero, _error.ToString());

        var text = File.ReadAllText(path);
        Assert.That(text, Does.StartWith("# site users\n" + carol + "alice:$7$101$"));
        Assert.That(text, Does.Not.Contain(PasswordHashTests.DebianPbkdf2Alice));
        var file = Load(path);
        Assert.That(file.Check("alice", "new"u8), Is.EqualTo(PasswordCheck.Accepted));
        Assert.That(file.Check("dave", "dpw"u8), Is.EqualTo(PasswordCheck.Accepted));
        Assert.That(File.GetUnixFileMode(path), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead));
        Assert.That(Directory.GetFiles(_directory.Path), Has.Length.EqualTo(1), "no temporary file is left behind");
    }

    [Test]
    public void Interactive_mode_asks_twice_and_refuses_empty_or_different_passwords_with_mosquittos_codes()
    {
        var path = _directory.File("pw");
        _prompt.Answers.Enqueue("s3cret");
        _prompt.Answers.Enqueue("s3cret");
        Assert.That(Run("-c", path, "alice"), Is.Zero, _error.ToString());
        Assert.That(_prompt.Prompts, Is.EqualTo(new[] { "Password: ", "Reenter password: " }));
        Assert.That(Load(path).Check("alice", "s3cret"u8), Is.EqualTo(PasswordCheck.Accepted));

        _prompt.Answers.Enqueue("one");
        _prompt.Answers.Enqueue("two");
        Assert.That(Run(path, "alice"), Is.EqualTo(2));
        Assert.That(_error.ToString(), Does.Contain("Error: Passwords do not match."));

        _prompt.Answers.Enqueue("");
        Assert.That(Run(path, "alice"), Is.EqualTo(1));
        Assert.That(_error.ToString(), Does.Contain("Error: Empty password."));
        Assert.That(Load(path).Check("alice", "s3cret"u8), Is.EqualTo(PasswordCheck.Accepted), "a refused change leaves the file alone");
    }

    [Test]
    public void Updating_a_missing_file_is_reported_before_asking_for_a_password()
    {
        var path = _directory.File("missing");
        Assert.That(Run(path, "alice"), Is.EqualTo(1));
        Assert.That(_error.ToString().Trim(), Is.EqualTo($"Error: Unable to open password file {path}. No such file or directory."));
        Assert.That(_prompt.Prompts, Is.Empty);
        Assert.That(Run("-b", path, "alice", "x"), Is.EqualTo(1));
    }

    [Test]
    public void Delete_removes_the_user_and_an_unknown_user_is_a_warning_with_exit_1()
    {
        var path = _directory.File("pw");
        Assert.That(Run("-c", "-b", path, "alice", "a"), Is.Zero);
        Assert.That(Run("-b", path, "bob", "b"), Is.Zero);
        Assert.That(Run("-D", path, "alice"), Is.Zero, _error.ToString());
        Assert.That(Load(path).Usernames, Is.EqualTo(new[] { "bob" }));

        Assert.That(Run("-D", path, "alice"), Is.EqualTo(1));
        Assert.That(_error.ToString().Trim(), Is.EqualTo("Warning: User alice not found in password file."));
    }

    [Test]
    public void Upgrade_hashes_plain_text_passwords_and_leaves_hashed_lines_alone()
    {
        // mosquitto_passwd -U would hash the hash too ("render the password file unusable", its man page): here an
        // already hashed line is kept, so running -U twice is harmless.
        var alice = "alice:" + PasswordHashTests.DebianPbkdf2Alice + "\n";
        var path = _directory.Write("pw", alice + "bob: plain \n# note\ncarol:pa:ss\n");
        Assert.That(Run("-U", path), Is.Zero, _error.ToString());
        Assert.That(Run("-U", path), Is.Zero, _error.ToString());

        var text = File.ReadAllText(path);
        Assert.That(text, Does.StartWith(alice + "bob:$7$101$"));
        Assert.That(text, Does.Contain("\n# note\ncarol:$7$"));
        var file = Load(path);
        Assert.That(file.Check("alice", "secret"u8), Is.EqualTo(PasswordCheck.Accepted));
        Assert.That(file.Check("bob", "plain"u8), Is.EqualTo(PasswordCheck.Accepted));
        Assert.That(file.Check("carol", "pa"u8), Is.EqualTo(PasswordCheck.Accepted), "like mosquitto_passwd, the password ends at the next ':'");
    }

    [Test]
    public void A_corrupt_line_stops_an_edit_naming_the_line()
    {
        var path = _directory.Write("pw", "alice:" + PasswordHashTests.DebianPbkdf2Alice + "\njunk\n");
        Assert.That(Run("-b", path, "bob", "x"), Is.EqualTo(1));
        Assert.That(_error.ToString().Trim(), Is.EqualTo("Error: Corrupt password file at line 2."));
        Assert.That(File.ReadAllText(path), Does.EndWith("junk\n"), "the file is left as it was");
    }

    [Test]
    public void A_symbolic_link_is_followed_and_stays_a_link()
    {
        var target = _directory.File("real");
        var link = _directory.File("link");
        Assert.That(Run("-c", "-b", target, "alice", "a"), Is.Zero);
        File.CreateSymbolicLink(link, target);
        Assert.That(Run("-b", link, "bob", "b"), Is.Zero, _error.ToString());
        Assert.That(new FileInfo(link).LinkTarget, Is.EqualTo(target));
        Assert.That(Load(target).Count, Is.EqualTo(2));
    }

    [TestCase(new string[0], "")]
    [TestCase(new[] { "-c", "-D", "f", "u" }, "Error: -c and -D cannot be used together.")]
    [TestCase(new[] { "-c", "-U", "f" }, "Error: -c and -U cannot be used together.")]
    [TestCase(new[] { "-D", "-U", "f" }, "Error: -D and -U cannot be used together.")]
    [TestCase(new[] { "-b", "-D", "f", "u" }, "Error: -b and -D cannot be used together.")]
    [TestCase(new[] { "-c", "-b", "f", "u" }, "Error: -c argument given but password file, username, or password missing.")]
    [TestCase(new[] { "-c", "f" }, "Error: -c argument given but password file or username missing.")]
    [TestCase(new[] { "-D", "f" }, "Error: -D argument given but password file or username missing.")]
    [TestCase(new[] { "-U", "f", "u" }, "Error: -U argument given but password file missing.")]
    [TestCase(new[] { "-H" }, "Error: -H argument given but not enough other arguments.")]
    [TestCase(new[] { "-H", "md5", "f", "u" }, "Error: Unknown hash type 'md5'")]
    [TestCase(new[] { "-I", "0", "f", "u" }, "Error: Number of iterations must be > 0.")]
    [TestCase(new[] { "-b", "f", "u:x", "p" }, "Error: Username must not contain the ':' character.")]
    [TestCase(new[] { "-b", "f", "u\tx", "p" }, "Error: Username must not contain control characters.")]
    [TestCase(new[] { "f" }, "")]
    [TestCase(new[] { "-b", "f", "u" }, "")]
    [TestCase(new[] { "f", "-b", "u", "p" }, "")]
    public void Arguments_mosquitto_passwd_refuses_are_refused_with_its_message_and_exit_1(string[] arguments, string message)
    {
        Assert.That(Run(arguments), Is.EqualTo(1));
        if (message.Length == 0)
        {
            Assert.That(_output.ToString(), Does.Contain("Usage: EmbeddedBroker passwd [-H sha512 | -H sha512-pbkdf2] [-c | -D] passwordfile username"));
            Assert.That(_error.ToString(), Is.Empty);
        }
        else
        {
            Assert.That(_error.ToString().TrimEnd(), Is.EqualTo(message));
        }
        Assert.That(Directory.GetFiles(_directory.Path), Is.Empty);
    }

    [Test]
    public void A_password_of_65536_bytes_is_refused()
    {
        Assert.That(Run("-c", "-b", _directory.File("pw"), "u", new string('é', 32768)), Is.EqualTo(1));
        Assert.That(_error.ToString().Trim(), Is.EqualTo("Error: Password must be less than 65536 characters long."));
    }

    [Test]
    public void A_password_with_a_nul_character_is_refused_since_it_could_never_be_verified()
    {
        Assert.That(Run("-c", "-b", _directory.File("pw"), "u", "sec\0ret"), Is.EqualTo(1));
        Assert.That(_error.ToString().Trim(), Is.EqualTo("Error: Password must not contain a NUL character (Mosquitto ends a password there)."));
        Assert.That(Directory.GetFiles(_directory.Path), Is.Empty);
    }

    private sealed class ScriptedPrompt : IPasswordPrompt
    {
        public Queue<string?> Answers { get; } = new();

        public List<string> Prompts { get; } = [];

        public string? ReadPassword(string prompt)
        {
            Prompts.Add(prompt);
            return Answers.Count > 0 ? Answers.Dequeue() : null;
        }
    }
}
