namespace EmbeddedBroker.Integration.Tests.Listeners;

/// <summary>
/// A mosquitto.conf that cannot be used stops start-up before any listener opens, with one line on stderr naming the
/// file and line, what is wrong and the fix, exit code 2, and no stack trace.
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.Self)]
public sealed class BadConfigurationTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Test]
    public async Task Unknown_key_names_its_line_and_the_closest_key()
    {
        using var folder = new ConfFolder();
        folder.Write("mosquitto.conf", $"listener {FreePort.Next()} 127.0.0.1", "allow_anonymus true");

        var line = await FailToStartAsync(folder);

        Assert.That(line, Does.Contain("mosquitto.conf:2: allow_anonymus: not a Mosquitto 2.0 configuration key; did you mean allow_anonymous?"));
    }

    [Test]
    public async Task Missing_password_file_names_the_password_file_line_and_the_fix()
    {
        using var folder = new ConfFolder();
        folder.Write("mosquitto.conf", $"listener {FreePort.Next()} 127.0.0.1", "password_file missing.passwd");

        var line = await FailToStartAsync(folder);

        Assert.That(line, Does.Contain("mosquitto.conf:2: password_file: "));
        Assert.That(line, Does.Contain("missing.passwd: cannot read the password file"));
        Assert.That(line, Does.Contain("Create it with `EmbeddedBroker passwd -c FILE USER`, or correct password_file."));
    }

    [Test]
    public async Task Malformed_acl_line_names_the_acl_file_and_line_and_the_fix()
    {
        using var folder = new ConfFolder();
        folder.Write("acl", "user alice", "topic rw sensors/#");
        folder.Write("mosquitto.conf", $"listener {FreePort.Next()} 127.0.0.1", "allow_anonymous true", "acl_file acl");

        var line = await FailToStartAsync(folder);

        Assert.That(line, Does.EndWith("acl:2: unknown access 'rw' in 'topic rw sensors/#'; use read, write, readwrite or deny before the filter"));
    }

    [Test]
    public async Task Key_that_does_not_match_its_certificate_names_the_keyfile_line_and_the_fix()
    {
        using var folder = new ConfFolder();
        await TestCertificates.CreateAsync(folder);
        folder.Write("mosquitto.conf", $"listener {FreePort.Next()} 127.0.0.1", "certfile server.crt", "keyfile other.key");

        var line = await FailToStartAsync(folder);

        Assert.That(line, Does.Contain("mosquitto.conf:3: keyfile: the private key in "));
        Assert.That(line, Does.Contain("other.key does not match the certificate in "));
        Assert.That(line, Does.EndWith("give the key the certificate was issued for, or the certificate of this key"));
    }

    [Test]
    public async Task Cipher_list_keyword_names_the_ciphers_line_and_how_to_list_suites()
    {
        using var folder = new ConfFolder();
        await TestCertificates.CreateAsync(folder);
        folder.Write("mosquitto.conf", $"listener {FreePort.Next()} 127.0.0.1", "certfile server.crt", "keyfile server.key", "ciphers HIGH:!aNULL");

        var line = await FailToStartAsync(folder);

        Assert.That(line, Does.Contain("mosquitto.conf:4: ciphers: 'HIGH' is not the name of a TLS 1.2 cipher suite"));
    }

    /// <summary>Runs the app on the folder's mosquitto.conf; expects exit code 2 with exactly one line on stderr, no
    /// stack trace and no listener opened; returns the line with the folder left out of paths.</summary>
    private static async Task<string> FailToStartAsync(ConfFolder folder)
    {
        using var app = AppExecutable.Start("-c", folder.Combine("mosquitto.conf"), "--no-console", "--output", folder.Combine("mqtt_data"),
            "--Persistence:Path", folder.Combine("broker.db"));
        Assert.That(await app.WaitForExitAsync(Timeout), Is.EqualTo(2), app.Describe());
        var lines = app.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Multiple(() =>
        {
            Assert.That(lines, Has.Length.EqualTo(1), app.StandardError);
            Assert.That(lines[0], Does.StartWith("EmbeddedBroker cannot start: "));
            Assert.That(app.StandardOutput + app.StandardError, Does.Not.Contain("   at "), "no stack trace");
            Assert.That(app.StandardOutput, Does.Not.Contain("Listening for"), "stopped before any listener opened");
        });
        return lines[0].Replace(folder.Path + Path.DirectorySeparatorChar, "", StringComparison.Ordinal);
    }
}
